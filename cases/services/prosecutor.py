"""The prosecutor's side of a case: referrals, the instructions received, their execution reported
back, and the sweep that escalates late instructions.

A referral and the first instructions are workflow transitions (`refer`, `record_instructions`):
`case_transition` calls `check_input` before it writes and `record` after, in its own transaction,
so the structured rows are written with the state change or not at all. Executing an instruction
does not move the case: `instruction_execute` records it; the case then continues or closes
through the workflow.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.choices import EventKind, InstructionKind, State
from cases.models import Case, Escalation, Instruction, Referral
from cases.selectors import may
from cases.services.base import DESCRIPTION_MAX, add_event
from cases.services.escalation import escalation_announce, escalation_unit
from core.errors import Conflict, PermissionDenied, ValidationFailed
from org import access
from org.models import User

if TYPE_CHECKING:
    from cases.services.workflow import TransitionInput


def instruction_days() -> int:
    """Days given to execute an instruction when the prosecutor set no deadline."""
    return settings.PROSECUTOR_INSTRUCTION_DAYS


def check_input(transition: str, data: TransitionInput, *, now: datetime) -> None:
    """Refuse a malformed referral or instruction before anything is written."""
    if transition == "refer":
        if data.office is not None and not data.office.active:
            raise ValidationFailed(
                _("This prosecutor's office is no longer in the list."), fields={"office": _("Not in the list.")}
            )
        if len(data.sent) > DESCRIPTION_MAX:
            raise ValidationFailed(_("The list of documents sent is too long."), fields={"sent": _("Too long.")})
    if transition == "record_instructions":
        if data.instruction_kind and data.instruction_kind not in InstructionKind.values:
            raise ValidationFailed(
                _("Unknown kind of instruction."), fields={"instruction_kind": _("Unknown kind of instruction.")}
            )
        if data.instruction_due_at is not None and data.instruction_due_at <= now:
            raise ValidationFailed(
                _("The deadline of an instruction must be in the future."),
                fields={"instruction_due_at": _("Must be in the future.")},
            )


def record(transition: str, case: Case, actor: User, data: TransitionInput, now: datetime) -> None:
    """Write the referral or the instruction that a transition just made (inside its transaction)."""
    if transition == "refer":
        referral = Referral.objects.create(
            case=case,
            office=data.office,
            office_name=case.prosecutor_office,
            prosecutor_reference=case.prosecutor_reference,
            referred_at=now,
            sent=data.sent.strip(),
            created_by=actor,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="case.referral",
            obj=case,
            after={"referral": referral.pk, "office": referral.office_id, "reference": referral.prosecutor_reference},
        )
    elif transition == "record_instructions":
        _instruction_create(case, actor, data, now)


def _instruction_create(case: Case, actor: User, data: TransitionInput, now: datetime) -> Instruction:
    referral = case.referrals.order_by("-referred_at", "-id").first()
    if referral is None:
        # A case referred before referrals were recorded: its referral is rebuilt from the case.
        referral = Referral.objects.create(
            case=case,
            office_name=case.prosecutor_office,
            prosecutor_reference=case.prosecutor_reference,
            referred_at=case.referred_at or now,
            created_at=now,
        )
    instruction = Instruction.objects.create(
        case=case,
        referral=referral,
        kind=data.instruction_kind or InstructionKind.OTHER,
        text=data.note.strip(),
        received_at=now,
        due_at=data.instruction_due_at or now + timedelta(days=instruction_days()),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="case.instruction",
        obj=case,
        after={"instruction": instruction.pk, "kind": instruction.kind, "due_at": instruction.due_at},
    )
    return instruction


@transaction.atomic
def instruction_execute(
    *, instruction: Instruction, actor: User, report: str, executed_at: datetime | None = None
) -> Instruction:
    """Report an instruction executed (the hearing held, the person presented...) with its date."""
    now = timezone.now()
    locked = Instruction.objects.select_for_update().select_related("case").get(pk=instruction.pk)
    case = locked.case
    if not may(actor, access.WORK, case):
        raise PermissionDenied(_("Your role does not allow reporting on the prosecutor's instructions."))
    if locked.executed_at is not None:
        raise Conflict(_("This instruction was already reported executed."), code="already_executed")
    if case.state == State.CLOSED:
        raise Conflict(_("The complaint is closed."), code="closed")
    report = (report or "").strip()
    if not report:
        raise ValidationFailed(
            _("Say how the instruction was executed."), fields={"report": _("This field is required.")}
        )
    if len(report) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The report is too long."), fields={"report": _("Too long.")})
    executed_at = executed_at or now
    if executed_at > now or executed_at < locked.received_at:
        raise ValidationFailed(
            _("The execution date must be between the instruction's receipt and now."),
            fields={"executed_at": _("Not a possible date.")},
        )
    locked.executed_at = executed_at
    locked.execution_report = report
    locked.executed_by = actor
    locked.save(update_fields=["executed_at", "execution_report", "executed_by"])
    add_event(
        case,
        EventKind.INSTRUCTION_EXECUTED,
        actor,
        now,
        note=report,
        data={"instruction": locked.pk, "kind": locked.kind, "on_time": locked.executed_on_time},
    )
    audit_record(
        actor=actor,
        action="case.instruction_execute",
        obj=case,
        after={"instruction": locked.pk, "executed_at": executed_at, "on_time": locked.executed_on_time},
    )
    return locked


def instructions_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Mark late instructions overdue and escalate them unit → area → wilaya, after the same delays
    as a case's deadline (ESCALATION_DELAYS_HOURS). Idempotent; run by the periodic sweep."""
    now = now or timezone.now()
    delays = [timedelta(hours=h) for h in settings.ESCALATION_DELAYS_HOURS]
    stats = {"overdue": 0, "escalations": 0}
    late = Instruction.objects.filter(executed_at__isnull=True, due_at__lt=now).exclude(case__state=State.CLOSED)
    for pk in list(late.values_list("pk", flat=True).iterator()):
        with transaction.atomic():
            ins = Instruction.objects.select_for_update().select_related("case__assigned_unit").get(pk=pk)
            if ins.executed_at is not None:
                continue
            case = ins.case
            if not ins.overdue:
                ins.overdue = True
                stats["overdue"] += 1
                audit_record(actor=None, action="case.instruction_overdue", obj=case, after={"instruction": ins.pk})
            level = ins.escalation_level
            while level < len(delays) and now - ins.due_at >= delays[level]:
                level += 1
                unit = escalation_unit(case, level)
                esc, created = Escalation.objects.get_or_create(
                    instruction=ins, level=level, defaults={"case": case, "unit": unit, "due_at": ins.due_at, "at": now}
                )
                if created:
                    escalation_announce(esc, case, unit, level, now, instruction=ins.pk)
                    audit_record(
                        actor=None,
                        action="case.instruction_escalate",
                        obj=case,
                        after={"instruction": ins.pk, "level": level, "unit": unit.pk},
                    )
                    stats["escalations"] += 1
            ins.escalation_level = level
            ins.save(update_fields=["overdue", "escalation_level"])
    return stats
