"""Every write of the digital-identity app, each in one transaction with its audit record."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import Conflict, ValidationFailed
from core.validators import normalize_cnie
from identity import keys
from identity.models import Citizen, ConsentRecord, IdpAuthorizationCode, UsedNonce
from org.choices import KeyScope
from org.models import Partner
from org.services.throttle import api_key_authenticate

NAME_MAX = 150


def _clean_name(value: str, field: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationFailed(_("The name is missing."), fields={field: _("This field is required.")})
    if len(value) > NAME_MAX:
        raise ValidationFailed(
            _("The name is too long (at most %(max)s characters).") % {"max": NAME_MAX},
            fields={field: _("Too long.")},
        )
    return value


@transaction.atomic
def citizen_sign_in(
    *,
    issuer: str,
    sub: str,
    given_name: str,
    family_name: str,
    cnie: str,
    assurance_level: str,
    auth_time: datetime | None = None,
    language: str = "ar",
) -> Citizen:
    """Record a verified sign-in: create the citizen on first visit, refresh the identity after.

    The claims come from an ID token already verified by `identity.oidc`; the provider is the
    authority on the person's names and CNIE, so they replace what was stored.
    """
    if not issuer or not sub or len(sub) > 255 or len(issuer) > 255:
        raise ValidationFailed(_("The identity provider did not say who signed in."), fields={"sub": _("Invalid.")})
    given = _clean_name(given_name, "given_name")
    family = _clean_name(family_name, "family_name")
    cnie_norm = normalize_cnie(cnie)
    now = timezone.now()
    # get_or_create survives two first sign-ins racing (it retries the read on IntegrityError).
    citizen, created = Citizen.objects.get_or_create(issuer=issuer, sub=sub, defaults={"language": language or "ar"})
    if not created:
        citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    citizen.given_name_enc = crypto.encrypt(given)
    citizen.family_name_enc = crypto.encrypt(family)
    citizen.cnie_enc = crypto.encrypt(cnie_norm)
    citizen.cnie_hash = crypto.keyed_hash("cnie", cnie_norm)
    citizen.assurance_level = (assurance_level or "")[:32]
    citizen.auth_time = auth_time
    citizen.last_login_at = now
    citizen.save()
    audit_record(
        actor=None,
        action="identity.citizen_created" if created else "identity.citizen_signed_in",
        obj=citizen,
        after={"issuer": issuer, "assurance_level": citizen.assurance_level},
    )
    return citizen


@transaction.atomic
def citizen_sign_out(*, citizen: Citizen) -> None:
    audit_record(actor=None, action="identity.citizen_signed_out", obj=citizen)


def nonce_consume(*, value: str, expires_at: datetime) -> None:
    """Mark a nonce (or token id) as used; a second use raises Conflict (a replayed token).

    The unique index decides, so two concurrent callbacks with the same token cannot both pass.
    Expired rows are swept on the way.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedNonce.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
            UsedNonce.objects.create(value=value[:255], expires_at=expires_at)
    except IntegrityError:
        raise Conflict(_("This sign-in was already used. Please sign in again."), code="replayed") from None


def partner_authenticate(raw_key: str, *, address: str) -> Partner | None:
    """The partner whose valid key with the "ttp" scope this is, or None (failed keys are throttled
    per client address: `org.services.throttle`)."""
    key = api_key_authenticate(raw_key, KeyScope.TTP, address=address)
    return key.partner if key is not None else None


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class TtpRequest:
    """What a partner asks: the claimed identity and the person's consent (as the partner sent it)."""

    cnie: str
    given_name: str
    family_name: str
    consent_text: str
    consent_version: str
    consented_at: datetime | None
    purpose: str


def _check_ttp_request(ask: TtpRequest) -> str:
    """Every field of a check request at once; returns the normalised CNIE."""
    fields: dict[str, Any] = {}
    if not ask.consent_text or len(ask.consent_text) > 5000:
        fields["consent.text"] = _("The consent text is required (at most 5000 characters).")
    if not ask.consent_version or len(ask.consent_version) > 40:
        fields["consent.version"] = _("The consent version is required (at most 40 characters).")
    if not ask.purpose or len(ask.purpose) > 300:
        fields["consent.purpose"] = _("The purpose is required (at most 300 characters).")
    if ask.consented_at is None or timezone.is_naive(ask.consented_at):
        fields["consent.given_at"] = _("Give the time of consent with its time zone.")
    elif ask.consented_at > timezone.now() + timedelta(minutes=5):
        fields["consent.given_at"] = _("The consent cannot be given in the future.")
    cnie_norm = ""
    try:
        cnie_norm = normalize_cnie(ask.cnie)
    except ValidationFailed:
        fields["cnie"] = _("Invalid CNIE number.")
    for key, value in (("given_name", ask.given_name), ("family_name", ask.family_name)):
        if not isinstance(value, str) or not value.strip() or len(value) > NAME_MAX:
            fields[key] = _("A name of 1 to %(max)s characters is required.") % {"max": NAME_MAX}
    if fields:
        raise ValidationFailed(_("The request is not valid."), fields=fields)
    return cnie_norm


