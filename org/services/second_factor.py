"""The second factor of staff sign-in (django-otp): an authenticator app (TOTP) and ten single-use
recovery codes; the end of every session of a user.

A user sets up one authenticator: an unconfirmed TOTP device holds the secret while they scan it,
and their first right code confirms it, replaces any earlier authenticator and issues new recovery
codes (shown once). A code is checked against the device it belongs to: six digits are the
authenticator's, anything else a recovery code (used once, then gone). django-otp's throttling
makes each device wait longer after every wrong code. An administrator resets a user who lost their
phone; that also ends the user's sessions.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from core.errors import ValidationFailed
from org import conf
from org.models import User
from org.services.throttle import Throttled

AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def normalise_code(code: str) -> str:
    """What the user typed, without spaces or dashes (recovery codes are shown as `abcd-efgh`)."""
    return "".join(ch for ch in (code or "").strip().lower() if ch not in " -\u00a0")[:16]


def authenticator_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up (unconfirmed): the one in progress, so that reloading the
    page keeps the QR code the user may already have scanned, or a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < conf.RECOVERY_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    return sorted(codes)


@transaction.atomic
def authenticator_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with its first code. It becomes the user's only one,
    and ten new recovery codes replace the old ones; returns the device and the codes (clear, to
    show once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ValidationFailed(_("Start the set-up again: scan the new code."), fields={"code": _("Expired.")})
    if not device.verify_token(normalise_code(code)):
        raise ValidationFailed(
            _("This code is not right. Check the time on your phone and type the code now shown."),
            fields={"code": _("Wrong code.")},
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="user.second_factor_enrol", obj=user, after={"device": device.persistent_id})
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes for a user who has an authenticator; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationFailed(_("Set up an authenticator app first."))
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="user.recovery_codes", obj=user, after={"count": len(codes)})
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (it is used up: a TOTP code once per time step, a recovery code
    for good), or None. Raises `Throttled` while the device must wait after wrong codes."""
    code = normalise_code(code)
    if not code:
        return None
    # Six digits are the authenticator's; recovery codes are eight letters and digits.
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    for device in model.objects.select_for_update().filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed:
            until = (data or {}).get("locked_until") or timezone.now()
            raise Throttled(max(int((until - timezone.now()).total_seconds() + 0.999), 1), locked=False)
        if device.verify_token(code):
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                audit_record(actor=user, action="user.recovery_code_used", obj=user, after={"left": left})
            return device
    return None


def _rotate_session_salt(user: User) -> None:
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])


@transaction.atomic
def sessions_end_all(*, actor: User | None, user: User) -> None:
    """End every session of `user` on every device ("sign out everywhere"): each session keeps a
    hash of the user's password and session salt, and a new salt fails them all at their next
    request."""
    _rotate_session_salt(user)
    audit_record(actor=actor, action="user.sign_out_everywhere", obj=user, after={"by_self": actor == user})


@transaction.atomic
def second_factor_reset(*, actor: User | None, user: User) -> int:
    """Remove the user's authenticator and recovery codes (a lost phone) and end their sessions; at
    their next sign-in they set up a new one. Returns the number of devices removed."""
    removed = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _rotate_session_salt(user)
    audit_record(actor=actor, action="user.second_factor_reset", obj=user, after={"removed": removed})
    return removed
