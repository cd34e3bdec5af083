"""The local demo provider on loopback, and the relying party using it over real HTTP.

GIVEN AMANE_OIDC_LOCAL_IDP on and no issuer configured, the live server as PUBLIC_BASE_URL
WHEN a citizen starts a sign-in, picks a fictional citizen and comes back with a code
THEN the relying party fetches discovery and JWKS, exchanges the code (PKCE) and signs them in;
     tokens made with the provider's real key but a wrong audience, an expired date or a spent nonce
     are refused; the token endpoint refuses a wrong PKCE verifier and spends the code anyway.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import stat
import time
import urllib.error
import urllib.parse
import urllib.request

import jwt
import pytest

from identity import conf, keys, oidc
from identity.models import Citizen, IdpAuthorizationCode
from identity.selectors import LOCAL_IDP_CITIZENS as CITIZENS
from identity.selectors import SESSION_KEY
from identity.services import IdentityPurpose, citizen_identity_read
from identity.tests.factories import CLIENT_ID
from org.tests.factories import build_org

live = pytest.mark.django_db(transaction=True)


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _authorize_form(client, location: str) -> dict:
    """Show the provider's page (in Arabic, marked as a demo) and return its hidden fields."""
    page = client.get(_path(location))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'dir="rtl"' in html and "demo-0001" in html and "alert-warning" in html
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


@live
def test_valid_login_end_to_end(client, local_idp):
    build_org()
    response = client.get("/identity/login/", {"next": "/track/"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(local_idp.url + "/idp/authorize?")
    params = _authorize_form(client, location)

    back = client.post("/idp/authorize", {**params, "subject": "demo-0002"})
    assert back.status_code == 302 and back["Location"].startswith(local_idp.url + "/identity/callback/?")
    done = client.get(_path(back["Location"]))

    assert done.status_code == 302 and done["Location"] == "/track/", done.content
    citizen = Citizen.objects.get()
    assert citizen.issuer == local_idp.url + "/idp" and citizen.sub == "demo-0002"
    identity = citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.SHOWN_TO_CITIZEN)
    assert (identity.given_name, identity.family_name, identity.cnie) == ("يوسف", "بناني", "BK654321")
    assert citizen.assurance_level == "high" and citizen.auth_time is not None
    assert client.session[SESSION_KEY] == citizen.pk
    assert IdpAuthorizationCode.objects.get().used_at is not None


def _post(url: str, form: dict, auth: tuple[str, str] | None = None) -> tuple[int, dict]:
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _code(client, verifier: str, nonce: str = "nonce-1") -> str:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": conf.redirect_uri(),
        "response_type": "code",
        "scope": "openid profile",
        "state": "s",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    back = client.post("/idp/authorize", {**params, "subject": "demo-0001"})
    assert back.status_code == 302
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back["Location"]).query))["code"]


@live
def test_token_endpoint_checks_pkce_and_spends_the_code(client, local_idp):
    build_org()
    token_url = local_idp.url + "/idp/token"
    secret = conf.client_secret()
    verifier = secrets.token_urlsafe(48)
    form = {"grant_type": "authorization_code", "redirect_uri": conf.redirect_uri()}

    code = _code(client, verifier)
    status, body = _post(
        token_url, {**form, "code": code, "code_verifier": secrets.token_urlsafe(48)}, (CLIENT_ID, secret)
    )
    assert (status, body) == (400, {"error": "invalid_grant"})
    # The right verifier comes too late: the code was spent by the failed attempt.
    status, body = _post(token_url, {**form, "code": code, "code_verifier": verifier}, (CLIENT_ID, secret))
    assert (status, body) == (400, {"error": "invalid_grant"})

    code = _code(client, verifier)
    status, _ = _post(token_url, {**form, "code": code, "code_verifier": verifier}, (CLIENT_ID, "wrong-secret"))
    assert status == 401
    status, body = _post(token_url, {**form, "code": code, "code_verifier": verifier}, (CLIENT_ID, secret))
    assert status == 200
    claims = oidc.verify_id_token(
        body["id_token"],
        issuer=conf.issuer(),
        client_id=CLIENT_ID,
        nonce="nonce-1",
        jwks_uri=local_idp.url + "/idp/jwks.json",
    )
    assert claims["exp"] - claims["iat"] == 300 and claims["cnie"] == "BE123456" and claims["acr"] == "substantial"
    assert jwt.get_unverified_header(body["id_token"])["alg"] == "RS256"
    status, body = _post(token_url, {**form, "code": code, "code_verifier": verifier}, (CLIENT_ID, secret))
    assert status == 400  # single use
    assert not Citizen.objects.exists()


