"""OpenID Connect relying party: authorization code flow with PKCE against the national provider.

The flow's secrets (state, nonce, PKCE verifier) stay in the server-side session, keyed by state.
ID tokens are verified with PyJWT against the provider's JWKS: algorithm pinned to RS256/ES256,
signature, issuer, audience, expiry and issue time (small leeway), nonce equal to the session's
and single-use (a table of used nonces). Every refusal is an `OidcError` with a translated message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, ValidationFailed
from identity import conf
from identity.models import Citizen
from identity.services import citizen_sign_in, nonce_consume

ALLOWED_ALGS = ("RS256", "ES256")
FLOWS_SESSION_KEY = "identity_flows"
MAX_FLOWS = 5

MESSAGES = {
    "not_configured": _("Sign-in with the digital identity is not available at the moment."),
    "unreachable": _("The identity provider cannot be reached right now. Please try again in a few minutes."),
    "denied": _("The sign-in was cancelled or refused at the identity provider."),
    "state": _("This sign-in has expired or was not started here. Please sign in again."),
    "token_refused": _("The identity provider refused to complete the sign-in. Please sign in again."),
    "malformed": _("The identity provider's answer could not be read."),
    "bad_alg": _("The identity token uses a signature method that is not accepted."),
    "signature": _("The signature of the identity token is not valid."),
    "issuer": _("The identity token was not issued by the expected identity provider."),
    "audience": _("The identity token was issued for another service."),
    "expired": _("The identity token has expired. Please sign in again."),
    "not_yet_valid": _("The identity token is not valid yet. Check the clock and sign in again."),
    "nonce": _("The identity token does not belong to this sign-in."),
    "replayed": _("This identity token was already used. Please sign in again."),
    "claims": _("The identity provider did not send the identity data needed (names and CNIE number)."),
}


# The provider is down or this server is not set up: not the user's fault, so not a 400.
STATUS = {"not_configured": 503, "unreachable": 502}


class OidcError(Exception):
    """A refused sign-in; `code` names the check, `message` is translated."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.status = STATUS.get(code, 400)
        self.message = MESSAGES[code]


# --- HTTP ---------------------------------------------------------------------------------------


def _http_json(url: str, *, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Any:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise OidcError("unreachable")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Accept": "application/json", **(headers or {})})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=conf.HTTP_TIMEOUT_SECONDS) as resp:  # noqa: S310 (scheme checked)
            raw = resp.read(1_000_000)
    except urllib.error.HTTPError as exc:
        if data is not None and 400 <= exc.code < 500:
            raise OidcError("token_refused") from None
        raise OidcError("unreachable") from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise OidcError("unreachable") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise OidcError("malformed") from None


_discovery_cache: dict[str, tuple[float, dict]] = {}
_jwks_cache: dict[str, tuple[float, dict]] = {}


def discovery(issuer: str) -> dict:
    """The provider's `/.well-known/openid-configuration`, cached for CACHE_TTL_SECONDS."""
    hit = _discovery_cache.get(issuer)
    if hit and time.monotonic() - hit[0] < conf.CACHE_TTL_SECONDS:
        return hit[1]
    doc = _http_json(issuer + "/.well-known/openid-configuration")
    if not isinstance(doc, dict) or doc.get("issuer", "").rstrip("/") != issuer:
        raise OidcError("malformed")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(doc.get(key), str):
            raise OidcError("malformed")
    _discovery_cache[issuer] = (time.monotonic(), doc)
    return doc


def fetch_jwks(uri: str, *, force: bool = False) -> dict:
    """The provider's key set, cached; `force` re-fetches (a key rotation shows as an unknown kid)."""
    hit = _jwks_cache.get(uri)
    if not force and hit and time.monotonic() - hit[0] < conf.CACHE_TTL_SECONDS:
        return hit[1]
    doc = _http_json(uri)
    if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list):
        raise OidcError("malformed")
    _jwks_cache[uri] = (time.monotonic(), doc)
    return doc


def clear_caches() -> None:
    _discovery_cache.clear()
    _jwks_cache.clear()


def jwks_uri_for(issuer: str) -> str:
    return conf.jwks_url_override() or discovery(issuer)["jwks_uri"]


# --- ID token verification ----------------------------------------------------------------------


def _find_key(jwks_uri: str, kid: str | None, alg: str) -> Any:
    for attempt in (False, True):
        keys = [k for k in fetch_jwks(jwks_uri, force=attempt)["keys"] if isinstance(k, dict)]
        candidates = [k for k in keys if k.get("kid") == kid] if kid else keys
        candidates = [k for k in candidates if k.get("use", "sig") == "sig" and k.get("alg", alg) == alg]
        if len(candidates) == 1 or (candidates and not kid):
            try:
                return jwt.PyJWK(candidates[0], algorithm=alg).key
            except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
                raise OidcError("signature") from None
    raise OidcError("signature")


