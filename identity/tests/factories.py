"""Builders of the identity tests: a rogue provider on loopback, citizens signed in through the
service, and a test client carrying a citizen's session.

The local provider is the project's own (/idp/ on pytest-django's live server). The rogue provider
is a tiny real HTTP server on 127.0.0.1 whose token endpoint hands out whatever ID token the test
built (tampered, expired, for another audience...), so every refusal is exercised through the
real callback: discovery, code exchange and JWKS all travel over HTTP.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from identity.models import Citizen
from identity.selectors import SESSION_KEY
from identity.services import citizen_sign_in

CLIENT_ID = "amane-portal"
CLIENT_SECRET = "rogue-client-secret"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict:
    return {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig", "alg": "RS256"}


class RogueIdP:
    """A provider under the test's control, served over real HTTP on loopback."""

    def __init__(self):
        self.key = rsa_key()
        self.kid = "rogue-1"
        self.jwks = {"keys": [public_jwk(self.key, self.kid)]}
        self.token_factory = None  # callable(nonce) -> id_token
        self.token_requests: list[dict] = []
        self.jwks_fetches = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.nonce = ""

    def claims(self, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.base,
            "aud": CLIENT_ID,
            "sub": "rogue-sub-1",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            "given_name": "يوسف",
            "family_name": "بناني",
            "cnie": "BK654321",
            "acr": "high",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, key=None, kid=None, alg="RS256") -> str:
        return jwt.encode(claims, key or self.key, algorithm=alg, headers={"kid": kid or self.kid})

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self._json(
                        200,
                        {
                            "issuer": idp.base,
                            "authorization_endpoint": idp.base + "/authorize",
                            "token_endpoint": idp.base + "/token",
                            "jwks_uri": idp.base + "/jwks.json",
                        },
                    )
                elif self.path == "/jwks.json":
                    idp.jwks_fetches += 1
                    self._json(200, idp.jwks)
                else:
                    self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                form["_authorization"] = self.headers.get("Authorization", "")
                idp.token_requests.append(form)
                if self.path != "/token" or idp.token_factory is None:
                    self._json(400, {"error": "invalid_grant"})
                    return
                self._json(200, {"id_token": idp.token_factory(), "token_type": "Bearer", "access_token": "x"})

        return Handler

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def basic_credentials(header: str) -> tuple[str, str]:
        raw = base64.b64decode(header.split(" ", 1)[1]).decode()
        cid, _sep, secret = raw.partition(":")
        return urllib.parse.unquote_plus(cid), urllib.parse.unquote_plus(secret)


def begin(client, idp: RogueIdP | None = None, next_url: str = "/track/") -> dict:
    """Start a sign-in with the test client; returns the authorize query (state, nonce...)."""
    response = client.get("/identity/login/", {"next": next_url})
    assert response.status_code == 302, response.content
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response["Location"]).query))
    if idp is not None:
        idp.nonce = query["nonce"]
    return query


_counter = itertools.count(1)


def make_citizen(**kw) -> Citizen:
    """A citizen signed in once through `citizen_sign_in`; any claim can be overridden."""
    n = next(_counter)
    values = {
        "issuer": "https://idp.test.invalid",
        "sub": f"test-sub-{n}",
        "given_name": "فاطمة",
        "family_name": "العلوي",
        "cnie": f"BE{100000 + n}",
        "assurance_level": "substantial",
        "language": "ar",
    }
    values.update(kw)
    return citizen_sign_in(**values)


def login_citizen(client: Client, citizen: Citizen) -> None:
    """Put the citizen in the test client's session, as the OIDC callback does."""
    session = client.session  # a SessionStore; saving creates the cookie on the client
    session[SESSION_KEY] = citizen.pk
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
