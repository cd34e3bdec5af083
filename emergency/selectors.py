"""Reads of line 19, already narrowed to the caller's jurisdiction, and the live snapshots.

A dispatcher or patrol sits in a command room under a wilaya: their jurisdiction is that wilaya.
Other staff see their own subtree (a wilaya chief their wilaya, an area chief their area's
districts, the centre everything). One-object lookups answer the same 404 for missing and
forbidden.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import NotFound, PermissionDenied
from emergency import conf
from emergency.choices import IncidentState, PatrolStatus, Priority
from emergency.models import Call, CallCategory, Incident, Patrol, RosterShift
from emergency.workflow import BOARD_ROLES, OPEN_INCIDENT_STATES
from org import access
from org.choices import UnitKind
from org.models import Unit, User

# Units that work for the whole wilaya they sit in (not a territory of their own).
WILAYA_WIDE_KINDS = frozenset({UnitKind.COMMAND_ROOM, UnitKind.DUTY, UnitKind.COMMUNICATION})
BOARD_LIMIT = 300  # open incidents drawn at once; a command room has tens


def _scope(user: User, act: str = access.LINE19_READ) -> tuple[str, Any]:
    """What line-19 records `act` reaches for this user (org.access.POLICY):
    ("none", None) | ("national", None) | ("wilaya", wilaya_id) | ("subtree", path) |
    ("mission", (incident_id, patrol_id)) — a patrol officer sees only their current mission."""
    if not getattr(user, "is_authenticated", False) or user.unit is None:
        return "none", None
    scopes = access.scopes_for(user.roles, act)
    unit = user.unit
    if access.WILAYA in scopes or access.JURISDICTION in scopes:
        if unit.kind == UnitKind.CENTRAL:
            return "national", None
        if unit.kind == UnitKind.WILAYA:
            return "wilaya", unit.pk
        if unit.kind in WILAYA_WIDE_KINDS and unit.parent_id is not None:
            parent = unit.parent
            if parent is not None and parent.kind == UnitKind.WILAYA:
                return "wilaya", parent.pk
            return "subtree", parent.path if parent is not None else unit.path
        return "subtree", unit.path
    if access.OWN_MISSION in scopes:
        patrol = patrol_for_user(user)
        return ("mission", (patrol.current_incident_id, patrol.pk)) if patrol is not None else ("none", None)
    return "none", None


def emergency_wilaya_ids(user: User) -> set[int] | None:
    """Wilayas whose whole live stream the user may follow: None = every wilaya (national).

    Staff below a wilaya (an area or district chief) get an empty set: they see their part
    through the lists, not the wilaya-wide stream.
    """
    kind, value = _scope(user)
    if kind == "national":
        return None
    if kind == "wilaya":
        return {value}
    if kind == "subtree":
        return set(Unit.objects.filter(path__startswith=value, kind=UnitKind.WILAYA).values_list("id", flat=True))
    return set()


def _q(user: User, *, place: bool, act: str = access.LINE19_READ) -> Q | None:
    """Filter on `wilaya` (and the district/area of the place when `place`); None = no filter."""
    kind, value = _scope(user, act)
    if kind == "national":
        return None
    if kind == "wilaya":
        return Q(wilaya_id=value)
    if kind == "subtree":
        q = Q(wilaya__path__startswith=value)
        if place:
            q |= Q(district__path__startswith=value) | Q(area__path__startswith=value)
        return q
    return Q(pk__in=[])


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def incidents_visible(user: User, act: str = access.LINE19_READ) -> QuerySet[Incident]:
    kind, value = _scope(user, act)
    q = Q(pk=value[0]) if kind == "mission" else _q(user, place=True, act=act)
    return _filtered(Incident.objects.select_related("category", "patrol", "wilaya", "area", "district"), q)


def calls_visible(user: User) -> QuerySet[Call]:
    q = _q(user, place=False)
    kind, value = _scope(user)
    if kind == "mission":
        q = Q(incident_id=value[0])
    elif kind == "subtree":
        q = Q(wilaya__path__startswith=value) | Q(incident__district__path__startswith=value)
        q |= Q(incident__area__path__startswith=value)
    return _filtered(Call.objects.select_related("category", "incident"), q)


def patrols_visible(user: User, act: str = access.LINE19_READ) -> QuerySet[Patrol]:
    kind, value = _scope(user, act)
    q = _q(user, place=False, act=act)
    if kind == "mission":
        q = Q(pk=value[1])
    elif kind == "subtree":
        q = Q(wilaya__path__startswith=value) | Q(home_unit__path__startswith=value)
    return _filtered(Patrol.objects.filter(active=True).select_related("home_unit", "current_incident"), q)


def incident_get(user: User, pk: int) -> Incident:
    found = incidents_visible(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such incident."))
    return found


def call_get(user: User, pk: int) -> Call:
    found = calls_visible(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such call."))
    return found


# Most urgent first; within a priority, an incident sent back by a pre-emption first, then the oldest.
BOARD_ORDER = ("priority", F("requeued_at").desc(nulls_last=True), "received_at")


def open_incidents(user: User) -> QuerySet[Incident]:
    """The board's list: open incidents in `BOARD_ORDER`, with their calls."""
    calls = Prefetch("calls", queryset=Call.objects.select_related("category").order_by("received_at", "id"))
    return incidents_visible(user).filter(state__in=OPEN_INCIDENT_STATES).order_by(*BOARD_ORDER).prefetch_related(calls)


