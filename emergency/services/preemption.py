"""When no patrol is free for an urgent incident: taking one off a lower-priority incident (with a
reason; that incident goes back to the top of the waiting list), and the warnings the dispatcher
sees before choosing (arrival estimate over the priority's target, a P1 waiting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import Conflict, ValidationFailed
from core.geo import haversine_m
from emergency import conf
from emergency.choices import AssignmentEnd, CallState, IncidentState, PatrolStatus, Priority
from emergency.models import Incident, Patrol
from emergency.selectors import current_shift, patrols_visible
from emergency.services.base import (
    act_time,
    lock_incident,
    lock_patrol,
    move_incident,
    publish_incident,
    require_incident_visible,
    require_roles,
)
from emergency.services.dispatch import Suggestion, dispatch_suggestions, eta_seconds, send_patrol
from emergency.workflow import BUSY_PATROL_STATUSES, DISPATCH_ROLES, STEPS
from org.models import User

REASON_MAX = 300


@dataclass(frozen=True)
class Preemptible:
    """A busy patrol that could be taken off its lower-priority incident, nearest first."""

    patrol: Patrol
    incident: Incident
    distance_m: float | None
    eta_seconds: int | None


def preemption_options(*, incident: Incident, at: datetime | None = None, limit: int = 5) -> list[Preemptible]:
    """Patrols of the wilaya on a mission of lower priority than `incident` (P3 for a P1...), on
    duty now; the least urgent mission first, then the nearest."""
    at = at or timezone.now()
    busy = (
        Patrol.objects.filter(
            wilaya_id=incident.wilaya_id,
            active=True,
            status__in=BUSY_PATROL_STATUSES,
            current_incident__priority__gt=incident.priority,
        )
        .exclude(current_incident=incident)
        .select_related("current_incident", "current_incident__category")
    )
    out = []
    for p in busy:
        if current_shift(p, at) is None or p.current_incident is None:
            continue
        d = None
        if None not in (incident.latitude, incident.longitude, p.latitude, p.longitude):
            d = haversine_m(incident.latitude or 0.0, incident.longitude or 0.0, p.latitude or 0.0, p.longitude or 0.0)
        out.append(Preemptible(p, p.current_incident, None if d is None else round(d, 1), _eta(d, p.kind)))
    out.sort(key=lambda o: (-int(o.incident.priority[1]), o.eta_seconds or 10**9, o.patrol.call_sign))
    return out[:limit]


def _eta(distance: float | None, kind: str) -> int | None:
    return None if distance is None else eta_seconds(distance, kind)


def dispatch_warnings(*, incident: Incident, suggestions: list[Suggestion], at: datetime | None = None) -> list[dict]:
    """What the dispatcher must see before choosing: no free patrol, the best arrival estimate over
    the priority's target (counted from the first call), a P1 still waiting."""
    at = at or timezone.now()
    out: list[dict[str, Any]] = []
    target_s = conf.response_targets_minutes().get(incident.priority, 0) * 60
    if incident.priority == Priority.P1 and incident.state == IncidentState.TRIAGED:
        out.append({"code": "p1_waiting", "message": str(_("A P1 incident is waiting for a patrol."))})
    if not suggestions:
        out.append({"code": "no_patrol", "message": str(_("No patrol is free in this wilaya."))})
        return out
    best = min((s.eta_seconds for s in suggestions if s.eta_seconds is not None), default=None)
    if best is not None and target_s:
        waited = max((at - incident.received_at).total_seconds(), 0)
        if waited + best > target_s:
            out.append(
                {
                    "code": "eta_over_target",
                    "message": str(
                        _(
                            "The best arrival estimate (%(eta)s min, %(waited)s min after the call) exceeds "
                            "the %(priority)s target of %(target)s min."
                        )
                        % {
                            "eta": max(1, round(best / 60)),
                            "waited": round((waited + best) / 60),
                            "priority": incident.priority,
                            "target": round(target_s / 60),
                        }
                    ),
                }
            )
    return out


