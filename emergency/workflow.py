"""The line-19 workflow, declared once as data and enforced by `emergency.services` only.

An incident moves triaged → dispatched → en route → on scene → resolved → closed (or is cancelled
when every call ends without a patrol). Its calls follow it; a call may end on its own before
dispatch (cancelled, duplicate, information only, no action needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from emergency.choices import CallState, IncidentState, PatrolStatus
from org import access
from org.choices import Role


def _holding(act: str, *, besides: frozenset[str] = frozenset()) -> frozenset[str]:
    """The roles org.access.POLICY lets do `act` through some scope other than `besides`."""
    return frozenset(role for role, acts in access.POLICY.items() if set(acts.get(act, ())) - besides)


# Who takes calls and dispatches (the command room, and chiefs standing in for it).
DISPATCH_ROLES = _holding(access.LINE19_DISPATCH)
PATROL_ROLES = frozenset({Role.PATROL})
# Who may open the live board (line-19 records of a wilaya or a jurisdiction, not a patrol's mission).
BOARD_ROLES = _holding(access.LINE19_READ, besides=frozenset({access.OWN_MISSION}))
# Who may read the response times and readiness (aggregates): analysts too.
METRICS_ROLES = _holding(access.LINE19_METRICS)


@dataclass(frozen=True)
class Step:
    """One allowed move of an incident: from which states, to which, who, which timestamp it sets,
    and the status the assigned patrol takes."""

    code: str
    label: object
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    stamp: str
    patrol_status: str | None


STEPS: dict[str, Step] = {
    s.code: s
    for s in (
        Step(
            "dispatch",
            _("Dispatch a patrol"),
            # From en route / dispatched too: the dispatcher may reassign before arrival.
            frozenset({IncidentState.TRIAGED, IncidentState.DISPATCHED, IncidentState.EN_ROUTE}),
            IncidentState.DISPATCHED,
            DISPATCH_ROLES,
            "dispatched_at",
            PatrolStatus.ASSIGNED,
        ),
        Step(
            "en_route",
            _("En route"),
            frozenset({IncidentState.DISPATCHED}),
            IncidentState.EN_ROUTE,
            PATROL_ROLES | DISPATCH_ROLES,
            "en_route_at",
            PatrolStatus.EN_ROUTE,
        ),
        Step(
            "on_scene",
            _("On scene"),
            frozenset({IncidentState.EN_ROUTE}),
            IncidentState.ON_SCENE,
            PATROL_ROLES | DISPATCH_ROLES,
            "on_scene_at",
            PatrolStatus.ON_SCENE,
        ),
        Step(
            "resolved",
            _("Resolved"),
            frozenset({IncidentState.ON_SCENE}),
            IncidentState.RESOLVED,
            PATROL_ROLES | DISPATCH_ROLES,
            "resolved_at",
            PatrolStatus.AVAILABLE,
        ),
        Step(
            "close",
            _("Close"),
            frozenset({IncidentState.RESOLVED}),
            IncidentState.CLOSED,
            DISPATCH_ROLES,
            "closed_at",
            None,
        ),
        Step(
            # Pre-emption: the patrol is taken off for a more urgent incident; this one waits again.
            "requeue",
            _("Back to the waiting list"),
            frozenset({IncidentState.DISPATCHED, IncidentState.EN_ROUTE, IncidentState.ON_SCENE}),
            IncidentState.TRIAGED,
            DISPATCH_ROLES,
            "requeued_at",
            None,
        ),
        Step(
            # The dispatcher confirms it is the same event as another incident: its calls move there.
            "merge",
            _("Merge into another incident"),
            frozenset({IncidentState.TRIAGED}),
            IncidentState.MERGED,
            DISPATCH_ROLES,
            "closed_at",
            None,
        ),
        Step(
            "cancel",
            _("Cancel"),
            frozenset({IncidentState.TRIAGED}),
            IncidentState.CANCELLED,
            DISPATCH_ROLES,
            "closed_at",
            None,
        ),
    )
}

# A patrol's report names the step it makes.
REPORT_STEPS = {"en_route": STEPS["en_route"], "on_scene": STEPS["on_scene"], "resolved": STEPS["resolved"]}

OPEN_INCIDENT_STATES = frozenset(
    {IncidentState.TRIAGED, IncidentState.DISPATCHED, IncidentState.EN_ROUTE, IncidentState.ON_SCENE}
)
# Calls still attached to the incident's fate (not ended on their own).
LIVE_CALL_STATES = frozenset(
    {
        CallState.RECEIVED,
        CallState.TRIAGED,
        CallState.DISPATCHED,
        CallState.EN_ROUTE,
        CallState.ON_SCENE,
        CallState.RESOLVED,
    }
)
# A call may end without a patrol only before one is sent.
CALL_END_SOURCES = frozenset({CallState.RECEIVED, CallState.TRIAGED})
# Statuses a patrol sets itself (the others come from dispatch and reports).
PATROL_SELF_STATUSES = frozenset({PatrolStatus.AVAILABLE, PatrolStatus.OFF_DUTY})
BUSY_PATROL_STATUSES = frozenset({PatrolStatus.ASSIGNED, PatrolStatus.EN_ROUTE, PatrolStatus.ON_SCENE})
