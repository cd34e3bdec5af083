"""Helpers shared by the line-19 services: locks, role and visibility checks, the workflow step,
and publishing the changed incident or patrol to the live board after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from emergency.choices import IncidentState
from emergency.models import Incident, Patrol
from emergency.selectors import incident_snapshot, incidents_visible, patrol_snapshot
from emergency.workflow import LIVE_CALL_STATES, Step
from live.events import publish
from org.models import User


def _publish(topic: str, wilaya_id: int | None, data: dict[str, Any]) -> None:
    transaction.on_commit(lambda: publish(topic=topic, wilaya_id=wilaya_id, data=data))


def publish_incident(incident: Incident) -> None:
    _publish("incident", incident.wilaya_id, incident_snapshot(incident))


def publish_patrol(patrol: Patrol) -> None:
    _publish("patrol", patrol.wilaya_id, patrol_snapshot(patrol))


def require_roles(actor: User | None, roles: Iterable[str], message: Any) -> None:
    if actor is not None and not actor.has_role(*roles):
        raise PermissionDenied(message)


def require_incident_visible(actor: User | None, incident: Incident) -> None:
    if actor is not None and not incidents_visible(actor).filter(pk=incident.pk).exists():
        raise NotFound(_("No such incident."))


def lock_incident(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("category", "patrol", "case")
        .get(pk=incident.pk)
    )


def lock_patrol(patrol: Patrol) -> Patrol:
    return Patrol.objects.select_for_update().get(pk=patrol.pk)


def act_time(at: datetime | None, not_before: datetime | None) -> datetime:
    """When an act happened: now, or the time given for a radio report entered afterwards; never in
    the future and never before the step it follows."""
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=1) or (not_before is not None and at < not_before):
        raise ValidationFailed(
            _("The time of the act is impossible (in the future or before the previous step)."),
            fields={"at": _("Impossible time.")},
        )
    return at


def sync_calls(incident: Incident, state: str, stamp: str, now: datetime) -> None:
    """The calls still following the incident take its new state and timestamp."""
    incident.calls.filter(state__in=LIVE_CALL_STATES).update(state=state, **{stamp: now})


def move_incident(incident: Incident, step: Step, actor: User | None, now: datetime) -> None:
    if incident.state not in step.sources:
        raise Conflict(
            _("Impossible step: %(step)s is not allowed while the incident is %(state)s.")
            % {"step": step.label, "state": IncidentState(incident.state).label}
        )
    if actor is not None and not actor.has_role(*step.roles):
        raise PermissionDenied(_("Your role does not allow this step."))
    incident.state = step.target
    if step.code == "dispatch":
        incident.dispatched_at = incident.dispatched_at or now
        incident.en_route_at = None  # a reassigned patrol reports its own departure
        incident.acknowledged_at = None  # ...and acknowledges its own assignment
        incident.assigned_at = now
    else:
        setattr(incident, step.stamp, now)
    incident.version += 1
