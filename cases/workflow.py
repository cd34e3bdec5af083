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
from org import access
from org.choices import Role

if TYPE_CHECKING:
    from cases.models import Case, Category
    from org.models import User


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
    # Investigative work: the case must have an officer (see `officer_rule`).
    needs_officer: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        # The legal qualification: an offence of the reference list (cases.models.Offence).
        Transition("qualify", _("Qualify"), frozenset({State.RECEIVED}), State.QUALIFIED, WORKERS, ("offence",)),
        Transition(
            "investigate",
            _("Open the investigation"),
            frozenset({State.QUALIFIED}),
            State.UNDER_INVESTIGATION,
            WORKERS,
            needs_officer=True,
        ),
        Transition(
            "request_information",
            _("Ask the complainant for information"),
            frozenset({State.QUALIFIED, State.UNDER_INVESTIGATION}),
            State.AWAITING_COMPLAINANT,
            WORKERS,
            ("note",),
            needs_officer=True,
        ),
        Transition(
            "information_received",
            _("Information received"),
            frozenset({State.AWAITING_COMPLAINANT}),
            State.UNDER_INVESTIGATION,
            WORKERS,
            needs_officer=True,
        ),
        Transition(
            "refer",
            _("Refer to the prosecutor"),
            frozenset({State.QUALIFIED, State.UNDER_INVESTIGATION}),
            State.REFERRED,
            WORKERS,
            ("prosecutor_office", "prosecutor_reference"),
            needs_officer=True,
        ),
        Transition(
            "record_instructions",
            _("Record the prosecutor's instructions"),
            # Further instructions may come while the first ones are carried out.
            frozenset({State.REFERRED, State.INSTRUCTIONS_RECEIVED}),
            State.INSTRUCTIONS_RECEIVED,
            WORKERS,
            ("note",),
            needs_officer=True,
        ),
        # After the instructions: carry on investigating (then refer again or close), or close.
        Transition(
            "continue_investigation",
            _("Continue the investigation"),
            frozenset({State.INSTRUCTIONS_RECEIVED}),
            State.UNDER_INVESTIGATION,
            WORKERS,
            needs_officer=True,
        ),
        # Closing at triage (received, qualified) needs no officer; it always needs a report.
        Transition(
            "close",
            _("Close"),
            frozenset({State.RECEIVED, State.QUALIFIED, State.UNDER_INVESTIGATION, State.INSTRUCTIONS_RECEIVED}),
            State.CLOSED,
            WORKERS,
            ("outcome", "report"),
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
    "offence": _("Legal qualification"),
    "report": _("Closing report"),
    "outcome": _("Outcome"),
    "prosecutor_office": _("Prosecutor's office"),
    "prosecutor_reference": _("Prosecutor's reference"),
    "unit": _("Unit"),
    "office": _("Prosecutor's office"),
    "sent": _("Documents sent"),
    "instruction_kind": _("Instruction"),
    "instruction_due_at": _("To execute by"),
}


@dataclass(frozen=True)
class CaseAction:
    """An act on a case that does not move its state, the access act it needs and the states in
    which it is allowed: the case page offers it, and its service refuses it, from this table."""

    name: str
    act: str
    states: frozenset[str]


ACTIONS: dict[str, CaseAction] = {
    a.name: a
    for a in (
        # A closed case is reopened first; then it can be given to an officer again.
        CaseAction("assign", access.ASSIGN, OPEN_STATES),
        CaseAction("attach", access.WORK, OPEN_STATES),
        # A note can still be added after closure (property returned, a call from the complainant).
        CaseAction("note", access.WORK, frozenset(State.values)),
    )
}


def action_allowed(name: str, state: str) -> bool:
    return state in ACTIONS[name].states


# How the assignment rule applies to a user taking a transition (`officer_rule`).
OFFICER_OK = "ok"
OFFICER_TAKE = "take"  # an investigator of the unit starts the work: they are assigned, on the record
OFFICER_MISSING = "unassigned"  # someone must assign an officer first
OFFICER_OTHER = "other_officer"  # the case is another officer's


def officer_rule(t: Transition, case: Case, user: User) -> str:
    """Investigative work needs an assigned officer: the officer themself or a chief does it; an
    investigator of the handling unit who starts it on a case nobody holds takes the case."""
    if not t.needs_officer:
        return OFFICER_OK
    if case.assigned_officer_id is None:
        if user.has_role(Role.INVESTIGATOR) and user.unit_id == case.assigned_unit_id:
            return OFFICER_TAKE
        return OFFICER_MISSING
    if case.assigned_officer_id == user.pk or user.has_role(*CHIEFS):
        return OFFICER_OK
    return OFFICER_OTHER


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def allowed_for(user, state: str) -> list[Transition]:
    """The transitions this user's roles may take from this state."""
    return [t for t in transitions_from(state) if user.has_role(*t.roles)]


def offered(user: User, case: Case) -> list[Transition]:
    """What the case page offers this user on this case: the roles, the state and the assignment
    rule (the access policy is checked by the caller)."""
    return [t for t in allowed_for(user, case.state) if officer_rule(t, case, user) in (OFFICER_OK, OFFICER_TAKE)]
