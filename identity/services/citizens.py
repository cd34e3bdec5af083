"""Citizens: sign-in from a verified ID token, sign-out, replayed tokens, and every read of a
citizen's identity (decrypted only here, each read logged with its purpose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import Conflict, ValidationFailed
from core.validators import normalize_cnie
from identity.choices import Assurance
from identity.models import Citizen, UsedNonce

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


@dataclass(frozen=True)
class CitizenIdentity:
    """A citizen's identity as the provider asserted it at the last sign-in, decrypted."""

    given_name: str
    family_name: str
    cnie: str
    assurance_level: str
    language: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def assurance_label(self) -> str:
        """The level of assurance in the page's language ("substantial" is a code, not a word to show)."""
        if self.assurance_level in Assurance.values:
            return str(Assurance(self.assurance_level).label)
        return self.assurance_level


class IdentityPurpose(models.TextChoices):
    """Why a citizen's identity is decrypted (each read is logged with one of these)."""

    SHOWN_TO_CITIZEN = "shown_to_citizen", _("Shown to the citizen themself")
    COMPLAINT_FILING = "complaint_filing", _("Copied into the complaint the citizen files")
    TTP_CHECK = "ttp_check", _("Compared for a partner's identity check, with the citizen's consent")


@transaction.atomic
def citizen_identity_read(*, citizen: Citizen, purpose: str) -> CitizenIdentity:
    """Decrypt the citizen's names and CNIE, logging the read (law 09-08), as a complainant's are."""
    if purpose not in IdentityPurpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    audit_record(
        actor=None,
        action="identity.citizen_read",
        obj=citizen,
        after={"purpose": purpose, "fields": ["given_name", "family_name", "cnie"]},
    )
    return CitizenIdentity(
        given_name=crypto.decrypt(citizen.given_name_enc),
        family_name=crypto.decrypt(citizen.family_name_enc),
        cnie=crypto.decrypt(citizen.cnie_enc),
        assurance_level=citizen.assurance_level,
        language=citizen.language,
    )
