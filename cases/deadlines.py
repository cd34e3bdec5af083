"""The working clock of a case: deadlines that pause, resume and survive reopening.

These functions only compute and set fields on a Case; the services save and audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.choices import State
from cases.models import Case
from cases.workflow import STATES


def start_clock(case: Case, now: datetime) -> None:
    """At intake: the closure budget comes from the category and the clock starts running."""
    case.clock_budget = case.category.closure_days * 86400
    case.clock_elapsed = 0
    case.clock_running_since = now
    case.closure_due_at = now + timedelta(seconds=case.clock_budget)
    case.state_entered_at = now
    spec = STATES[case.state]
    case.state_due_at = now + spec.deadline(case.category) if spec.deadline else None


def enter_state(case: Case, new_state: str, now: datetime) -> None:
    """Move the clock from the case's current state to `new_state` (before `case.state` is set)."""
    old, new = STATES[case.state], STATES[new_state]
    if old.clock_runs and not new.clock_runs:
        # Pause: bank the running segment, remember what was left of the state's deadline.
        case.clock_elapsed = case.elapsed_seconds(now)
        case.clock_running_since = None
        case.closure_due_at = None
        case.paused_state_remaining = int((case.state_due_at - now).total_seconds()) if case.state_due_at else None
        case.state_due_at = None
    elif not old.clock_runs and new.clock_runs:
        # Resume: the closure deadline moves by exactly the paused time.
        case.clock_running_since = now
        case.closure_due_at = now + timedelta(seconds=case.clock_budget - case.clock_elapsed)
    if new.clock_runs:
        resumed = case.paused_state_remaining
        if case.state == State.AWAITING_COMPLAINANT and resumed is not None:
            # Back from waiting on the complainant into the work it interrupted: the state
            # deadline resumes where it stopped. After the prosecutor or a reopening, the new
            # stage gets its own full deadline.
            case.state_due_at = now + timedelta(seconds=resumed)
        else:
            case.state_due_at = now + new.deadline(case.category) if new.deadline else None
        case.paused_state_remaining = None
    case.state_entered_at = now
    case.escalation_level = 0
    case.overdue = is_overdue(case, now)


def is_overdue(case: Case, now: datetime) -> bool:
    if case.clock_running_since is None:
        return False
    return any(due is not None and due < now for due in (case.state_due_at, case.closure_due_at))


def missed_deadline(case: Case) -> datetime | None:
    """The earliest deadline of the running clock (what lateness is counted from)."""
    dues = [d for d in (case.state_due_at, case.closure_due_at) if d is not None]
    return min(dues) if dues and case.clock_running_since else None


@dataclass(frozen=True)
class DeadlineRow:
    """One of the two clocks of a case as the pages show it: the stage deadline (started by the
    current state) or the closure deadline (the working-time budget), each with its own status —
    "running", "overdue", "paused" (waiting on someone else) or "none" (no such deadline now)."""

    kind: str
    due_at: datetime | None
    status: str

    @property
    def label(self) -> Promise:
        return _("Stage") if self.kind == "stage" else _("Closure")

    @property
    def overdue_label(self) -> Promise:
        return _("Stage deadline passed") if self.kind == "stage" else _("Closure deadline passed")


def deadline_rows(case: Case, now: datetime) -> tuple[DeadlineRow, DeadlineRow]:
    """The stage and the closure deadline of `case`, each with its own status at `now`."""

    def row(kind: str, due: datetime | None) -> DeadlineRow:
        if case.state == State.CLOSED:
            return DeadlineRow(kind, None, "none")
        if case.clock_running_since is None:
            return DeadlineRow(kind, None, "paused")
        if due is None:
            return DeadlineRow(kind, None, "none")
        return DeadlineRow(kind, due, "overdue" if due < now else "running")

    return row("stage", case.state_due_at), row("closure", case.closure_due_at)
