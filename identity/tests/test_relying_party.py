"""The relying party refuses every bad ID token through the real callback, and creates no citizen.

GIVEN a provider on loopback whose token endpoint answers an ID token built by the test
WHEN the browser comes back to /identity/callback/ with a code and the session's state
THEN a good token signs the citizen in (new session key), and a tampered signature, a foreign key,
     a wrong audience or issuer, an expired token, a wrong or replayed nonce, alg=none and HS256
     are each refused with a clear translated page (400) and no Citizen row.
"""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.utils import translation
from django.utils.html import escape

from audit.models import AuditRecord
from identity import oidc
from identity.models import Citizen, UsedNonce
from identity.selectors import SESSION_KEY
from identity.services import IdentityPurpose, citizen_identity_read
from identity.tests.factories import CLIENT_ID, CLIENT_SECRET, RogueIdP, begin, rsa_key

pytestmark = pytest.mark.django_db


def callback(client, query: dict, **extra):
    return client.get("/identity/callback/", {"code": "any-code", "state": query["state"], **extra})


def refused_with(response, code: str) -> None:
    assert response.status_code == oidc.OidcError(code).status, response.content
    body = response.content.decode()
    with translation.override("ar"):
        assert escape(str(oidc.MESSAGES[code])) in body
    assert f'data-code="{code}"' in body
    assert 'dir="rtl"' in body


def test_valid_token_signs_in_and_rotates_the_session(client, rogue_idp):
    query = begin(client, rogue_idp, next_url="/track/")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == CLIENT_ID
    key_before = client.session.session_key
    rogue_idp.token_factory = lambda: rogue_idp.sign(rogue_idp.claims(auth_time=int(time.time()) - 5))

    response = callback(client, query)

    assert response.status_code == 302 and response["Location"] == "/track/"
    citizen = Citizen.objects.get()
    assert (citizen.issuer, citizen.sub, citizen.assurance_level) == (rogue_idp.base, "rogue-sub-1", "high")
    identity = citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.SHOWN_TO_CITIZEN)
    assert (identity.given_name, identity.family_name, identity.cnie) == ("يوسف", "بناني", "BK654321")
    assert "BK654321" not in citizen.cnie_enc and citizen.cnie_hash
    assert client.session[SESSION_KEY] == citizen.pk
    assert client.session.session_key != key_before
    # The code was exchanged with the PKCE verifier matching the challenge, client_secret_basic.
    sent = rogue_idp.token_requests[-1]
    assert oidc.pkce_challenge(sent["code_verifier"]) == query["code_challenge"]
    assert RogueIdP.basic_credentials(sent["_authorization"]) == (CLIENT_ID, CLIENT_SECRET)
    assert AuditRecord.objects.filter(action="identity.citizen_created", object_id=str(citizen.pk)).exists()


def test_client_secret_post(client, rogue_idp, settings):
    settings.AMANE_OIDC_TOKEN_AUTH = "client_secret_post"
    query = begin(client, rogue_idp)
    rogue_idp.token_factory = lambda: rogue_idp.sign(rogue_idp.claims())
    assert callback(client, query).status_code == 302
    sent = rogue_idp.token_requests[-1]
    assert (sent["client_id"], sent["client_secret"], sent["_authorization"]) == (CLIENT_ID, CLIENT_SECRET, "")


def _tampered(idp: RogueIdP) -> str:
    header, payload, signature = idp.sign(idp.claims()).split(".")
    forged = jwt.utils.base64url_encode(jwt.utils.base64url_decode(payload).replace(b"BK654321", b"BK111111")).decode()
    return f"{header}.{forged}.{signature}"


def _hs256_with_public_key(idp: RogueIdP) -> str:
    # The classic key-confusion attack: HMAC keyed with the provider's public key.
    pem = idp.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT","kid":"rogue-1"}').decode()
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(idp.claims()).encode()).decode()
    import hashlib
    import hmac

    signature = jwt.utils.base64url_encode(hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature.decode()}"


def _alg_none(idp: RogueIdP) -> str:
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(idp.claims()).encode()).decode()
    return f"{header}.{payload}."


