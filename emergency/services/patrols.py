"""Patrols and the roster: creating a patrol, putting it on a shift, signing on and off duty."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.geo import validate_point
from emergency.choices import PatrolKind, PatrolStatus
from emergency.models import Patrol, RosterShift
from emergency.selectors import current_shift, patrol_for_user, patrols_visible
from emergency.services.base import lock_patrol, publish_patrol, require_roles
from emergency.workflow import BUSY_PATROL_STATUSES, DISPATCH_ROLES, PATROL_ROLES, PATROL_SELF_STATUSES
from org.models import Unit, User
from org.selectors import wilaya_of

MAX_SHIFT_HOURS = 24


@transaction.atomic
def patrol_create(
    *,
    actor: User | None,
    call_sign: str,
    kind: str,
    home_unit: Unit,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Patrol:
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow creating patrols."))
    call_sign = (call_sign or "").strip().upper()
    if not call_sign or len(call_sign) > 20:
        raise ValidationFailed(_("Give a call sign."), fields={"call_sign": _("Required.")})
    if kind not in PatrolKind.values:
        raise ValidationFailed(_("Unknown kind of patrol."), fields={"kind": _("Unknown value.")})
    validate_point(latitude, longitude)
    wilaya = wilaya_of(home_unit)
    if wilaya is None:
        raise ValidationFailed(_("A patrol belongs to a unit under a wilaya."), fields={"home_unit": _("No wilaya.")})
    if Patrol.objects.filter(call_sign=call_sign).exists():
        raise Conflict(_("Call sign %(sign)s is taken.") % {"sign": call_sign})
    patrol = Patrol.objects.create(
        call_sign=call_sign,
        kind=kind,
        home_unit=home_unit,
        wilaya=wilaya,
        latitude=latitude,
        longitude=longitude,
        position_at=timezone.now() if latitude is not None else None,
        status=PatrolStatus.OFF_DUTY,
        status_at=timezone.now(),
    )
    audit_record(actor=actor, action="patrol.create", obj=patrol, after={"call_sign": call_sign, "kind": kind})
    publish_patrol(patrol)
    return patrol


@transaction.atomic
def roster_assign(
    *,
    actor: User | None,
    patrol: Patrol,
    starts_at: datetime,
    ends_at: datetime,
    officers: Sequence[User] = (),
    unit: Unit | None = None,
) -> RosterShift:
    """Put a patrol and its officers on a shift (the plan readiness is measured against)."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow changing the roster."))
    if actor is not None and not patrols_visible(actor).filter(pk=patrol.pk).exists():
        raise NotFound(_("No such patrol."))
    if ends_at <= starts_at:
        raise ValidationFailed(_("The shift must end after it starts."), fields={"ends_at": _("Before the start.")})
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationFailed(
            _("A shift lasts at most %(n)s hours.") % {"n": MAX_SHIFT_HOURS}, fields={"ends_at": _("Too long.")}
        )
    if RosterShift.objects.filter(patrol=patrol, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise Conflict(_("Patrol %(sign)s already has a shift at that time.") % {"sign": patrol.call_sign})
    wilaya_path = patrol.wilaya.path
    for officer in officers:
        if officer.unit is None or not officer.unit.path.startswith(wilaya_path):
            raise ValidationFailed(
                _("%(name)s does not serve in this patrol's wilaya.") % {"name": officer.get_username()},
                fields={"officers": _("Outside the wilaya.")},
            )
        if RosterShift.objects.filter(officers=officer, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise Conflict(_("%(name)s is already on another shift at that time.") % {"name": officer.get_username()})
    shift = RosterShift.objects.create(
        patrol=patrol, unit=unit or patrol.home_unit, starts_at=starts_at, ends_at=ends_at
    )
    if officers:
        shift.officers.set(officers)
    audit_record(
        actor=actor,
        action="roster.assign",
        obj=shift,
        after={
            "patrol": patrol.call_sign,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "officers": [o.pk for o in officers],
        },
    )
    return shift


def _require_patrol_actor(actor: User | None, patrol: Patrol) -> None:
    if actor is None:
        return
    if actor.has_role(*DISPATCH_ROLES):
        if not patrols_visible(actor).filter(pk=patrol.pk).exists():
            raise NotFound(_("No such patrol."))
        return
    mine = patrol_for_user(actor)
    if not actor.has_role(*PATROL_ROLES) or mine is None or mine.pk != patrol.pk:
        raise PermissionDenied(_("Only the officers on duty with this patrol or the command room may do this."))


@transaction.atomic
def patrol_set_status(
    *,
    patrol: Patrol,
    actor: User | None,
    status: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Patrol:
    """Sign a patrol on (available, only during one of its shifts) or off duty (only when free)."""
    if status not in PATROL_SELF_STATUSES:
        raise ValidationFailed(
            _("A patrol sets itself available or off duty; missions set the other statuses."),
            fields={"status": _("Not allowed.")},
        )
    validate_point(latitude, longitude)
    _require_patrol_actor(actor, patrol)
    patrol = lock_patrol(patrol)
    now = timezone.now()
    if patrol.status in BUSY_PATROL_STATUSES:
        raise Conflict(_("Patrol %(sign)s is on a mission: finish it first.") % {"sign": patrol.call_sign})
    before = {"status": patrol.status}
    if status == PatrolStatus.AVAILABLE:
        shift = current_shift(patrol, now)
        if shift is None:
            raise Conflict(_("Patrol %(sign)s has no shift now: it stays off duty.") % {"sign": patrol.call_sign})
        if shift.signed_on_at is None:
            shift.signed_on_at = now
            shift.save(update_fields=["signed_on_at"])
    patrol.status, patrol.status_at = status, now
    if latitude is not None:
        patrol.latitude, patrol.longitude, patrol.position_at = latitude, longitude, now
    patrol.save()
    audit_record(actor=actor, action="patrol.status", obj=patrol, before=before, after={"status": status})
    publish_patrol(patrol)
    return patrol
