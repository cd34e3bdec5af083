"""Dispatch: the nearest patrols with their arrival estimate, sending one, the patrol's reports and
closing the incident."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.geo import haversine_m, validate_point
from emergency import conf
from emergency.choices import AssignmentEnd, CallState, IncidentState, InterventionOutcome, PatrolStatus
from emergency.models import Assignment, Incident, Patrol, RosterShift
from emergency.selectors import current_shift, patrol_for_user, patrols_visible
from emergency.services.base import (
    act_time,
    lock_incident,
    lock_patrol,
    move_incident,
    publish_incident,
    publish_patrol,
    require_incident_visible,
    require_roles,
    sync_calls,
)
from emergency.workflow import DISPATCH_ROLES, PATROL_ROLES, REPORT_STEPS, STEPS
from org.models import User


class Suggestion(NamedTuple):
    """A patrol proposed for an incident, nearest first."""

    patrol: Patrol
    distance_m: float | None
    eta_seconds: int | None


def _on_shift_q(at: datetime) -> Exists:
    return Exists(RosterShift.objects.filter(patrol=OuterRef("pk"), starts_at__lte=at, ends_at__gt=at))


def eta_seconds(distance_m: float, kind: str) -> int:
    """Arrival estimate: straight line × road factor at the kind's average urban speed."""
    speed_ms = conf.patrol_speeds_kmh().get(kind, 30.0) * 1000 / 3600
    return round(distance_m * conf.road_factor() / speed_ms)


def dispatch_suggestions(
    *, incident: Incident, at: datetime | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Available, on-duty patrols of the incident's wilaya, nearest (by estimated arrival) first."""
    at = at or timezone.now()
    limit = limit or conf.suggestion_count()
    patrols = list(
        Patrol.objects.filter(wilaya_id=incident.wilaya_id, active=True, status=PatrolStatus.AVAILABLE).filter(
            _on_shift_q(at)
        )
    )
    if incident.latitude is None or incident.longitude is None:
        return [Suggestion(p, None, None) for p in sorted(patrols, key=lambda p: p.call_sign)][:limit]
    out = []
    for p in patrols:
        if p.latitude is None or p.longitude is None:
            continue
        d = haversine_m(incident.latitude, incident.longitude, p.latitude, p.longitude)
        out.append(Suggestion(p, round(d, 1), eta_seconds(d, p.kind)))
    out.sort(key=lambda s: (s.eta_seconds, s.distance_m, s.patrol.call_sign))
    return out[:limit]


@transaction.atomic
def incident_dispatch(
    *, incident: Incident, patrol: Patrol, actor: User, override_reason: str = "", at: datetime | None = None
) -> Assignment:
    """Send a patrol (the dispatcher's recorded choice); reassigns when another patrol had it.

    Choosing another patrol than the first suggestion needs a reason: the choice is reviewed later
    against the arrival estimates recorded with it.
    """
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow dispatching patrols."))
    require_incident_visible(actor, incident)
    incident = lock_incident(incident)
    if patrol.wilaya_id != incident.wilaya_id or (
        actor is not None and not patrols_visible(actor).filter(pk=patrol.pk).exists()
    ):
        raise ValidationFailed(
            _("This patrol does not belong to the incident's command room."), fields={"patrol": _("Unknown patrol.")}
        )
    patrol = lock_patrol(patrol)
    now = act_time(at, incident.last_call_at)
    _check_dispatchable(incident, patrol, now)
    suggestions = dispatch_suggestions(incident=incident, at=now)
    reason = (override_reason or "").strip()[:300]
    first = bool(suggestions) and suggestions[0].patrol.pk == patrol.pk
    if suggestions and not first and not reason:
        raise ValidationFailed(
            _("Give the reason for choosing another patrol than the first suggestion."),
            fields={"override_reason": _("Required when the first suggestion is not taken.")},
        )
    before = {"state": incident.state, "patrol": incident.patrol.call_sign if incident.patrol else None}
    previous = _release_previous(incident, now)
    action = "incident.reassign" if previous else "incident.dispatch"
    return send_patrol(incident, patrol, actor, suggestions, reason, now, before, action, {"first_suggestion": first})


def send_patrol(
    incident: Incident,
    patrol: Patrol,
    actor: User,
    suggestions: list[Suggestion],
    reason: str,
    now: datetime,
    before: dict[str, Any],
    action: str,
    noted: dict[str, Any],
) -> Assignment:
    """Move the (locked) incident to dispatched with `patrol`, record the assignment, audit it as
    `action` (with `noted`, what this way of sending adds) and publish both to the live board."""
    move_incident(incident, STEPS["dispatch"], actor, now)
    incident.patrol = patrol
    incident.save()
    assignment = _assign(incident, patrol, actor, suggestions, reason, now)
    audit_record(
        actor=actor,
        action=action,
        obj=incident,
        before=before,
        after={
            "state": incident.state,
            "patrol": patrol.call_sign,
            **noted,
            "override_reason": reason,
            "suggested": assignment.suggested,
            "eta_seconds": assignment.eta_seconds,
        },
    )
    publish_incident(incident)
    publish_patrol(patrol)
    return assignment


def _assign(
    incident: Incident, patrol: Patrol, actor: User, suggestions: list[Suggestion], reason: str, now: datetime
) -> Assignment:
    """Record the assignment with the suggestions the dispatcher saw, then send the patrol."""
    distance, eta = _estimate(incident, patrol, suggestions)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                incident=incident,
                patrol=patrol,
                dispatched_by=actor,
                suggested=[
                    {"patrol": s.patrol.call_sign, "distance_m": s.distance_m, "eta_seconds": s.eta_seconds}
                    for s in suggestions
                ],
                was_first_suggestion=bool(suggestions) and suggestions[0].patrol.pk == patrol.pk,
                override_reason=reason,
                distance_m=distance,
                eta_seconds=eta,
                dispatched_at=now,
            )
    except IntegrityError:
        raise Conflict(_("Patrol %(sign)s is busy on another mission.") % {"sign": patrol.call_sign}) from None
    patrol.status, patrol.status_at, patrol.current_incident = PatrolStatus.ASSIGNED, now, incident
    patrol.save(update_fields=["status", "status_at", "current_incident"])
    sync_calls(incident, CallState.DISPATCHED, "dispatched_at", now)
    return assignment


