"""The complaint workflow, declared once as data and enforced by `cases.services.case_transition`.

States say what deadline they start and whether the working clock runs in them; transitions say
where they may be taken from, where they lead, who may take them and which fields they require.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.choices import State
from org.choices import Role

if TYPE_CHECKING:
    from cases.models import Category


@dataclass(frozen=True)
class StateSpec:
    clock_runs: bool
    # Deadline started on entering the state, from the category's procedure (None: no deadline).
    deadline: Callable[[Category], timedelta] | None


STATES: dict[str, StateSpec] = {
    State.RECEIVED: StateSpec(True, lambda c: timedelta(hours=c.first_action_hours)),
    State.QUALIFIED: StateSpec(True, lambda c: timedelta(hours=max(c.first_action_hours, 24))),
    State.UNDER_INVESTIGATION: StateSpec(True, lambda c: timedelta(days=c.closure_days)),
    # Waiting on someone else: the clock pauses and resumes where it stopped.
    State.AWAITING_COMPLAINANT: StateSpec(False, None),
    State.REFERRED: StateSpec(False, None),
    State.INSTRUCTIONS_RECEIVED: StateSpec(True, lambda c: timedelta(days=max(c.closure_days // 2, 2))),
    State.CLOSED: StateSpec(False, None),
}

WORKERS = frozenset({Role.INVESTIGATOR, Role.UNIT_CHIEF, Role.INSPECTOR})
CHIEFS = frozenset({Role.UNIT_CHIEF, Role.INSPECTOR})
OPEN_STATES = frozenset(s for s in State.values if s != State.CLOSED)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str | None  # None: the state stays (a transfer)
    roles: frozenset[str]
    required: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("qualify", _("Qualify"), frozenset({State.RECEIVED}), State.QUALIFIED, WORKERS),
        Transition(
            "investigate",
            _("Open the investigation"),
            frozenset({State.QUALIFIED}),
            State.UNDER_INVESTIGATION,
            WORKERS,
        ),
        Transition(
            "request_information",
            _("Ask the complainant for information"),
            frozenset({State.QUALIFIED, State.UNDER_INVESTIGATION}),
            State.AWAITING_COMPLAINANT,
            WORKERS,
            ("note",),
        ),
        Transition(
            "information_received",
            _("Information received"),
            frozenset({State.AWAITING_COMPLAINANT}),
            State.UNDER_INVESTIGATION,
            WORKERS,
        ),
        Transition(
            "refer",
            _("Refer to the prosecutor"),
            frozenset({State.QUALIFIED, State.UNDER_INVESTIGATION}),
            State.REFERRED,
            WORKERS,
            ("prosecutor_office", "prosecutor_reference"),
        ),
        Transition(
            "record_instructions",
            _("Record the prosecutor's instructions"),
            # Further instructions may come while the first ones are carried out.
            frozenset({State.REFERRED, State.INSTRUCTIONS_RECEIVED}),
            State.INSTRUCTIONS_RECEIVED,
            WORKERS,
            ("note",),
        ),
        # After the instructions: carry on investigating (then refer again or close), or close.
        Transition(
            "continue_investigation",
            _("Continue the investigation"),
            frozenset({State.INSTRUCTIONS_RECEIVED}),
            State.UNDER_INVESTIGATION,
            WORKERS,
        ),
        Transition(
            "close",
            _("Close"),
            frozenset({State.RECEIVED, State.QUALIFIED, State.UNDER_INVESTIGATION, State.INSTRUCTIONS_RECEIVED}),
            State.CLOSED,
            WORKERS,
            ("outcome",),
        ),
        Transition("reopen", _("Reopen"), frozenset({State.CLOSED}), State.UNDER_INVESTIGATION, CHIEFS, ("note",)),
        # The citizen's own reopening, made through the portal's service account; the portal
        # enforces "once, within the set period".
        Transition(
            "citizen_reopen",
            _("Reopened by the complainant"),
            frozenset({State.CLOSED}),
            State.UNDER_INVESTIGATION,
            frozenset({Role.PORTAL}),
            ("note",),
        ),
        Transition("transfer", _("Transfer to another unit"), OPEN_STATES, None, CHIEFS, ("unit", "note")),
    )
}

FIELD_LABELS = {
    "note": _("Note"),
    "outcome": _("Outcome"),
    "prosecutor_office": _("Prosecutor's office"),
    "prosecutor_reference": _("Prosecutor's reference"),
    "unit": _("Unit"),
    "office": _("Prosecutor's office"),
    "sent": _("Documents sent"),
    "instruction_kind": _("Instruction"),
    "instruction_due_at": _("To execute by"),
}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def allowed_for(user, state: str) -> list[Transition]:
    """The transitions this user may take from this state (what the case page offers)."""
    return [t for t in transitions_from(state) if user.has_role(*t.roles)]