@transaction.atomic
def incident_preempt(
    *, incident: Incident, patrol: Patrol, actor: User, reason: str, at: datetime | None = None
) -> Incident:
    """Take `patrol` off its lower-priority mission and send it to `incident`. The mission it leaves
    returns to the waiting list, first among its priority, with the reason; both are audited."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow dispatching patrols."))
    require_incident_visible(actor, incident)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("Give the reason for taking the patrol off its mission."),
            fields={"reason": _("Required (at most %(n)s characters).") % {"n": REASON_MAX}},
        )
    if actor is not None and not patrols_visible(actor).filter(pk=patrol.pk).exists():
        raise ValidationFailed(_("Unknown patrol."), fields={"patrol": _("Unknown patrol.")})
    patrol = Patrol.objects.get(pk=patrol.pk)  # its mission now (locked below, incidents first)
    if patrol.current_incident_id is None or patrol.status not in BUSY_PATROL_STATUSES:
        raise Conflict(_("Patrol %(sign)s is not on a mission: dispatch it normally.") % {"sign": patrol.call_sign})
    first, second = sorted((incident.pk, patrol.current_incident_id))
    locked = {pk: lock_incident(Incident(pk=pk)) for pk in (first, second)}
    incident, left = locked[incident.pk], locked[patrol.current_incident_id]
    patrol = lock_patrol(patrol)
    now = act_time(at, incident.last_call_at)
    _check_preemptable(incident, left, patrol, now)
    _requeue(left, patrol, actor, reason, incident, now)
    suggestions = dispatch_suggestions(incident=incident, at=now)
    before = {"state": incident.state, "patrol": incident.patrol.call_sign if incident.patrol else None}
    noted = {"preempted_from": left.reference}
    send_patrol(incident, patrol, actor, suggestions, reason, now, before, "incident.dispatch", noted)
    return incident


def _check_preemptable(incident: Incident, left: Incident, patrol: Patrol, now: datetime) -> None:
    if incident.state != IncidentState.TRIAGED:
        raise Conflict(_("Only an incident waiting for a patrol can take one off another mission."))
    if left.patrol_id != patrol.pk or left.state not in STEPS["requeue"].sources:
        raise Conflict(_("Patrol %(sign)s is not on a mission: dispatch it normally.") % {"sign": patrol.call_sign})
    if left.priority <= incident.priority:  # "P1" < "P3"
        raise Conflict(
            _("Patrol %(sign)s is on a %(priority)s incident: only a less urgent mission can be left.")
            % {"sign": patrol.call_sign, "priority": left.priority}
        )
    if left.wilaya_id != incident.wilaya_id:
        raise ValidationFailed(
            _("This patrol does not belong to the incident's command room."), fields={"patrol": _("Unknown patrol.")}
        )
    if current_shift(patrol, now) is None:
        raise Conflict(_("Patrol %(sign)s is off duty: it cannot be dispatched.") % {"sign": patrol.call_sign})


def _requeue(left: Incident, patrol: Patrol, actor: User, reason: str, urgent: Incident, now: datetime) -> None:
    """End the patrol's assignment on `left`, which waits again (first among its priority)."""
    before = {"state": left.state, "patrol": patrol.call_sign}
    assignment = left.assignments.select_for_update().filter(active=True).first()
    if assignment is not None:
        assignment.active, assignment.ended_at = False, now
        assignment.end_reason, assignment.end_note = AssignmentEnd.PREEMPTED, reason[:300]
        assignment.save(update_fields=["active", "ended_at", "end_reason", "end_note"])
    move_incident(left, STEPS["requeue"], actor, now)
    left.patrol, left.acknowledged_at, left.en_route_at, left.on_scene_at = None, None, None, None
    left.requeue_note = reason[:300]
    left.save()
    left.calls.filter(state__in=(CallState.DISPATCHED, CallState.EN_ROUTE, CallState.ON_SCENE)).update(
        state=CallState.TRIAGED, en_route_at=None, on_scene_at=None
    )
    patrol.status, patrol.status_at, patrol.current_incident = PatrolStatus.AVAILABLE, now, None
    patrol.save(update_fields=["status", "status_at", "current_incident"])
    audit_record(
        actor=actor,
        action="incident.preempt",
        obj=left,
        before=before,
        after={"state": left.state, "reason": reason, "for": urgent.reference, "for_priority": urgent.priority},
    )
    publish_incident(left)