BAD_TOKENS = {
    "tampered payload": (_tampered, "signature"),
    "foreign key, same kid": (lambda idp: idp.sign(idp.claims(), key=rsa_key()), "signature"),
    "unknown kid": (lambda idp: idp.sign(idp.claims(), key=rsa_key(), kid="nobody"), "signature"),
    "wrong audience": (lambda idp: idp.sign(idp.claims(aud="another-service")), "audience"),
    "wrong issuer": (lambda idp: idp.sign(idp.claims(iss="https://elsewhere.example")), "issuer"),
    "expired": (
        lambda idp: idp.sign(idp.claims(iat=int(time.time()) - 900, exp=int(time.time()) - 600)),
        "expired",
    ),
    "issued in the future": (lambda idp: idp.sign(idp.claims(iat=int(time.time()) + 3600)), "not_yet_valid"),
    "wrong nonce": (lambda idp: idp.sign(idp.claims(nonce="someone-elses-nonce")), "nonce"),
    "no nonce": (lambda idp: idp.sign(idp.claims(nonce=None)), "claims"),
    "alg none": (_alg_none, "bad_alg"),
    "HS256 keyed with the public key": (_hs256_with_public_key, "bad_alg"),
    "no CNIE": (lambda idp: idp.sign(idp.claims(cnie=None)), "claims"),
    "not a JWT": (lambda idp: "not-a-token", "malformed"),
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_bad_tokens_are_refused_through_the_callback(client, rogue_idp, case):
    build, code = BAD_TOKENS[case]
    query = begin(client, rogue_idp)
    rogue_idp.token_factory = lambda: build(rogue_idp)

    response = callback(client, query)

    refused_with(response, code)
    assert not Citizen.objects.exists()
    assert SESSION_KEY not in client.session


def test_replayed_token_is_refused(client, rogue_idp):
    """GIVEN a token already accepted once WHEN the same flow and token come back THEN refused."""
    query = begin(client, rogue_idp)
    token = rogue_idp.sign(rogue_idp.claims(jti="token-1"))
    rogue_idp.token_factory = lambda: token
    flows = client.session[oidc.FLOWS_SESSION_KEY]
    assert callback(client, query).status_code == 302
    assert Citizen.objects.count() == 1
    client.post("/identity/logout/")

    # An attacker who captured the browser's state replays it with the same ID token.
    session = client.session
    session[oidc.FLOWS_SESSION_KEY] = flows
    session.save()
    response = callback(client, query)

    refused_with(response, "replayed")
    assert Citizen.objects.count() == 1
    assert SESSION_KEY not in client.session


def test_replayed_nonce_is_refused_by_the_verification_function(rogue_idp, db):
    token = rogue_idp.sign(rogue_idp.claims(nonce="n-1"))
    kwargs = {
        "issuer": rogue_idp.base,
        "client_id": CLIENT_ID,
        "nonce": "n-1",
        "jwks_uri": rogue_idp.base + "/jwks.json",
    }
    assert oidc.accept_id_token(token, **kwargs)["sub"] == "rogue-sub-1"
    with pytest.raises(oidc.OidcError) as err:
        oidc.accept_id_token(token, **kwargs)
    assert err.value.code == "replayed"
    assert UsedNonce.objects.filter(value__endswith=":n-1").count() == 1


def test_state_is_single_use_and_must_be_known(client, rogue_idp):
    query = begin(client, rogue_idp)
    rogue_idp.token_factory = lambda: rogue_idp.sign(rogue_idp.claims())
    refused_with(client.get("/identity/callback/", {"code": "c", "state": "forged"}), "state")
    assert not Citizen.objects.exists()
    assert callback(client, query).status_code == 302
    client.post("/identity/logout/")
    refused_with(callback(client, query), "state")
    assert len(rogue_idp.token_requests) == 1


def test_provider_error_is_a_clear_refusal(client, rogue_idp):
    query = begin(client, rogue_idp)
    refused_with(callback(client, query, error="access_denied"), "denied")
    assert rogue_idp.token_requests == []


def test_key_rotation_refetches_the_jwks_once(client, rogue_idp):
    query = begin(client, rogue_idp)
    rogue_idp.token_factory = lambda: rogue_idp.sign(rogue_idp.claims())
    assert callback(client, query).status_code == 302
    assert rogue_idp.jwks_fetches == 1
    # The provider rotates its key: the cached JWKS lacks the new kid, so it is fetched again.
    new_key = rsa_key()
    from identity.tests.factories import public_jwk

    rogue_idp.jwks = {"keys": [public_jwk(new_key, "rogue-2")]}
    query = begin(client, rogue_idp)
    rogue_idp.token_factory = lambda: rogue_idp.sign(rogue_idp.claims(), key=new_key, kid="rogue-2")
    assert callback(client, query).status_code == 302
    assert rogue_idp.jwks_fetches == 2


def test_unreachable_provider(client, settings):
    settings.AMANE_OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    response = client.get("/identity/login/")
    refused_with(response, "unreachable")


def test_not_configured(client, settings):
    settings.AMANE_OIDC_ISSUER = ""
    settings.AMANE_OIDC_LOCAL_IDP = False
    refused_with(client.get("/identity/login/"), "not_configured")


def test_next_is_kept_on_this_site_only(client, rogue_idp):
    begin(client, rogue_idp, next_url="https://evil.example/phish")
    flows = client.session[oidc.FLOWS_SESSION_KEY]
    assert [f["next"] for f in flows.values()] == ["/"]
