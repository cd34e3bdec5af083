"""Every write of line 19, by sub-domain: calls (triage), grouping (the dispatcher merges, keeps
apart, splits; callers' numbers), dispatch (suggestions, sending a patrol, its reports), preemption
(taking a patrol off a less urgent mission, warnings), patrols (roster, duty status).

Each service runs in one transaction with its audit record and publishes the changed incident /
patrol to the live board with `transaction.on_commit`, so nobody sees a change that rolled back.
The workflow table is `emergency.workflow`; these modules are the only writers of the states.
Callers import from `emergency.services`; the sub-modules are how the code is kept, not an API.
"""

from emergency.services.calls import (
    call_close_without_dispatch,
    call_open_complaint,
    call_receive,
    triage_priority,
)
from emergency.services.dispatch import (
    Suggestion,
    dispatch_suggestions,
    eta_seconds,
    incident_close,
    incident_dispatch,
    patrol_acknowledge,
    patrol_report,
)
from emergency.services.grouping import (
    Caller,
    call_split,
    calls_find_by_number,
    incident_callers,
    incident_keep_apart,
    incident_merge,
)
from emergency.services.patrols import patrol_create, patrol_set_status, roster_assign
from emergency.services.preemption import Preemptible, dispatch_warnings, incident_preempt, preemption_options
from emergency.services.reported import incident_report

__all__ = [
    "Caller",
    "Preemptible",
    "Suggestion",
    "call_close_without_dispatch",
    "call_open_complaint",
    "call_receive",
    "call_split",
    "calls_find_by_number",
    "dispatch_suggestions",
    "dispatch_warnings",
    "eta_seconds",
    "incident_callers",
    "incident_close",
    "incident_dispatch",
    "incident_keep_apart",
    "incident_merge",
    "incident_preempt",
    "incident_report",
    "patrol_acknowledge",
    "patrol_create",
    "patrol_report",
    "patrol_set_status",
    "preemption_options",
    "roster_assign",
    "triage_priority",
]
