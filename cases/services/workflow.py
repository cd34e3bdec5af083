"""The workflow: `case_transition` is the only writer of `Case.state` (the table is
`cases/workflow.py`); assignment to an officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases import deadlines, hooks
from cases.choices import EventKind, Outcome, State
from cases.models import Case, Offence, ProsecutorOffice
from cases.selectors import may
from cases.services import prosecutor
from cases.services.base import DESCRIPTION_MAX, add_event, lock_case, snapshot
from cases.workflow import (
    FIELD_LABELS,
    OFFICER_MISSING,
    OFFICER_OTHER,
    OFFICER_TAKE,
    TRANSITIONS,
    Transition,
    action_allowed,
    officer_rule,
)
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.validators import require_fields
from org import access
from org.choices import UnitKind
from org.models import Unit, User


@dataclass
class TransitionInput:
    note: str = ""
    outcome: str = ""
    prosecutor_office: str = ""
    prosecutor_reference: str = ""
    unit: Unit | None = None
    # The prosecutor's side (refer, record_instructions): the office from the reference list and
    # what was sent; the instruction's kind and deadline (the note is its text). Empty: defaults.
    office: ProsecutorOffice | None = None
    sent: str = ""
    instruction_kind: str = ""
    instruction_due_at: datetime | None = None
    offence: Offence | None = None  # the legal qualification, at "qualify"
    report: str = ""  # the closing report, at "close"


def _check_fields(t: Transition, data: TransitionInput) -> None:
    require_fields(t.label, t.required, data, FIELD_LABELS)
    if data.outcome and data.outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown outcome."), fields={"outcome": _("Unknown outcome.")})
    if len(data.note) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The note is too long."), fields={"note": _("Too long.")})
    if len(data.report) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The closing report is too long."), fields={"report": _("Too long.")})
    if "offence" in t.required and data.offence is not None and not data.offence.active:
        raise ValidationFailed(
            _("This offence is no longer in the reference list."), fields={"offence": _("No longer in use.")}
        )
    if len(data.prosecutor_reference) > 64 or len(data.prosecutor_office) > 200:
        raise ValidationFailed(
            _("The prosecutor's reference is too long."), fields={"prosecutor_reference": _("Too long.")}
        )


@transaction.atomic
def case_transition(
    *, case: Case, actor: User, transition: str, version: int | None = None, data: TransitionInput | None = None
) -> Case:
    """The only writer of `Case.state`: checks the workflow table, the role and the required fields,
    moves the clock, records the timeline and the audit."""
    data = data or TransitionInput()
    if data.office is not None and not data.prosecutor_office:
        data.prosecutor_office = data.office.name_ar
    t = TRANSITIONS.get(transition)
    if t is None:
        raise ValidationFailed(_("Unknown action."), fields={"transition": _("Unknown action.")})
    locked = lock_case(case, version, actor)
    if locked.state not in t.sources:
        raise Conflict(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": t.label, "state": State(locked.state).label},
            code="transition_not_allowed",
        )
    act = access.ASSIGN if t.target is None else access.WORK
    if not actor.has_role(*t.roles) or not may(actor, act, locked):
        raise PermissionDenied(_("Your role does not allow “%(action)s”.") % {"action": t.label})
    _check_fields(t, data)
    prosecutor.check_input(t.name, data, now=timezone.now())
    rule = _check_officer(t, locked, actor)
    before = snapshot(locked)
    now = timezone.now()
    from_state = locked.state
    if rule == OFFICER_TAKE:
        _take(locked, actor, now)
    if t.target is None:
        _apply_transfer(locked, actor, data, now)
    else:
        _apply_move(locked, t, data, now)
    locked.version += 1
    locked.updated_at = now
    locked.save()
    prosecutor.record(t.name, locked, actor, data, now)
    add_event(
        locked,
        EventKind.TRANSFER if t.target is None else EventKind.TRANSITION,
        actor,
        now,
        transition=t.name,
        from_state=from_state,
        to_state=locked.state,
        note=(data.report if t.name == "close" else data.note).strip(),
        data=_event_details(t, locked, before),
    )
    audit_record(actor=actor, action=f"case.{t.name}", obj=locked, before=before, after=snapshot(locked))
    event = hooks.TransitionEvent(locked.pk, t.name, from_state, locked.state, actor.pk)
    transaction.on_commit(lambda: hooks.notify_transition(event))
    return locked


def _check_officer(t: Transition, case: Case, actor: User) -> str:
    """Refuse investigative work on a case nobody holds (unless the actor takes it) or that is
    another officer's; returns the rule that applied."""
    rule = officer_rule(t, case, actor)
    if rule == OFFICER_MISSING:
        raise ValidationFailed(
            _("Assign an officer to the complaint before “%(action)s”.") % {"action": t.label},
            fields={"officer": _("No officer assigned.")},
        )
    if rule == OFFICER_OTHER:
        raise PermissionDenied(_("This complaint is assigned to another officer."))
    return rule


