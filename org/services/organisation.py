"""Writes to the organisation: units, users and roles, service accounts, partners and their API keys,
each audited."""

from __future__ import annotations

import hashlib
import pickle
import secrets
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import Conflict, ServiceUnavailable, ValidationFailed
from org.choices import KeyScope, UnitKind
from org.models import ApiKey, Partner, Unit, User

KEY_DEFAULT_DAYS = 365
KEY_MAX_DAYS = 2 * 365


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    parent: Unit | None,
    kind: str,
    code: str,
    name_ar: str,
    name_fr: str,
    city: str,
    name_en: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    area_geojson: dict | None = None,
) -> Unit:
    unit = Unit.objects.create(
        parent=parent,
        kind=kind,
        code=code,
        name_ar=name_ar,
        name_fr=name_fr,
        name_en=name_en,
        city=city,
        latitude=latitude,
        longitude=longitude,
        area_geojson=area_geojson,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="unit.create",
        obj=unit,
        after={"code": code, "kind": kind, "parent": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    unit: Unit,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        unit=unit,
        roles=sorted(set(roles)),
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=is_staff,
    )
    password_check(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor, action="user.create", obj=user, after={"username": username, "unit": unit.pk, "roles": user.roles}
    )
    return user


def password_check(password: str, user: User) -> None:
    """Refuse a weak password with the reasons Django's validators give (AUTH_PASSWORD_VALIDATORS:
    length, common passwords, likeness to the user's names, all digits), in the user's language."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        reasons = " ".join(str(m) for m in exc.messages)
        raise ValidationFailed(
            _("This password is too weak: %(reasons)s") % {"reasons": reasons}, fields={"password": reasons}
        ) from None


def service_account(*, username: str, roles: list[str], first_name: str) -> User:
    """The account a machine acts as (the portal, Open311): created on first use at the central unit,
    with no usable password and only the given roles; a disabled account stays disabled.

    Two first requests racing each other meet on the unique username: the loser reads the winner's.
    """
    user = User.objects.filter(username=username).select_related("unit").first()
    if user is not None:
        if not user.is_active or sorted(user.roles) != sorted(roles):
            raise ServiceUnavailable(_("This service is disabled."))
        return user
    central = Unit.objects.filter(kind=UnitKind.CENTRAL).order_by("path").first()
    if central is None:
        raise ServiceUnavailable(_("The service is not set up yet. Please try again later."))
    try:
        with transaction.atomic():
            user = User(username=username, unit=central, roles=sorted(roles), first_name=first_name)
            user.set_unusable_password()
            user.save()
            audit_record(
                actor=None,
                action="user.create",
                obj=user,
                after={"username": username, "unit": central.pk, "roles": user.roles, "service": True},
            )
    except IntegrityError:
        user = User.objects.select_related("unit").get(username=username)
    return user


# ---------------------------------------------------------------- partners and keys


def key_hash(raw: str) -> str:
    """SHA-256 of a key: keys are 256-bit random strings, so no password stretching is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def partner_create(*, actor: User | None, name: str) -> Partner:
    """Register an outside organisation (an Open311 client, an identity-check relying party)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationFailed(_("Give the partner a name of 1 to 120 characters."), fields={"name": _("Invalid.")})
    if Partner.objects.filter(name=name).exists():
        raise Conflict(_("A partner with this name already exists."), fields={"name": _("Already used.")})
    partner = Partner.objects.create(name=name)
    audit_record(actor=actor, action="partner.create", obj=partner, after={"name": name})
    return partner


def _check_key_owner(user: User | None, partner: Partner | None, scopes: list[str]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if (user is None) == (partner is None):
        errors["owner"] = _("A key belongs to one user or one partner.")
    unknown = [s for s in scopes if s not in KeyScope.values]
    if not scopes or unknown:
        errors["scopes"] = _("Choose at least one scope among: %(scopes)s.") % {"scopes": ", ".join(KeyScope.values)}
    elif user is not None and scopes != [KeyScope.API]:
        errors["scopes"] = _("A user's key opens the API only.")
    elif partner is not None and KeyScope.API in scopes:
        errors["scopes"] = _("A partner's key opens Open311 or the identity check, not the staff API.")
    if user is not None and not user.is_active:
        errors["owner"] = _("This user is disabled.")
    if partner is not None and not partner.active:
        errors["owner"] = _("This partner is disabled.")
    return errors


@transaction.atomic
def api_key_create(
    *,
    actor: User | None,
    name: str,
    scopes: list[str],
    user: User | None = None,
    partner: Partner | None = None,
    valid_days: int = KEY_DEFAULT_DAYS,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its clear value, which is shown once and never stored."""
    name = " ".join((name or "").split())
    scopes = sorted(set(scopes))
    errors = _check_key_owner(user, partner, scopes)
    if not name or len(name) > 100:
        errors["name"] = _("Give the key a name of 1 to 100 characters.")
    if not 1 <= valid_days <= KEY_MAX_DAYS:
        errors["valid_days"] = _("A key is valid from 1 to %(n)s days.") % {"n": KEY_MAX_DAYS}
    if errors:
        raise ValidationFailed(_("The key cannot be created: correct the marked fields."), fields=errors)
    raw = "amn_" + secrets.token_urlsafe(32)
    now = timezone.now()
    key = ApiKey.objects.create(
        name=name,
        user=user,
        partner=partner,
        scopes=scopes,
        prefix=raw[:12],
        key_hash=key_hash(raw),
        created_at=now,
        created_by=actor,
        expires_at=now + timedelta(days=valid_days),
    )
    audit_record(
        actor=actor,
        action="api_key.create",
        obj=key,
        after={"owner": key.owner_name, "scopes": scopes, "expires_at": key.expires_at, "prefix": key.prefix},
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a key at once (idempotent); the record stays for the audit."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoke", obj=key, after={"prefix": key.prefix})
    # Forgotten at once by the save's signal, and again once committed (a request of another thread
    # may have read the key meanwhile).
    transaction.on_commit(api_keys_forget)
    return key


# ---------------------------------------------------------------- verified keys, kept in the process
#
# A busy API client sends its key with every request: reading the key, its user and their unit on
# each one was a third of an intake. A process keeps each key it verified, with its owner, for at
# most API_KEY_KEEP_SECONDS, filed under the key's hash (the clear key is never kept). It forgets
# them at once when a key, a user, a partner or a unit is saved or deleted in the process (signals
# in org/apps.py; a revocation also after its commit); the other processes see a revocation or a
# disabled owner at most API_KEY_KEEP_SECONDS later. Expiry and scope are checked on every use.
# Each use gets its own copy of the key and its owner: what a request notes on its user object
# (the jurisdiction's unit ids, a device) never reaches another request.

API_KEY_KEEP_SECONDS = 5.0
API_KEY_KEEP_MAX = 1000
_kept_keys: dict[str, tuple[float, bytes]] = {}


def _monotonic() -> float:
    # One place to read the clock, so that tests can move it forward.
    return time.monotonic()


def api_keys_forget(**_kwargs: Any) -> None:
    """Forget every key kept in the process (a key, user, partner or unit changed)."""
    _kept_keys.clear()


def _kept_key(digest: str) -> ApiKey | None:
    entry = _kept_keys.get(digest)
    if entry is None:
        return None
    if _monotonic() - entry[0] >= API_KEY_KEEP_SECONDS:
        _kept_keys.pop(digest, None)
        return None
    key: ApiKey = pickle.loads(entry[1])  # noqa: S301 (this process's own copy, never outside data)
    return key


def _keep_key(digest: str, key: ApiKey, read_at: float) -> None:
    if len(_kept_keys) >= API_KEY_KEEP_MAX and digest not in _kept_keys:
        _kept_keys.clear()
    _kept_keys[digest] = (read_at, pickle.dumps(key))


def api_key_use(raw: str, scope: str) -> ApiKey | None:
    """The valid key for `raw` that opens `scope` (not revoked, not expired, its owner active), or None.

    The key and its owner are kept in the process for a few seconds (see above). The use is
    recorded at most once a minute: a write on every request would serialise a busy client on its
    key row and double the commits of a read.
    """
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    digest = key_hash(raw)
    key = _kept_key(digest)
    read_at = None
    if key is None:
        read_at = _monotonic()
        key = (
            ApiKey.objects.select_related("user", "user__unit", "partner")
            .filter(key_hash=digest, revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
    if key is None or key.expires_at <= now or scope not in key.scopes:
        return None
    if (key.user is not None and not key.user.is_active) or (key.partner is not None and not key.partner.active):
        return None
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
        kept = _kept_keys.get(digest)
        read_at = kept[0] if read_at is None and kept is not None else read_at
    if read_at is not None:
        _keep_key(digest, key, read_at)
    return key
