"""Fixtures of the identity tests: the local provider on loopback and a rogue provider.

The local provider is the project's own (/idp/ on pytest-django's live server). The rogue provider
is a tiny real HTTP server on 127.0.0.1 whose token endpoint hands out whatever ID token the test
built (tampered, expired, for another audience...), so every refusal is exercised through the
real callback: discovery, code exchange and JWKS all travel over HTTP.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from identity import oidc

CLIENT_ID = "amane-portal"
CLIENT_SECRET = "rogue-client-secret"


@pytest.fixture(autouse=True)
def _fresh_caches():
    oidc.clear_caches()
    yield
    oidc.clear_caches()


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


@pytest.fixture
def rogue_idp(settings):
    idp = RogueIdP()
    idp.start()
    settings.AMANE_OIDC_ISSUER = idp.base
    settings.AMANE_OIDC_CLIENT_ID = CLIENT_ID
    settings.AMANE_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.AMANE_OIDC_LOCAL_IDP = False
    try:
        yield idp
    finally:
        idp.stop()


def begin(client, idp: RogueIdP | None = None, next_url: str = "/track/") -> dict:
    """Start a sign-in with the test client; returns the authorize query (state, nonce...)."""
    response = client.get("/identity/login/", {"next": next_url})
    assert response.status_code == 302, response.content
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response["Location"]).query))
    if idp is not None:
        idp.nonce = query["nonce"]
    return query


@pytest.fixture
def local_idp(live_server, settings):
    """The project's own provider on the live server, used by the relying party over HTTP."""
    settings.PUBLIC_BASE_URL = live_server.url
    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.AMANE_OIDC_ISSUER = ""
    settings.AMANE_OIDC_CLIENT_ID = CLIENT_ID
    settings.AMANE_OIDC_CLIENT_SECRET = ""
    return live_server