def _check_dispatchable(incident: Incident, patrol: Patrol, now: datetime) -> None:
    if incident.state not in STEPS["dispatch"].sources:
        raise Conflict(
            _("Impossible step: %(step)s is not allowed while the incident is %(state)s.")
            % {"step": STEPS["dispatch"].label, "state": IncidentState(incident.state).label}
        )
    if not patrol.active or patrol.status == PatrolStatus.OFF_DUTY or current_shift(patrol, now) is None:
        raise Conflict(_("Patrol %(sign)s is off duty: it cannot be dispatched.") % {"sign": patrol.call_sign})
    if patrol.status != PatrolStatus.AVAILABLE:
        raise Conflict(_("Patrol %(sign)s is busy on another mission.") % {"sign": patrol.call_sign})


def _estimate(incident: Incident, patrol: Patrol, suggestions: list[Suggestion]) -> tuple[float | None, int | None]:
    """(distance m, ETA s) of the chosen patrol: from its suggestion, else computed the same way."""
    mine = next((s for s in suggestions if s.patrol.pk == patrol.pk), None)
    if mine is not None:
        return mine.distance_m, mine.eta_seconds
    if incident.latitude is None or incident.longitude is None or patrol.latitude is None or patrol.longitude is None:
        return None, None
    distance = round(haversine_m(incident.latitude, incident.longitude, patrol.latitude, patrol.longitude), 1)
    return distance, eta_seconds(distance, patrol.kind)


def _release_previous(incident: Incident, now: datetime) -> Assignment | None:
    """End the incident's current assignment (a reassignment) and free its patrol."""
    previous = incident.assignments.select_for_update().filter(active=True).first()
    if previous is None:
        return None
    previous.active = False
    previous.ended_at = now
    previous.end_reason = AssignmentEnd.REASSIGNED
    previous.save(update_fields=["active", "ended_at", "end_reason"])
    old = lock_patrol(previous.patrol)
    old.status, old.status_at, old.current_incident = PatrolStatus.AVAILABLE, now, None
    old.save(update_fields=["status", "status_at", "current_incident"])
    publish_patrol(old)
    return previous


def _acting_patrol(actor: User | None, incident: Incident) -> Patrol:
    """The patrol a report speaks for: the officer's own (on the roster now), or, for a dispatcher
    relaying a radio report, the one assigned."""
    if actor is None or actor.has_role(*DISPATCH_ROLES):
        if incident.patrol is None:
            raise Conflict(_("No patrol is assigned to this incident."))
        return incident.patrol
    if not actor.has_role(*PATROL_ROLES):
        raise PermissionDenied(_("Your role does not allow patrol reports."))
    patrol = patrol_for_user(actor)
    if patrol is None:
        raise PermissionDenied(_("You are not on duty with a patrol (check the roster)."))
    if incident.patrol_id != patrol.pk:
        raise PermissionDenied(
            _("Patrol %(sign)s is not assigned to this incident.") % {"sign": patrol.call_sign},
            code="not_assigned",
        )
    return patrol


