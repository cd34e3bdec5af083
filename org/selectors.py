"""Reads of the organisation, scoped to the caller's jurisdiction."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from org import conf
from org.choices import Role, UnitKind
from org.models import ApiKey, Unit, User

STATION_KINDS = (UnitKind.DISTRICT, UnitKind.DUTY)


class StaffRequest(HttpRequest):
    """The type of a request whose user is a signed-in member of staff (API endpoints and staff
    pages, after authentication): `request.user` is an `org.User`, never anonymous."""

    user: User  # type: ignore[assignment]


def units_within(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it."""
    return Unit.objects.filter(path__startswith=unit.path)


def jurisdiction_unit_ids(user: User) -> list[int]:
    """The ids of the user's unit and every unit below it, read once per request (kept on the user
    object, which lives as long as the request) and used as `assigned_unit_id IN (...)`."""
    unit = user.unit
    if unit is None:
        return []
    key = (unit.pk, unit.path)
    cached = getattr(user, "_jurisdiction_unit_ids", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    ids = list(units_within(unit).values_list("id", flat=True))
    user._jurisdiction_unit_ids = (key, ids)  # type: ignore[attr-defined]
    return ids


def units_for_user(user: User) -> QuerySet[Unit]:
    """Units a user may see and pick: their jurisdiction (nothing when they have no unit)."""
    if not user.is_authenticated or user.unit is None:
        return Unit.objects.none()
    return units_within(user.unit)


def transfer_targets(user: User) -> QuerySet[Unit]:
    """Units a case can be sent to: every station in the country, the Inspectorate and the routing
    desks (a complaint that is nobody's on the list goes back to be sent on).

    Transfers cross jurisdictions by nature (a complaint filed in Rabat about Fès goes to Fès);
    the sender loses sight of the case once it leaves their jurisdiction.
    """
    return Unit.objects.filter(kind__in=[*STATION_KINDS, UnitKind.INSPECTORATE, UnitKind.ROUTING_DESK]).order_by("path")


def chiefs_of(unit: Unit) -> list[User]:
    """Active unit chiefs of exactly this unit (escalation recipients).

    Roles are a JSON list, which SQLite cannot search by element; a unit has a few dozen members,
    so the filter runs in Python on one query.
    """
    return [u for u in User.objects.filter(unit=unit, is_active=True) if "unit_chief" in u.roles]


# ---------------------------------------------------------------- the unit tree, kept in the process
#
# Intake needs the districts' areas (routing) and a unit's ancestors (the reference prefix, the
# escalation chain) on every complaint; reading them each time was 16 % of an intake. The tree is
# small (a few thousand units nationally) and changes rarely: each process keeps it, drops it at
# once when a unit is saved or deleted in that process (signals in org/apps.py), and re-reads it at
# most UNIT_TREE_SECONDS later in the others. Callers must not modify the units it returns.

UNIT_TREE_SECONDS = 60.0
_tree: dict[str, Any] = {"read_at": -UNIT_TREE_SECONDS, "units": {}}


def unit_tree() -> dict[int, Unit]:
    """Every unit by id (kept in the process; see above)."""
    now = time.monotonic()
    if now - _tree["read_at"] >= UNIT_TREE_SECONDS:
        _tree["units"] = {u.pk: u for u in Unit.objects.all()}
        _tree["read_at"] = now
    units: dict[int, Unit] = _tree["units"]
    return units


def unit_tree_changed(**_kwargs: Any) -> None:
    """Forget the kept tree (a unit was saved or deleted; tests call it between tests)."""
    _tree["read_at"] = -UNIT_TREE_SECONDS
    _tree["units"] = {}


def ancestors_of(unit: Unit) -> list[Unit]:
    """The units above `unit`, from the top, read from its materialised path and the kept tree
    (no query while the tree is fresh)."""
    tree = unit_tree()
    ids = [int(p) for p in unit.path.strip("/").split("/") if p][:-1]
    if any(i not in tree for i in ids):
        return unit.ancestors()  # a unit newer than the kept tree
    return [tree[i] for i in ids]


def unit_cached(unit_id: int | None) -> Unit | None:
    return unit_tree().get(unit_id) if unit_id is not None else None


def wilaya_of(unit: Unit) -> Unit | None:
    for u in [*ancestors_of(unit), unit]:
        if u.kind == UnitKind.WILAYA:
            return u
    return None


def officers_for(user: User) -> QuerySet[User]:
    """Active officers of the user's jurisdiction (the "officer" filter of the lists)."""
    return (
        User.objects.filter(unit__in=units_for_user(user), is_active=True)
        .only("id", "first_name", "last_name", "username")
        .order_by("last_name", "first_name", "username")
    )


def officers_of(unit: Unit) -> QuerySet[User]:
    """Active officers of exactly this unit (who a chief may assign a case to)."""
    return User.objects.filter(unit=unit, is_active=True).order_by("last_name", "first_name")


def api_keys(user: User) -> QuerySet[ApiKey]:
    """The keys an administrator manages (every key); nobody else sees any."""
    if not user.has_role(Role.ADMINISTRATOR):
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("user", "partner").order_by("revoked_at", "-created_at")


def active_user(username: str) -> User | None:
    return User.objects.filter(username=(username or "").strip(), is_active=True).first()


def has_authenticator(user: User) -> bool:
    """The user has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user: User, *, has_device: bool) -> bool:
    """A session of this user must pass the second factor: their roles require it (unless
    AMANE_REQUIRE_2FA is off, for the demo), or they set up an authenticator of their own accord."""
    return has_device or (conf.require_second_factor() and user.has_role(*conf.SECOND_FACTOR_ROLES))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
