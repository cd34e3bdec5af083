"""The trusted-third-party check.

GIVEN a partner registered by an administrator and citizens verified at sign-in
WHEN the partner asks whether a person is who they claim, with the person's consent
THEN the answer is a JWT signed by the platform, verifiable with the published JWKS, saying yes or
     no per field and never carrying the person's data; the consent is stored and audited without
     the CNIE; a missing, wrong or revoked key and bad input are refused and write nothing.
"""

from __future__ import annotations

import io
import json

import jwt
import pytest
from django.core.management import call_command

from audit.models import AuditRecord
from identity.models import ConsentRecord
from identity.services import ttp_issuer
from identity.tests.factories import make_citizen
from org.choices import KeyScope
from org.models import ApiKey, Partner
from org.services import api_key_revoke
from org.tests.factories import partner_key

pytestmark = pytest.mark.django_db

URL = "/identity/ttp/verify"
CONSENT = {
    "text": "أوافق على التحقق من هويتي لدى المديرية العامة للأمن الوطني لفتح حساب بنكي.",
    "version": "v2",
    "given_at": "2026-01-15T10:00:00+01:00",
    "purpose": "ouverture de compte bancaire",
}


def ask(client, key: str | None, body, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def verified(client, response, partner: Partner) -> dict:
    assert response.status_code == 200, response.content
    token = response.json()["answer"]
    jwks = client.get("/identity/ttp/jwks.json").json()
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == kid))
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=partner.name, issuer=ttp_issuer())


@pytest.fixture
def partner():
    return partner_key("Banque Exemple", KeyScope.TTP)


def test_match_is_signed_and_reveals_nothing(client, partner):
    make_citizen(cnie="BE123456", given_name="فاطمة الزهراء", family_name="العلوي", assurance_level="high")
    p, key = partner
    body = {"cnie": "be 123456", "given_name": "فاطمة  الزهراء", "family_name": "العلوي", "consent": CONSENT}

    response = ask(client, key, body)

    claims = verified(client, response, p)
    assert claims["match"] is True and claims["fields"] == {"cnie": True, "given_name": True, "family_name": True}
    assert claims["assurance_level"] == "high"
    consent = ConsentRecord.objects.get(pk=claims["consent_id"])
    assert consent.partner == p and consent.consent_version == "v2" and consent.purpose == CONSENT["purpose"]
    assert consent.consented_at.isoformat().startswith("2026-01-15T09:00:00")
    raw = response.content.decode() + json.dumps(claims, ensure_ascii=False)
    for secret in ("BE123456", "123456", "فاطمة", "العلوي"):
        assert secret not in raw
    audit = AuditRecord.objects.get(action="identity.ttp_check")
    assert audit.after["consent"] == consent.pk and "123456" not in json.dumps(audit.after)
    assert "123456" not in consent.cnie_hash


def test_no_match_answers_false_per_field(client, partner):
    make_citizen(cnie="BK654321", given_name="يوسف", family_name="بناني")
    p, key = partner
    wrong_name = verified(
        client,
        ask(client, key, {"cnie": "BK654321", "given_name": "يوسف", "family_name": "التازي", "consent": CONSENT}),
        p,
    )
    assert wrong_name["match"] is False
    assert wrong_name["fields"] == {"cnie": True, "given_name": True, "family_name": False}
    unknown = verified(
        client,
        ask(client, key, {"cnie": "ZZ999999", "given_name": "يوسف", "family_name": "بناني", "consent": CONSENT}),
        p,
    )
    assert unknown["match"] is False and not any(unknown["fields"].values())
    assert "assurance_level" not in unknown
    assert ConsentRecord.objects.count() == 2


def test_answer_signed_by_another_key_does_not_verify(client, partner):
    """The published JWKS is the platform's: a forged answer fails verification."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    p, _key = partner
    jwks = client.get("/identity/ttp/jwks.json").json()
    forged = jwt.encode(
        {"iss": ttp_issuer(), "aud": p.name, "match": True},
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": jwks["keys"][0]["kid"]},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, jwt.PyJWK(jwks["keys"][0]).key, algorithms=["RS256"], audience=p.name)


@pytest.mark.parametrize(
    ("auth", "status"), [(None, 401), ("idp_not-a-real-key", 403), ("", 401)], ids=["none", "wrong", "empty"]
)
def test_bad_key_is_refused_and_writes_nothing(client, partner, auth, status):
    response = ask(client, auth, {"cnie": "BE123456", "given_name": "a", "family_name": "b", "consent": CONSENT})
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "fields"}
    assert not ConsentRecord.objects.exists()
    assert not AuditRecord.objects.filter(action="identity.ttp_check").exists()


def test_revoked_key_is_refused(client, partner):
    p, key = partner
    api_key_revoke(actor=None, key=ApiKey.objects.get(partner=p))
    response = ask(client, key, {"cnie": "BE123456", "given_name": "a", "family_name": "b", "consent": CONSENT})
    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


GOOD = {"cnie": "BE123456", "given_name": "فاطمة", "family_name": "العلوي", "consent": CONSENT}
BAD_INPUT = {
    "not JSON": ("{cnie:", 400, None),
    "a JSON array": ("[]", 400, None),
    "no consent": ({**GOOD, "consent": None}, 422, "consent"),
    "consent without text": ({**GOOD, "consent": {**CONSENT, "text": ""}}, 422, "consent.text"),
    "consent in the future": (
        {**GOOD, "consent": {**CONSENT, "given_at": "2999-01-01T00:00:00Z"}},
        422,
        "consent.given_at",
    ),
    "consent time without zone": (
        {**GOOD, "consent": {**CONSENT, "given_at": "2026-01-01T10:00"}},
        422,
        "consent.given_at",
    ),
    "consent time not a date": ({**GOOD, "consent": {**CONSENT, "given_at": "yesterday"}}, 422, "consent.given_at"),
    "bad CNIE": ({**GOOD, "cnie": "<script>alert(1)</script>"}, 422, "cnie"),
    "CNIE not a string": ({**GOOD, "cnie": 123456}, 422, "cnie"),
    "empty name": ({**GOOD, "given_name": "   "}, 422, "given_name"),
    "name too long": ({**GOOD, "family_name": "ع" * 151}, 422, "family_name"),
    "purpose too long": ({**GOOD, "consent": {**CONSENT, "purpose": "x" * 301}}, 422, "consent.purpose"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_a_translated_4xx_and_writes_nothing(client, partner, case):
    body, status, field = BAD_INPUT[case]
    _p, key = partner
    audit_before = AuditRecord.objects.count()

    response = ask(client, key, body, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == status
    payload = response.json()
    assert set(payload) == {"code", "message", "fields"} and payload["message"]
    if field:
        assert field in payload["fields"]
    assert "<script>" not in response.content.decode()
    assert not ConsentRecord.objects.exists() and AuditRecord.objects.count() == audit_before
    # The message follows the partner's Accept-Language: French here, Arabic there.
    assert payload["message"] != ask(client, key, body, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    response_ar = ask(client, key, body, HTTP_ACCEPT_LANGUAGE="ar")
    assert response_ar.json()["message"] != payload["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in response_ar.json()["message"])


def test_get_is_refused(client, partner):
    _p, key = partner
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405


def test_key_command_gives_a_partner_a_working_ttp_key(client):
    out = io.StringIO()
    call_command("api_key", "create", partner="Opérateur Télécom", scope=["ttp"], stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    stored = ApiKey.objects.get(partner__name="Opérateur Télécom")
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    assert stored.scopes == ["ttp"]
    response = ask(client, key, GOOD)
    assert response.status_code == 200