@transaction.atomic
def patrol_report(
    *,
    actor: User,
    incident: Incident,
    status: str,
    outcome: str = "",
    note: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    at: datetime | None = None,
) -> Incident:
    """A patrol reports en route, on scene or resolved (with an outcome) on its mission; "acknowledged"
    says it received the assignment (`patrol_acknowledge`)."""
    if status == ACKNOWLEDGED:
        return patrol_acknowledge(actor=actor, incident=incident, at=at)
    step = REPORT_STEPS.get(status)
    if step is None:
        raise ValidationFailed(
            _("Unknown report: use acknowledged, en route, on scene or resolved."),
            fields={"status": _("Unknown value.")},
        )
    if outcome and outcome not in InterventionOutcome.values:
        raise ValidationFailed(_("Unknown outcome."), fields={"outcome": _("Unknown value.")})
    validate_point(latitude, longitude)
    require_incident_visible(actor, incident)
    incident = lock_incident(incident)
    patrol = lock_patrol(_acting_patrol(actor, incident))
    now = act_time(at, incident.on_scene_at or incident.en_route_at or incident.dispatched_at)
    before = {"state": incident.state}
    move_incident(incident, step, None, now)  # roles checked by _acting_patrol
    assignment = incident.assignments.select_for_update().filter(active=True, patrol=patrol).first()
    if assignment is None:
        raise Conflict(_("No patrol is assigned to this incident."))
    if step.code == "resolved":
        incident.outcome = outcome or InterventionOutcome.HANDLED
        incident.outcome_note = (note or "").strip()[:500]
        assignment.active, assignment.ended_at, assignment.end_reason = False, now, AssignmentEnd.RESOLVED
        patrol.current_incident = None
    else:
        setattr(assignment, step.stamp, now)
    if step.code == "en_route" and incident.acknowledged_at is None:  # leaving acknowledges too
        incident.acknowledged_at = assignment.acknowledged_at = now
    assignment.save()
    incident.save()
    patrol.status, patrol.status_at = step.patrol_status or PatrolStatus.AVAILABLE, now
    if latitude is not None:
        patrol.latitude, patrol.longitude, patrol.position_at = latitude, longitude, now
    patrol.save()
    sync_calls(incident, step.target, step.stamp, now)
    audit_record(
        actor=actor,
        action=f"incident.{step.code}",
        obj=incident,
        before=before,
        after={"state": incident.state, "patrol": patrol.call_sign, "outcome": incident.outcome},
    )
    publish_incident(incident)
    publish_patrol(patrol)
    return incident


ACKNOWLEDGED = "acknowledged"


@transaction.atomic
def patrol_acknowledge(*, actor: User, incident: Incident, at: datetime | None = None) -> Incident:
    """The patrol says it received its assignment (before leaving): the board's alarm for an
    unacknowledged assignment (`conf.ack_seconds`) stops, the patrol page shows "acknowledged"."""
    require_incident_visible(actor, incident)
    incident = lock_incident(incident)
    patrol = lock_patrol(_acting_patrol(actor, incident))
    if incident.state != IncidentState.DISPATCHED:
        raise Conflict(_("Only a mission just dispatched can be acknowledged."))
    if incident.acknowledged_at is not None:
        return incident  # a second tap (or a retried request) changes nothing
    now = act_time(at, incident.dispatched_at)
    assignment = incident.assignments.select_for_update().filter(active=True, patrol=patrol).first()
    if assignment is None:
        raise Conflict(_("No patrol is assigned to this incident."))
    assignment.acknowledged_at = incident.acknowledged_at = now
    assignment.save(update_fields=["acknowledged_at"])
    incident.version += 1
    incident.save(update_fields=["acknowledged_at", "version"])
    audit_record(
        actor=actor,
        action="incident.acknowledge",
        obj=incident,
        after={"patrol": patrol.call_sign, "after_seconds": round((now - assignment.dispatched_at).total_seconds())},
    )
    publish_incident(incident)
    publish_patrol(patrol)
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor: User, at: datetime | None = None) -> Incident:
    """The dispatcher closes a resolved incident (and its calls)."""
    require_incident_visible(actor, incident)
    incident = lock_incident(incident)
    now = act_time(at, incident.resolved_at)
    before = {"state": incident.state}
    move_incident(incident, STEPS["close"], actor, now)
    incident.save()
    sync_calls(incident, CallState.CLOSED, "closed_at", now)
    audit_record(actor=actor, action="incident.close", obj=incident, before=before, after={"state": incident.state})
    publish_incident(incident)
    return incident