@transaction.atomic
def ttp_check(*, partner: Partner, request: TtpRequest) -> ConsentRecord:
    """Answer whether a person is who they claim, against identities verified at sign-in.

    Stores the consent and the yes/no answer per field; the person's data never leaves. The
    audit record carries the consent id and the partner, never the CNIE.
    """
    ask = TtpRequest(
        cnie=request.cnie,
        given_name=request.given_name,
        family_name=request.family_name,
        consent_text=(request.consent_text or "").strip(),
        consent_version=(request.consent_version or "").strip(),
        consented_at=request.consented_at,
        purpose=" ".join((request.purpose or "").split()),
    )
    cnie_norm = _check_ttp_request(ask)
    cnie_hash = crypto.keyed_hash("cnie", cnie_norm)
    citizen = Citizen.objects.filter(cnie_hash=cnie_hash).order_by("-last_login_at").first()
    assert ask.consented_at is not None  # refused above
    result: dict[str, Any] = {
        "cnie": citizen is not None,
        "given_name": citizen is not None and _same_name(citizen.given_name, ask.given_name),
        "family_name": citizen is not None and _same_name(citizen.family_name, ask.family_name),
    }
    result["match"] = all(result.values())
    if citizen is not None:
        result["assurance_level"] = citizen.assurance_level
    consent = ConsentRecord.objects.create(
        partner=partner,
        consent_text=ask.consent_text,
        consent_version=ask.consent_version,
        consented_at=ask.consented_at,
        purpose=ask.purpose,
        cnie_hash=cnie_hash,
        result=result,
    )
    audit_record(
        actor=None,
        action="identity.ttp_check",
        obj=consent,
        after={"partner": partner.name, "consent": consent.pk, "purpose": ask.purpose, "match": result["match"]},
    )
    return consent


# ---------------------------------------------------------------- the local demo provider

IDP_CODE_TTL_SECONDS = 60


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@transaction.atomic
def idp_code_issue(*, subject: str, client_id: str, redirect_uri: str, code_challenge: str, nonce: str) -> str:
    """Issue a single-use authorization code bound to the PKCE challenge; returns it in clear."""
    code = secrets.token_urlsafe(32)
    IdpAuthorizationCode.objects.filter(expires_at__lt=timezone.now() - timedelta(hours=1)).delete()
    row = IdpAuthorizationCode.objects.create(
        code_hash=_code_hash(code),
        client_id=client_id,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        nonce=nonce,
        subject=subject,
        expires_at=timezone.now() + timedelta(seconds=IDP_CODE_TTL_SECONDS),
    )
    audit_record(actor=None, action="identity.idp_code_issued", obj=row, after={"subject": subject})
    return code


@transaction.atomic
def idp_code_redeem(*, code: str, client_id: str, redirect_uri: str, code_verifier: str) -> IdpAuthorizationCode | None:
    """Spend a code and return it if every check passes, else None (the token endpoint's invalid_grant).

    Unknown, used or expired codes, another client or address, and a wrong PKCE verifier are all
    refused. A known code is spent by any attempt, right or wrong, so a stolen code cannot be
    retried with another verifier; hence this returns None instead of raising (which would roll
    the spending back).
    """
    row = IdpAuthorizationCode.objects.select_for_update().filter(code_hash=_code_hash(code or "")).first()
    if row is None or row.used_at is not None or row.expires_at < timezone.now():
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    challenge = base64.urlsafe_b64encode(hashlib.sha256((code_verifier or "").encode()).digest()).rstrip(b"=")
    ok = (
        row.client_id == client_id
        and row.redirect_uri == redirect_uri
        and 43 <= len(code_verifier or "") <= 128
        and hmac.compare_digest(challenge, row.code_challenge.encode())
    )
    audit_record(actor=None, action="identity.idp_code_redeemed", obj=row, after={"accepted": ok})
    return row if ok else None


# ---------------------------------------------------------------- the trusted-third-party answer

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
