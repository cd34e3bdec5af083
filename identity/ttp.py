"""Trusted-third-party answers: a JWT signed with the platform's own key (`identity_ttp_key.pem`)."""

from __future__ import annotations

import secrets
import time

from django.conf import settings

from identity import keys
from identity.models import ConsentRecord

ANSWER_TTL_SECONDS = 300


def ttp_issuer() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/identity/ttp"


def signed_answer(consent: ConsentRecord) -> str:
    """The answer for the partner: yes/no per field, the consent id, never the person's data."""
    now = int(time.time())
    claims = {
        "iss": ttp_issuer(),
        "aud": consent.partner.name,
        "iat": now,
        "exp": now + ANSWER_TTL_SECONDS,
        "jti": secrets.token_urlsafe(16),
        "consent_id": consent.pk,
        "purpose": consent.purpose,
        "match": bool(consent.result.get("match")),
        "fields": {k: bool(consent.result.get(k)) for k in ("cnie", "given_name", "family_name")},
    }
    if consent.result.get("assurance_level"):
        claims["assurance_level"] = consent.result["assurance_level"]
    return keys.sign(keys.TTP_KEY_FILE, claims)
