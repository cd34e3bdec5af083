"""The trusted-third-party check.

GIVEN a partner registered by an administrator and citizens verified at sign-in
WHEN the partner asks whether a person is who they claim, naming the consent that person gave it in
     the portal
THEN the answer is a JWT signed by the platform, verifiable with the published JWKS, saying only yes
     or no (never per field, never whether a CNIE has an account) and never carrying the person's
     data; the check is stored and audited without the CNIE; a consent for another partner, a
     withdrawn or expired one, a missing, wrong or revoked key and bad input are refused and write
     nothing; past its rate a partner gets 429.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import jwt
import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditRecord
from identity.models import ConsentRecord, TtpConsent
from identity.services import ttp_consent_give, ttp_consent_withdraw, ttp_issuer
from identity.tests.factories import login_citizen, make_citizen
from org.choices import KeyScope
from org.models import ApiKey, Partner
from org.services import api_key_revoke
from org.tests.factories import partner_key

pytestmark = pytest.mark.django_db

URL = "/identity/ttp/verify"


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


@pytest.fixture
def fatima(partner):
    """A citizen who allowed the bank to check her identity to open an account."""
    citizen = make_citizen(cnie="BE123456", given_name="فاطمة الزهراء", family_name="العلوي", assurance_level="high")
    consent = ttp_consent_give(citizen=citizen, partner=partner[0], purpose="ouverture de compte bancaire")
    return citizen, consent


def claim(consent, **over) -> dict:
    return {
        "cnie": "be 123456",
        "given_name": "فاطمة  الزهراء",
        "family_name": "العلوي",
        "consent_id": consent.code,
    } | over


def test_match_is_signed_and_reveals_nothing(client, partner, fatima):
    p, key = partner
    _citizen, consent = fatima
    response = ask(client, key, claim(consent))
    claims = verified(client, response, p)
    assert claims["match"] is True and claims["assurance_level"] == "high"
    assert "fields" not in claims and claims["consent_id"] == consent.code
    record = ConsentRecord.objects.get(pk=claims["check_id"])
    assert record.partner == p and record.consent == consent and record.purpose == "ouverture de compte bancaire"
    raw = response.content.decode() + json.dumps(claims, ensure_ascii=False)
    for secret in ("BE123456", "123456", "فاطمة", "العلوي"):
        assert secret not in raw
    audit = AuditRecord.objects.get(action="identity.ttp_check")
    assert audit.after["consent"] == consent.code and "123456" not in json.dumps(audit.after)
    assert AuditRecord.objects.get(action="identity.citizen_read").after["purpose"] == "ttp_check"


@pytest.mark.parametrize(
    "wrong",
    [{"family_name": "التازي"}, {"given_name": "خديجة"}, {"cnie": "ZZ999999"}, {"cnie": "BK654321"}],
    ids=["family name", "given name", "unknown CNIE", "another citizen's CNIE"],
)
def test_any_mismatch_is_one_no_that_says_nothing_else(client, partner, fatima, wrong):
    """No per-field oracle: a wrong name, a wrong CNIE or the CNIE of someone else who has an account
    all get the very same answer, without an assurance level."""
    make_citizen(cnie="BK654321", given_name="يوسف", family_name="بناني")
    p, key = partner
    claims = verified(client, ask(client, key, claim(fatima[1], **wrong)), p)
    assert claims["match"] is False
    assert set(claims) == {"iss", "aud", "iat", "exp", "jti", "check_id", "consent_id", "purpose", "match"}


def test_a_consent_for_another_partner_withdrawn_or_expired_is_refused(client, partner, fatima):
    citizen, consent = fatima
    p, key = partner
    other, _ = partner_key("Opérateur", KeyScope.TTP)
    elsewhere = ttp_consent_give(citizen=citizen, partner=other, purpose="abonnement")
    for code in (elsewhere.code, "C-NOTACODE22"):
        refused = ask(client, key, claim(consent, consent_id=code))
        assert refused.status_code == 403 and refused.json()["code"] == "consent_invalid"
    ttp_consent_withdraw(citizen=citizen, consent=consent)
    assert ask(client, key, claim(consent)).status_code == 403
    fresh = ttp_consent_give(citizen=citizen, partner=p, purpose="crédit")
    TtpConsent.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ask(client, key, claim(fresh)).status_code == 403
    assert not ConsentRecord.objects.exists()


def test_a_partner_past_its_rate_gets_429(client, partner, fatima, settings):
    settings.AMANE_TTP_RATE = "2/60"
    _p, key = partner
    assert [ask(client, key, claim(fatima[1])).status_code for _ in range(3)] == [200, 200, 429]
    limited = ask(client, key, claim(fatima[1]))
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


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
def test_bad_key_is_refused_and_writes_nothing(client, partner, fatima, auth, status):
    response = ask(client, auth, claim(fatima[1]))
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "fields"}
    assert not ConsentRecord.objects.exists()
    assert not AuditRecord.objects.filter(action="identity.ttp_check").exists()


def test_revoked_key_is_refused(client, partner, fatima):
    p, key = partner
    api_key_revoke(actor=None, key=ApiKey.objects.get(partner=p))
    assert ask(client, key, claim(fatima[1])).status_code == 403
    assert not ConsentRecord.objects.exists()


BAD_INPUT = {
    "not JSON": (lambda c: "{cnie:", 400, None),
    "a JSON array": (lambda c: "[]", 400, None),
    "no consent": (lambda c: claim(c, consent_id=""), 422, "consent_id"),
    "consent not a string": (lambda c: claim(c, consent_id=12), 422, "consent_id"),
    "bad CNIE": (lambda c: claim(c, cnie="<script>alert(1)</script>"), 422, "cnie"),
    "CNIE not a string": (lambda c: claim(c, cnie=123456), 422, "cnie"),
    "empty name": (lambda c: claim(c, given_name="   "), 422, "given_name"),
    "name too long": (lambda c: claim(c, family_name="ع" * 151), 422, "family_name"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_a_translated_4xx_and_writes_nothing(client, partner, fatima, case):
    make_body, status, field = BAD_INPUT[case]
    body = make_body(fatima[1])
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
    citizen = make_citizen(cnie="BE123456", given_name="فاطمة", family_name="العلوي")
    consent = ttp_consent_give(citizen=citizen, partner=stored.partner, purpose="abonnement")
    response = ask(
        client, key, {"cnie": "BE123456", "given_name": "فاطمة", "family_name": "العلوي", "consent_id": consent.code}
    )
    assert response.status_code == 200


def test_a_citizen_gives_and_withdraws_a_consent_in_the_portal(client, partner):
    """GIVEN a signed-in citizen WHEN she allows the bank a check THEN the portal shows the code to
    hand over; a purpose left empty is a 422; withdrawing it stops the partner's checks."""
    p, key = partner
    citizen = make_citizen(cnie="BE123456", given_name="فاطمة", family_name="العلوي")
    login_citizen(client, citizen)
    assert client.post("/my/consents/", {"partner": p.pk, "purpose": "", "days": 30}).status_code == 422
    page = client.post("/my/consents/", {"partner": p.pk, "purpose": "فتح حساب بنكي", "days": 30})
    assert page.status_code == 201
    consent = TtpConsent.objects.get()
    assert consent.code in page.content.decode() and consent.citizen == citizen
    body = {"cnie": "BE123456", "given_name": "فاطمة", "family_name": "العلوي", "consent_id": consent.code}
    assert verified(client, ask(client, key, body), p)["match"] is True
    assert client.post(f"/my/consents/{consent.code}/withdraw/").status_code == 302
    assert ask(client, key, body).status_code == 403
