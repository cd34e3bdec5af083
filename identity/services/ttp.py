"""The trusted-third-party check: a partner asks whether a person is who they claim, with the
consent the person gave in the portal.

The answer is all-or-nothing (`match` true only when the CNIE and both names are the person's), so a
partner learns nothing field by field and nothing about whether a CNIE has an account. The consent
names the partner and the purpose and expires; the citizen can withdraw it; checks are rate-limited
per partner; the answer is a JWT signed with the platform's own key.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.validators import normalize_cnie
from identity import conf, keys
from identity.models import Citizen, ConsentRecord, TtpConsent
from identity.selectors import ttp_partners
from identity.services.citizens import NAME_MAX, IdentityPurpose, citizen_identity_read
from org.choices import KeyScope
from org.models import Partner
from org.ratelimit import Rule, limit
from org.services.throttle import api_key_authenticate

ANSWER_TTL_SECONDS = 300
CONSENT_MAX_DAYS = 90
PURPOSE_MAX = 300
# Consent codes are read out or typed by the citizen: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def partner_authenticate(raw_key: str, *, address: str) -> Partner | None:
    """The partner whose valid key with the "ttp" scope this is, or None (failed keys are throttled
    per client address: `org.services.throttle`)."""
    key = api_key_authenticate(raw_key, KeyScope.TTP, address=address)
    return key.partner if key is not None else None


@transaction.atomic
def ttp_consent_give(*, citizen: Citizen, partner: Partner, purpose: str, days: int = 30) -> TtpConsent:
    """The citizen lets one partner check their identity for one purpose, for `days` days."""
    purpose = " ".join((purpose or "").split())
    errors: dict[str, Any] = {}
    if not purpose or len(purpose) > PURPOSE_MAX:
        errors["purpose"] = _("Say what the check is for (at most %(n)s characters).") % {"n": PURPOSE_MAX}
    if not 1 <= days <= CONSENT_MAX_DAYS:
        errors["days"] = _("A consent lasts from 1 to %(n)s days.") % {"n": CONSENT_MAX_DAYS}
    if partner.pk not in {p.pk for p in ttp_partners()}:
        errors["partner"] = _("This organisation cannot check identities.")
    if errors:
        raise ValidationFailed(_("The consent cannot be given: correct the marked fields."), fields=errors)
    now = timezone.now()
    code = "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    consent = TtpConsent.objects.create(
        code=code,
        citizen=citizen,
        partner=partner,
        purpose=purpose,
        given_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_record(
        actor=None,
        action="identity.consent_give",
        obj=consent,
        after={"partner": partner.name, "purpose": purpose, "days": days},
    )
    return consent


@transaction.atomic
def ttp_consent_withdraw(*, citizen: Citizen, consent: TtpConsent) -> TtpConsent:
    if consent.citizen_id != citizen.pk:
        raise NotFound(_("No such consent."))
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
        audit_record(actor=None, action="identity.consent_withdraw", obj=consent, after={"code": consent.code})
    return consent


@dataclass(frozen=True)
class TtpRequest:
    """What a partner asks: the claimed identity and the code of the citizen's consent."""

    cnie: str
    given_name: str
    family_name: str
    consent_code: str


def _check_ttp_request(ask: TtpRequest) -> str:
    """Every field of a check request at once; returns the normalised CNIE."""
    fields: dict[str, Any] = {}
    cnie_norm = ""
    try:
        cnie_norm = normalize_cnie(ask.cnie)
    except ValidationFailed:
        fields["cnie"] = _("Invalid CNIE number.")
    for key, value in (("given_name", ask.given_name), ("family_name", ask.family_name)):
        if not isinstance(value, str) or not value.strip() or len(value) > NAME_MAX:
            fields[key] = _("A name of 1 to %(max)s characters is required.") % {"max": NAME_MAX}
    if not ask.consent_code or len(ask.consent_code) > 20:
        fields["consent_id"] = _("Give the code of the person's consent.")
    if fields:
        raise ValidationFailed(_("The request is not valid."), fields=fields)
    return cnie_norm


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@transaction.atomic
def ttp_check(*, partner: Partner, request: TtpRequest) -> ConsentRecord:
    """Answer, under the person's consent, whether they are who the partner claims: one yes or no.

    The consent must name this partner and still be valid; otherwise the check is refused and
    nothing is compared. The check is stored (the keyed hash of the CNIE asked, never the number
    or the names) and audited.
    """
    limit(f"ttp:partner:{partner.pk}", Rule.parse(conf.ttp_rate()))
    cnie_norm = _check_ttp_request(request)
    now = timezone.now()
    consent = (
        TtpConsent.objects.select_related("citizen")
        .filter(code=request.consent_code.strip().upper(), partner=partner, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if consent is None:
        raise PermissionDenied(
            _("No valid consent with this code for your organisation: ask the person to give it in the portal."),
            code="consent_invalid",
        )
    identity = citizen_identity_read(citizen=consent.citizen, purpose=IdentityPurpose.TTP_CHECK)
    cnie_hash = crypto.keyed_hash("cnie", cnie_norm)
    match = (
        consent.citizen.cnie_hash == cnie_hash
        and _same_name(identity.given_name, request.given_name)
        and _same_name(identity.family_name, request.family_name)
    )
    result: dict[str, Any] = {"match": match}
    if match:
        result["assurance_level"] = identity.assurance_level
    record = ConsentRecord.objects.create(
        partner=partner,
        consent=consent,
        consented_at=consent.given_at,
        purpose=consent.purpose,
        cnie_hash=cnie_hash,
        result=result,
    )
    audit_record(
        actor=None,
        action="identity.ttp_check",
        obj=record,
        after={"partner": partner.name, "consent": consent.code, "purpose": consent.purpose, "match": match},
    )
    return record


def ttp_issuer() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/identity/ttp"


def signed_answer(record: ConsentRecord) -> str:
    """The answer for the partner: match or not, the consent and the purpose; never the person's data."""
    now = int(time.time())
    claims = {
        "iss": ttp_issuer(),
        "aud": record.partner.name,
        "iat": now,
        "exp": now + ANSWER_TTL_SECONDS,
        "jti": secrets.token_urlsafe(16),
        "check_id": record.pk,
        "consent_id": record.consent.code if record.consent else None,
        "purpose": record.purpose,
        "match": bool(record.result.get("match")),
    }
    if record.result.get("assurance_level"):
        claims["assurance_level"] = record.result["assurance_level"]
    return keys.sign(keys.TTP_KEY_FILE, claims)