def board_alerts(user: User, at: datetime | None = None) -> list[dict[str, Any]]:
    """What the board must not let pass: a P1 waiting for a patrol, an assignment not acknowledged
    within `conf.ack_seconds()` (the board's script shows the same from the snapshots' `ack_due_at`)."""
    at = at or timezone.now()
    out: list[dict[str, Any]] = []
    waiting = open_incidents(user).filter(state=IncidentState.TRIAGED, priority=Priority.P1)
    for inc in waiting:
        out.append(
            {"kind": "p1_waiting", "incident_id": inc.pk, "reference": inc.reference, "since": _iso(inc.received_at)}
        )
    late = at - timedelta(seconds=conf.ack_seconds())
    unacked = open_incidents(user).filter(
        state=IncidentState.DISPATCHED, acknowledged_at__isnull=True, assigned_at__lte=late
    )
    for inc in unacked:
        out.append(
            {
                "kind": "unacknowledged",
                "incident_id": inc.pk,
                "reference": inc.reference,
                "patrol": inc.patrol.call_sign if inc.patrol else None,
                "since": _iso(inc.assigned_at),
            }
        )
    return out


def dispatch_alternatives(user: User, incident: Incident, *, exclude: list[int]) -> QuerySet[Patrol]:
    """Available patrols of the incident's wilaya that the suggestion did not list (no ETA known)."""
    return (
        patrols_visible(user)
        .filter(wilaya_id=incident.wilaya_id, status=PatrolStatus.AVAILABLE)
        .exclude(pk__in=exclude)
        .order_by("call_sign")
    )


def board_state(user: User) -> dict[str, Any]:
    """What the board draws: open incidents (most urgent, then oldest first) and the patrols."""
    if not user.has_role(*BOARD_ROLES):
        raise PermissionDenied(_("Your role does not give access to this page."))
    return {
        "incidents": [incident_snapshot(i) for i in open_incidents(user).select_related("case")[:BOARD_LIMIT]],
        "patrols": [patrol_snapshot(p) for p in patrols_visible(user)],
        "alerts": board_alerts(user),
    }


def current_shift(patrol: Patrol, at: datetime | None = None) -> RosterShift | None:
    at = at or timezone.now()
    return patrol.shifts.filter(starts_at__lte=at, ends_at__gt=at).order_by("starts_at").first()


def patrol_for_user(user: User, at: datetime | None = None) -> Patrol | None:
    """The patrol a patrol officer is on duty with now, according to the roster."""
    if not getattr(user, "is_authenticated", False):
        return None
    at = at or timezone.now()
    shift = (
        RosterShift.objects.filter(officers=user, starts_at__lte=at, ends_at__gt=at, patrol__active=True)
        .select_related("patrol")
        .order_by("starts_at")
        .first()
    )
    return shift.patrol if shift else None


def active_call_categories() -> QuerySet[CallCategory]:
    return CallCategory.objects.filter(active=True)