@live
def test_tokens_with_the_real_key_but_bad_claims_are_refused(local_idp):
    """Tokens signed with the provider's own key: only the right audience, time and fresh nonce pass."""
    build_org()
    issuer, jwks_uri = conf.issuer(), local_idp.url + "/idp/jwks.json"
    now = int(time.time())
    base = {"iss": issuer, "aud": CLIENT_ID, "sub": "demo-0001", "iat": now, "exp": now + 300, "nonce": "n-ok"}

    def check(claims: dict, nonce: str = "n-ok") -> dict:
        return oidc.accept_id_token(
            keys.sign(keys.IDP_KEY_FILE, claims), issuer=issuer, client_id=CLIENT_ID, nonce=nonce, jwks_uri=jwks_uri
        )

    for claims, code in [
        ({**base, "aud": "other-client"}, "audience"),
        ({**base, "iat": now - 900, "exp": now - 600}, "expired"),
        ({**base, "iss": local_idp.url + "/elsewhere"}, "issuer"),
    ]:
        with pytest.raises(oidc.OidcError) as err:
            check(claims)
        assert err.value.code == code
    assert check(base)["sub"] == "demo-0001"
    with pytest.raises(oidc.OidcError) as err:
        check(base)
    assert err.value.code == "replayed"
    # A byte changed in the signature.
    token = keys.sign(keys.IDP_KEY_FILE, {**base, "nonce": "n-2"})
    head, payload, sig = token.split(".")
    sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    with pytest.raises(oidc.OidcError) as err:
        oidc.verify_id_token(
            f"{head}.{payload}.{sig}", issuer=issuer, client_id=CLIENT_ID, nonce="n-2", jwks_uri=jwks_uri
        )
    assert err.value.code == "signature"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/idp/.well-known/openid-configuration", "/idp/jwks.json", "/idp/authorize", "/idp/token"]
)
def test_provider_is_404_when_switched_off(client, settings, path):
    settings.AMANE_OIDC_LOCAL_IDP = False
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.django_db
def test_provider_never_redirects_to_an_unknown_address(client, settings):
    settings.AMANE_OIDC_LOCAL_IDP = True
    response = client.get(
        "/idp/authorize",
        {"client_id": conf.client_id(), "redirect_uri": "https://evil.example/cb", "response_type": "code"},
    )
    assert response.status_code == 400 and "Location" not in response
    response = client.post("/idp/authorize", {"client_id": "intruder", "redirect_uri": conf.redirect_uri()})
    assert response.status_code == 400
    assert not IdpAuthorizationCode.objects.exists()


@pytest.mark.django_db
def test_discovery_and_jwks(client, settings):
    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.PUBLIC_BASE_URL = "https://amane.example"
    doc = client.get("/idp/.well-known/openid-configuration").json()
    assert doc["issuer"] == "https://amane.example/idp" and doc["code_challenge_methods_supported"] == ["S256"]
    key = client.get("/idp/jwks.json").json()["keys"][0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and "d" not in key and key["kid"]
    assert len(CITIZENS) >= 4 and all(c["cnie"][:2].isalpha() for c in CITIZENS)


def test_signing_key_is_created_once_owner_only(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    first = keys.public_jwk("test_key.pem")
    mode = stat.S_IMODE((tmp_path / "test_key.pem").stat().st_mode)
    assert mode == 0o600
    keys._private_key.cache_clear()
    assert keys.public_jwk("test_key.pem") == first


def test_system_checks_warn_about_an_exposed_demo_provider(settings):
    from identity.checks import local_idp_not_public

    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.AMANE_OIDC_ISSUER = ""
    settings.ALLOWED_HOSTS = ["localhost"]
    assert local_idp_not_public() == []
    settings.ALLOWED_HOSTS = ["amane.police.ma"]
    assert [m.id for m in local_idp_not_public()] == ["identity.W001"]
    settings.AMANE_OIDC_LOCAL_IDP = False
    settings.AMANE_OIDC_ISSUER = "http://idp.example.ma"
    assert [m.id for m in local_idp_not_public()] == ["identity.E001"]
    settings.AMANE_OIDC_ISSUER = "https://idp.example.ma"
    assert local_idp_not_public() == []