def _take(case: Case, actor: User, now: datetime) -> None:
    """An investigator of the handling unit starts the work on a case nobody holds: they are
    assigned it, with its own line on the timeline and its own audit record."""
    before = snapshot(case)
    case.assigned_officer = actor
    add_event(
        case,
        EventKind.ASSIGNMENT,
        actor,
        now,
        data={"officer": actor.pk, "name": actor.get_full_name() or actor.username, "self": True},
    )
    audit_record(actor=actor, action="case.take", obj=case, before=before, after=snapshot(case))


def _apply_move(case: Case, t: Transition, data: TransitionInput, now: datetime) -> None:
    assert t.target is not None
    if t.name == "close":
        if data.outcome == Outcome.SOLVED and case.category.prosecutor_mandatory and case.referred_at is None:
            raise ValidationFailed(
                _("This category requires a referral to the prosecutor before it can be closed as solved."),
                fields={"outcome": _("Refer to the prosecutor first.")},
            )
        case.outcome = data.outcome
        case.closing_report = data.report.strip()
        case.closed_at = now
        case.closed_within_deadline = case.within_deadline(now)
    if t.name == "refer":
        case.prosecutor_office = data.prosecutor_office.strip()
        case.prosecutor_reference = data.prosecutor_reference.strip()
        case.referred_at = now
    if t.name == "record_instructions":
        case.instructions_at = now
    if t.name == "qualify":
        case.offence = data.offence
    if t.name in ("reopen", "citizen_reopen"):
        case.reopen_count += 1
        case.outcome = ""
        case.closing_report = ""
        case.closed_at = None
        case.closed_within_deadline = None
    if case.first_action_at is None and case.state == State.RECEIVED:
        case.first_action_at = now
    deadlines.enter_state(case, t.target, now)
    case.state = t.target


def _apply_transfer(case: Case, actor: User, data: TransitionInput, now: datetime) -> None:
    unit = data.unit
    if unit is None or unit.kind not in (
        UnitKind.DISTRICT,
        UnitKind.DUTY,
        UnitKind.INSPECTORATE,
        UnitKind.AREA,
        UnitKind.ROUTING_DESK,
    ):
        raise ValidationFailed(
            _("Choose a district, a duty service or the Inspectorate."), fields={"unit": _("Not a station.")}
        )
    if unit.pk == case.assigned_unit_id:
        raise ValidationFailed(_("The complaint is already with this unit."), fields={"unit": _("Same unit.")})
    case.assigned_unit = unit
    case.assigned_officer = None


def _event_details(t: Transition, case: Case, before: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if t.name == "transfer":
        details = {"from_unit": before["assigned_unit"], "to_unit": case.assigned_unit_id}
    elif t.name == "refer":
        details = {"prosecutor_office": case.prosecutor_office, "prosecutor_reference": case.prosecutor_reference}
    elif t.name == "record_instructions":
        instruction = case.instructions.order_by("-id").first()
        if instruction is not None:
            details = {"kind": instruction.kind, "due_at": instruction.due_at.isoformat()}
    elif t.name == "close":
        details = {"outcome": case.outcome, "within_deadline": case.closed_within_deadline}
    elif t.name == "qualify" and case.offence is not None:
        details = {"offence": case.offence.code}
    return details


@transaction.atomic
def case_assign(*, case: Case, actor: User, officer: User | None, version: int | None = None) -> Case:
    """A chief gives the case to an officer of the assigned unit (or takes it back)."""
    locked = lock_case(case, version, actor)
    if not may(actor, access.ASSIGN, locked):
        raise PermissionDenied(_("Only a unit chief assigns complaints."))
    if not action_allowed("assign", locked.state):
        raise Conflict(_("A closed complaint is not assigned: reopen it first."), code="action_not_allowed")
    if officer is not None and (officer.unit_id != locked.assigned_unit_id or not officer.is_active):
        raise ValidationFailed(
            _("The officer must belong to the unit handling the complaint."), fields={"officer": _("Not in this unit.")}
        )
    before = snapshot(locked)
    now = timezone.now()
    locked.assigned_officer = officer
    locked.version += 1
    locked.updated_at = now
    locked.save(update_fields=["assigned_officer", "version", "updated_at"])
    add_event(
        locked,
        EventKind.ASSIGNMENT,
        actor,
        now,
        data={"officer": officer.pk if officer else None, "name": officer.get_full_name() if officer else ""},
    )
    audit_record(actor=actor, action="case.assign", obj=locked, before=before, after=snapshot(locked))
    return locked
