"""Every write of line 19, by sub-domain: calls (triage, grouping), dispatch (suggestions, sending a
patrol, its reports), patrols (roster, duty status).

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
    patrol_report,
)
from emergency.services.patrols import patrol_create, patrol_set_status, roster_assign

__all__ = [
    "Suggestion",
    "call_close_without_dispatch",
    "call_open_complaint",
    "call_receive",
    "dispatch_suggestions",
    "eta_seconds",
    "incident_close",
    "incident_dispatch",
    "patrol_create",
    "patrol_report",
    "patrol_set_status",
    "roster_assign",
    "triage_priority",
]