# ---------------------------------------------------------------- live snapshots


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def incident_snapshot(incident: Incident) -> dict[str, Any]:
    """The JSON shape of an incident on the board (first render and live events alike)."""
    now = timezone.now()
    category = incident.category
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "priority": incident.priority,
        "state": incident.state,
        "category": category.code,
        "category_name": {"ar": category.name_ar, "fr": category.name_fr, "en": category.name_en},
        "lat": incident.latitude,
        "lon": incident.longitude,
        "address": incident.address,
        "wilaya_id": incident.wilaya_id,
        "area_id": incident.area_id,
        "district_id": incident.district_id,
        "created_at": _iso(incident.received_at),
        "received_at": _iso(incident.received_at),
        "triaged_at": _iso(incident.triaged_at),
        "dispatched_at": _iso(incident.dispatched_at),
        "en_route_at": _iso(incident.en_route_at),
        "on_scene_at": _iso(incident.on_scene_at),
        "resolved_at": _iso(incident.resolved_at),
        "closed_at": _iso(incident.closed_at),
        "last_call_at": _iso(incident.last_call_at),
        "age_seconds": int((now - incident.received_at).total_seconds()) if incident.received_at else None,
        "call_count": incident.call_count,
        "patrol_id": incident.patrol_id,
        "patrol": incident.patrol.call_sign if incident.patrol_id and incident.patrol else None,
        "outcome": incident.outcome,
        "case_reference": incident.case.reference if incident.case_id and incident.case else None,
        "open": incident.state in OPEN_INCIDENT_STATES,
        # Every call's reference (searchable on the board); numbers are read through the API only.
        "calls": [
            {
                "id": c.pk,
                "reference": c.reference,
                "category": c.category.code,
                "priority": c.priority,
                "state": c.state,
                "received_at": _iso(c.received_at),
            }
            for c in sorted(incident.calls.all(), key=lambda c: (c.received_at, c.pk))
        ],
        "proposal": _proposal(incident),
        "merged_into": incident.merged_into.reference if incident.merged_into_id and incident.merged_into else None,
        "acknowledged_at": _iso(incident.acknowledged_at),
        "ack_due_at": _ack_due(incident),
        "requeued_at": _iso(incident.requeued_at),
        "requeue_note": incident.requeue_note,
        "target_seconds": round(conf.response_targets_minutes().get(incident.priority, 0) * 60),
    }


def _proposal(incident: Incident) -> dict[str, Any] | None:
    """The grouping proposal still waiting for the dispatcher's decision, with its reason."""
    if incident.proposed_merge_id is None or not incident.proposal:
        return None
    return {**incident.proposal, "incident_id": incident.proposed_merge_id}


def _ack_due(incident: Incident) -> str | None:
    """When the board alarms if the patrol has not acknowledged (dispatched, not acknowledged)."""
    if incident.state != IncidentState.DISPATCHED or incident.acknowledged_at or not incident.assigned_at:
        return None
    return _iso(incident.assigned_at + timedelta(seconds=conf.ack_seconds()))


def patrol_snapshot(patrol: Patrol) -> dict[str, Any]:
    """The JSON shape of a patrol on the board map."""
    return {
        "id": patrol.pk,
        "call_sign": patrol.call_sign,
        "kind": patrol.kind,
        "status": patrol.status,
        "lat": patrol.latitude,
        "lon": patrol.longitude,
        "position_at": _iso(patrol.position_at),
        "status_at": _iso(patrol.status_at),
        "wilaya_id": patrol.wilaya_id,
        "incident_id": patrol.current_incident_id,
    }


def call_snapshot(call: Call) -> dict[str, Any]:
    """A call as the API lists it (the caller's number stays encrypted)."""
    return {
        "id": call.pk,
        "reference": call.reference,
        "incident_id": call.incident_id,
        "category": call.category.code,
        "priority": call.priority,
        "state": call.state,
        "language": call.language,
        "answers": call.answers,
        "description": call.description,
        "address": call.address,
        "lat": call.latitude,
        "lon": call.longitude,
        "received_at": _iso(call.received_at),
        "triaged_at": _iso(call.triaged_at),
        "dispatched_at": _iso(call.dispatched_at),
        "en_route_at": _iso(call.en_route_at),
        "on_scene_at": _iso(call.on_scene_at),
        "resolved_at": _iso(call.resolved_at),
        "closed_at": _iso(call.closed_at),
        "case_reference": call.case.reference if call.case_id and call.case else None,
    }