def verify_id_token(token: str, *, issuer: str, client_id: str, nonce: str, jwks_uri: str) -> dict:
    """Verify an ID token and return its claims, or raise OidcError. Does not consume the nonce."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise OidcError("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise OidcError("malformed") from None
    alg = header.get("alg")
    if alg not in ALLOWED_ALGS:  # refuses "none" and the HS* family (key confusion)
        raise OidcError("bad_alg")
    key = _find_key(jwks_uri, header.get("kid"), alg)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=client_id,
            issuer=issuer,
            leeway=conf.LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
        )
    except jwt.InvalidSignatureError:
        raise OidcError("signature") from None
    except jwt.ExpiredSignatureError:
        raise OidcError("expired") from None
    except jwt.InvalidAudienceError:
        raise OidcError("audience") from None
    except jwt.InvalidIssuerError:
        raise OidcError("issuer") from None
    except jwt.ImmatureSignatureError:
        raise OidcError("not_yet_valid") from None
    except jwt.MissingRequiredClaimError:
        raise OidcError("claims") from None
    except jwt.InvalidTokenError:
        raise OidcError("malformed") from None
    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
        raise OidcError("audience")
    if not isinstance(claims["iat"], int | float) or claims["iat"] < time.time() - conf.FLOW_MAX_AGE_SECONDS:
        raise OidcError("expired")
    if not isinstance(claims["nonce"], str) or not hmac.compare_digest(claims["nonce"].encode(), nonce.encode()):
        raise OidcError("nonce")
    return claims


def accept_id_token(token: str, *, issuer: str, client_id: str, nonce: str, jwks_uri: str) -> dict:
    """Verify the token, then spend its nonce (and jti): the same token is accepted only once."""
    claims = verify_id_token(token, issuer=issuer, client_id=client_id, nonce=nonce, jwks_uri=jwks_uri)
    expires_at = datetime.fromtimestamp(claims["exp"], tz=UTC) + timedelta(seconds=conf.LEEWAY_SECONDS)
    try:
        nonce_consume(value=f"nonce:{issuer}:{claims['nonce']}", expires_at=expires_at)
        if isinstance(claims.get("jti"), str):
            nonce_consume(value=f"jti:{issuer}:{claims['jti']}", expires_at=expires_at)
    except Conflict:
        raise OidcError("replayed") from None
    return claims


def assurance_from_claims(claims: dict) -> str:
    """A custom `assurance_level` claim, else the `acr` (a URI's last segment, e.g. '.../substantial')."""
    value = claims.get("assurance_level") or claims.get("acr") or ""
    if not isinstance(value, str):
        return ""
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1][:32]


# --- the flow ----------------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pkce_challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


def start(request, *, next_url: str) -> str:
    """Begin a sign-in: keep state/nonce/verifier in the session, return the provider's address."""
    issuer = conf.issuer()
    if not issuer:
        raise OidcError("not_configured")
    config = discovery(issuer)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    flows = dict(request.session.get(FLOWS_SESSION_KEY) or {})
    # Several tabs may sign in at once; keep the latest few only.
    for old in sorted(flows, key=lambda s: flows[s]["at"])[: max(0, len(flows) - MAX_FLOWS + 1)]:
        flows.pop(old)
    flows[state] = {"nonce": nonce, "verifier": verifier, "issuer": issuer, "next": next_url, "at": time.time()}
    request.session[FLOWS_SESSION_KEY] = flows
    query = {
        "response_type": "code",
        "client_id": conf.client_id(),
        "redirect_uri": conf.redirect_uri(),
        "scope": " ".join(conf.scopes()),
        "state": state,
        "nonce": nonce,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
        "ui_locales": getattr(request, "LANGUAGE_CODE", "ar"),
    }
    endpoint = config["authorization_endpoint"]
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(query)


def _exchange_code(config: dict, *, code: str, verifier: str) -> dict:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": conf.redirect_uri(),
        "code_verifier": verifier,
    }
    headers = {}
    cid, secret = conf.client_id(), conf.client_secret()
    if conf.token_auth_method() == "client_secret_post":
        data.update(client_id=cid, client_secret=secret)
    else:
        pair = f"{urllib.parse.quote_plus(cid)}:{urllib.parse.quote_plus(secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    tokens = _http_json(config["token_endpoint"], data=data, headers=headers)
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise OidcError("malformed")
    return tokens


def complete(request, params) -> tuple[Citizen, str]:
    """Finish a sign-in from the callback's query: returns the citizen and where to go next.

    The flow is removed from the session first, so a state is good for one attempt only.
    """
    state = params.get("state") or ""
    flows = dict(request.session.get(FLOWS_SESSION_KEY) or {})
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_SESSION_KEY] = flows
    if not flow or time.time() - flow["at"] > conf.FLOW_MAX_AGE_SECONDS:
        raise OidcError("state")
    if params.get("error"):
        raise OidcError("denied")
    code = params.get("code") or ""
    if not code or len(code) > 2000:
        raise OidcError("malformed")
    issuer = flow["issuer"]
    config = discovery(issuer)
    tokens = _exchange_code(config, code=code, verifier=flow["verifier"])
    claims = accept_id_token(
        tokens["id_token"],
        issuer=issuer,
        client_id=conf.client_id(),
        nonce=flow["nonce"],
        jwks_uri=jwks_uri_for(issuer),
    )
    auth_time = claims.get("auth_time")
    try:
        citizen = citizen_sign_in(
            issuer=issuer,
            sub=str(claims["sub"]),
            given_name=str(claims.get("given_name") or ""),
            family_name=str(claims.get("family_name") or ""),
            cnie=str(claims.get(conf.cnie_claim()) or ""),
            assurance_level=assurance_from_claims(claims),
            auth_time=datetime.fromtimestamp(auth_time, tz=UTC) if isinstance(auth_time, int | float) else None,
            language=getattr(request, "LANGUAGE_CODE", "ar"),
        )
    except ValidationFailed:
        raise OidcError("claims") from None
    return citizen, flow["next"]
