"""Every write to grievances: registration, the workflow, links to complaints, follow-ups and
reminders from the body, the citizen's name shown, the answer letter, and the deadline sweep.
Each runs in one transaction with its audit record."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.models import Case
from cases.references import next_reference
from core import crypto
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.validators import require_fields
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.selectors import chiefs_of
from oversight.choices import Body, Closure, GrievanceEventKind, GrievanceState, LetterLanguage, Topic
from oversight.models import AnnualReport, BodyRule, Grievance, GrievanceComplaint, GrievanceEvent
from oversight.report import annual_figures
from oversight.selectors import handles_grievances
from oversight.workflow import FIELD_LABELS, TRANSITIONS

PREFIX = "GRV"
TEXT_MAX = 5000
# How far back a grievance's date of receipt may be typed (a letter found late, not a typo's year).
RECEIVED_MAX_AGE = timedelta(days=366)
REVEAL_PURPOSES = ("contact_body", "inquiry", "answer")


def body_rule(body: str) -> BodyRule:
    """The body's deadlines; the national rules (15 and 60 days) until an administrator sets others."""
    rule = BodyRule.objects.filter(body=body).first()
    return rule or BodyRule(body=body)


def snapshot(g: Grievance) -> dict[str, Any]:
    """What the audit keeps of a grievance: workflow fields, never the citizen's name."""
    return {
        "reference": g.reference,
        "body": g.body,
        "state": g.state,
        "inquiry_unit": g.inquiry_unit_id,
        "route_due_at": g.route_due_at,
        "answer_due_at": g.answer_due_at,
        "closure": g.closure,
        "version": g.version,
    }


def _event(g: Grievance, kind: str, actor: User | None, now: datetime, **kw: Any) -> GrievanceEvent:
    return GrievanceEvent.objects.create(grievance=g, kind=kind, actor=actor, at=now, **kw)


def _require_liaison(actor: User) -> None:
    if not handles_grievances(actor):
        raise PermissionDenied(_("Only the oversight liaison handles grievances."))


def _lock(g: Grievance, version: int | None) -> Grievance:
    locked = Grievance.objects.select_for_update().get(pk=g.pk)
    if version is not None and locked.version != version:
        raise Conflict(_("The grievance changed since you opened it; here it is as it is now."))
    return locked


def _text(value: str, name: str, *, required: bool, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(
            _("%(field)s is required.") % {"field": FIELD_NAMES[name]}, fields={name: _("This field is required.")}
        )
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s is too long.") % {"field": FIELD_NAMES[name]}, fields={name: _("Too long.")}
        )
    return value


FIELD_NAMES = {
    "body": _("Body"),
    "body_reference": _("The body's reference"),
    "subject": _("Subject"),
    "summary": _("Summary"),
    "citizen_name": _("Citizen's name"),
    "received_at": _("Received on"),
    "note": _("Note"),
    "reference": _("Complaint reference"),
    **FIELD_LABELS,
}


@dataclass
class GrievanceInput:
    body: str
    body_reference: str
    received_at: datetime
    subject: str
    summary: str = ""
    citizen_name: str = ""
    topic: str = Topic.OTHER
    letter_language: str = LetterLanguage.ARABIC
    units: list[Unit] = field(default_factory=list)


@transaction.atomic
def grievance_register(*, actor: User, data: GrievanceInput) -> Grievance:
    """Register what a body forwarded; both deadlines start from the date it was received."""
    _require_liaison(actor)
    now = timezone.now()
    if data.body not in Body.values:
        raise ValidationFailed(_("Unknown body."), fields={"body": _("Unknown body.")})
    body_reference = _text(data.body_reference, "body_reference", required=True, limit=64)
    subject = _text(data.subject, "subject", required=True, limit=300)
    summary = _text(data.summary, "summary", required=False)
    name = _text(data.citizen_name, "citizen_name", required=False, limit=200)
    if data.letter_language not in LetterLanguage.values:
        raise ValidationFailed(_("Unknown language."), fields={"letter_language": _("Unknown language.")})
    if data.topic not in Topic.values:
        raise ValidationFailed(_("Unknown topic."), fields={"topic": _("Unknown topic.")})
    if data.received_at > now or data.received_at < now - RECEIVED_MAX_AGE:
        raise ValidationFailed(
            _("The date of receipt must be within the last year and not in the future."),
            fields={"received_at": _("Not a possible date.")},
        )
    if Grievance.objects.filter(body=data.body, body_reference=body_reference).exists():
        raise ValidationFailed(
            _("This body's reference is already registered."), fields={"body_reference": _("Already registered.")}
        )
    rule = body_rule(data.body)
    g = Grievance.objects.create(
        reference=next_reference(PREFIX, timezone.localtime(now).year),
        body=data.body,
        body_reference=body_reference,
        received_at=data.received_at,
        subject=subject,
        topic=data.topic,
        summary=summary,
        citizen_name_enc=crypto.encrypt(name) if name else "",
        route_due_at=data.received_at + timedelta(days=rule.route_days),
        answer_due_at=data.received_at + timedelta(days=rule.answer_days),
        letter_language=data.letter_language,
        created_by=actor,
        created_at=now,
    )
    if data.units:
        g.units.set(data.units)
    _event(g, GrievanceEventKind.CREATED, actor, now)
    audit_record(actor=actor, action="grievance.create", obj=g, after=snapshot(g))
    return g


@dataclass
class GrievanceAction:
    note: str = ""
    unit: Unit | None = None
    answer_text: str = ""
    closure: str = ""
    letter_language: str = ""


def _check_fields(name: str, data: GrievanceAction) -> None:
    t = TRANSITIONS[name]
    require_fields(t.label, t.required, data, FIELD_LABELS)
    if len(data.note) > TEXT_MAX or len(data.answer_text) > TEXT_MAX:
        raise ValidationFailed(_("The text is too long."), fields={"answer_text": _("Too long.")})
    if data.closure and data.closure not in Closure.values:
        raise ValidationFailed(_("Unknown closure."), fields={"closure": _("Unknown closure.")})
    if name == "close" and data.closure != Closure.ANSWERED:
        raise ValidationFailed(
            _("A grievance whose answer was sent is closed as answered."), fields={"closure": _("Choose “answered”.")}
        )
    if name == "close_unanswered" and data.closure == Closure.ANSWERED:
        raise ValidationFailed(
            _("A grievance is closed as answered only once the answer was sent."),
            fields={"closure": _("Send the answer first.")},
        )
    if data.letter_language and data.letter_language not in LetterLanguage.values:
        raise ValidationFailed(_("Unknown language."), fields={"letter_language": _("Unknown language.")})
    if name == "assign_inquiry" and data.unit is not None and data.unit.kind not in INQUIRY_UNITS:
        raise ValidationFailed(
            _("The inquiry goes to a police unit or the Inspectorate."), fields={"unit": _("Not an inquiring unit.")}
        )


INQUIRY_UNITS = (UnitKind.WILAYA, UnitKind.AREA, UnitKind.DISTRICT, UnitKind.DUTY, UnitKind.INSPECTORATE)


def _apply(g: Grievance, name: str, data: GrievanceAction, actor: User, now: datetime) -> None:
    """What an action changes on the grievance besides its state."""
    if name == "assign_inquiry":
        g.inquiry_unit = data.unit
        if g.routed_at is None:
            # Routed (late or not): what is counted from now on is the answer's deadline.
            g.routed_at = now
            g.overdue, g.escalation_level = g.answer_due_at < now, 0
    elif name == "draft":
        g.answer_text = data.answer_text.strip()
        g.drafted_by, g.reviewed_by, g.approved_by = actor, None, None
        if data.letter_language:
            g.letter_language = data.letter_language
        if data.note.strip():
            g.inquiry_findings = data.note.strip()
    elif name == "review":
        g.reviewed_by = actor
    elif name == "approve":
        g.approved_by = actor
    elif name == "send":
        g.sent_at = now
        g.answered_within_deadline = now <= g.answer_due_at
        g.overdue = False
    elif name in ("close", "close_unanswered"):
        g.closure = data.closure
        g.closed_at = now
        g.overdue = False


@transaction.atomic
def grievance_transition(
    *,
    grievance: Grievance,
    actor: User,
    transition: str,
    version: int | None = None,
    data: GrievanceAction | None = None,
) -> Grievance:
    """The only writer of `Grievance.state`: the table in `oversight.workflow`, the head's approval,
    four eyes on the answer (who drafted it neither reviews nor approves it)."""
    data = data or GrievanceAction()
    _require_liaison(actor)
    t = TRANSITIONS.get(transition)
    if t is None:
        raise ValidationFailed(_("Unknown action."), fields={"transition": _("Unknown action.")})
    g = _lock(grievance, version)
    if g.state not in t.sources:
        raise Conflict(
            _("“%(action)s” is not possible while the grievance is “%(state)s”.")
            % {"action": t.label, "state": GrievanceState(g.state).label},
            code="transition_not_allowed",
        )
    if t.head_only and not actor.has_role(Role.UNIT_CHIEF):
        raise PermissionDenied(_("Only the head of the liaison approves an answer."))
    if t.name in ("review", "approve") and g.drafted_by_id == actor.pk:
        raise PermissionDenied(_("The answer is reviewed and approved by someone other than who drafted it."))
    _check_fields(t.name, data)
    before = snapshot(g)
    now = timezone.now()
    _apply(g, t.name, data, actor, now)
    g.state = t.target
    g.version += 1
    g.save()
    details = (
        {"unit": data.unit.pk if data.unit else None, "closure": data.closure} if data.unit or data.closure else {}
    )
    _event(g, GrievanceEventKind.TRANSITION, actor, now, transition=t.name, note=data.note.strip(), data=details)
    audit_record(actor=actor, action=f"grievance.{t.name}", obj=g, before=before, after=snapshot(g))
    return g


@transaction.atomic
def grievance_link(*, grievance: Grievance, actor: User, reference: str) -> GrievanceComplaint:
    """Link an existing complaint named by the body (by its reference); the liaison may then open
    it. A reference that names no complaint is refused like a missing one."""
    _require_liaison(actor)
    ref = _text(reference, "reference", required=True, limit=24).upper()
    case = Case.objects.filter(reference=ref).first()
    if case is None:
        raise NotFound(
            _("No complaint with this reference."), fields={"reference": _("No complaint with this reference.")}
        )
    g = _lock(grievance, None)
    now = timezone.now()
    try:
        with transaction.atomic():
            link = GrievanceComplaint.objects.create(grievance=g, case=case, linked_by=actor, linked_at=now)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("This complaint is already linked."), fields={"reference": _("Already linked.")}
        ) from exc
    g.units.add(case.assigned_unit)
    _event(g, GrievanceEventKind.LINK, actor, now, data={"case": case.pk})
    audit_record(actor=actor, action="grievance.link", obj=g, after={"case": case.pk})
    return link


@transaction.atomic
def grievance_follow_up(
    *, grievance: Grievance, actor: User, kind: str, received_at: datetime, note: str = ""
) -> Grievance:
    """A follow-up (new facts, a further question) or a reminder from the body re-opens the clock:
    the answer is due again `answer_days` after a follow-up, `route_days` after a reminder, and a
    closed grievance goes back to its inquiry."""
    _require_liaison(actor)
    if kind not in (GrievanceEventKind.FOLLOW_UP, GrievanceEventKind.REMINDER):
        raise ValidationFailed(_("Unknown kind of letter."), fields={"kind": _("Unknown kind of letter.")})
    note = _text(note, "note", required=False)
    g = _lock(grievance, None)
    now = timezone.now()
    if received_at > now or received_at < g.received_at:
        raise ValidationFailed(
            _("The letter's date must be between the grievance's receipt and now."),
            fields={"received_at": _("Not a possible date.")},
        )
    before = snapshot(g)
    rule = body_rule(g.body)
    days = rule.answer_days if kind == GrievanceEventKind.FOLLOW_UP else rule.route_days
    g.answer_due_at = received_at + timedelta(days=days)
    g.overdue = g.answer_due_at < now
    g.escalation_level = 0
    if g.state in (GrievanceState.CLOSED, GrievanceState.SENT):
        g.state = GrievanceState.INQUIRY if g.inquiry_unit_id else GrievanceState.RECEIVED
        g.closure, g.closed_at, g.sent_at, g.answered_within_deadline = "", None, None, None
        g.drafted_by = g.reviewed_by = g.approved_by = None
    g.version += 1
    g.save()
    _event(g, kind, actor, now, note=note, data={"received_at": received_at.isoformat()})
    audit_record(actor=actor, action=f"grievance.{kind}", obj=g, before=before, after=snapshot(g))
    return g


@transaction.atomic
def grievance_reveal(*, grievance: Grievance, actor: User, purpose: str) -> str:
    """The citizen's name, for a stated purpose; every read is on the timeline and in the audit."""
    _require_liaison(actor)
    if purpose not in REVEAL_PURPOSES:
        raise ValidationFailed(_("Say why you need the name."), fields={"purpose": _("Choose a purpose.")})
    now = timezone.now()
    _event(grievance, GrievanceEventKind.REVEAL, actor, now, data={"purpose": purpose})
    audit_record(
        actor=actor, action="personal_data.read", obj=grievance, after={"fields": ["citizen_name"], "purpose": purpose}
    )
    return crypto.decrypt(grievance.citizen_name_enc) if grievance.citizen_name_enc else ""


@transaction.atomic
def grievance_letter_issue(*, grievance: Grievance, actor: User) -> Grievance:
    """Record that the answer letter was produced; only an approved (or sent) answer has a letter."""
    _require_liaison(actor)
    if grievance.state not in (GrievanceState.APPROVED, GrievanceState.SENT, GrievanceState.CLOSED) or not (
        grievance.answer_text and grievance.approved_by_id
    ):
        raise Conflict(_("The answer letter exists once the head approved the answer."), code="not_approved")
    now = timezone.now()
    _event(grievance, GrievanceEventKind.LETTER, actor, now)
    audit_record(actor=actor, action="grievance.letter", obj=grievance)
    return grievance


def liaison_heads() -> list[User]:
    """The heads of the liaison: liaisons who are also unit chiefs (roles are a JSON list: the
    database narrows by text, the exact test runs on the few rows left)."""
    rows = User.objects.filter(is_active=True, roles__icontains=Role.OVERSIGHT)
    return [u for u in rows if u.has_role(Role.OVERSIGHT) and u.has_role(Role.UNIT_CHIEF)]


def _escalation_recipients(g: Grievance, level: int) -> list[User]:
    """Level 1: the unit holding the inquiry (or the liaison's heads before it is routed); 2: the
    heads of the liaison; 3: the central directorate's chiefs."""
    heads = liaison_heads()
    if level == 1 and g.inquiry_unit is not None:
        return chiefs_of(g.inquiry_unit) or heads
    if level <= 2:
        return heads
    central = Unit.objects.filter(kind=UnitKind.CENTRAL).first()
    return (chiefs_of(central) if central else []) or heads


def grievances_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Mark grievances not routed or not answered in time, and escalate them after the delays of
    ESCALATION_DELAYS_HOURS. Idempotent; run by the periodic task."""
    now = now or timezone.now()
    delays = [timedelta(hours=h) for h in settings.ESCALATION_DELAYS_HOURS]
    stats = {"overdue": 0, "escalations": 0}
    open_ = Grievance.objects.exclude(state__in=[GrievanceState.CLOSED, GrievanceState.SENT])
    late = open_.filter(answer_due_at__lt=now) | open_.filter(routed_at__isnull=True, route_due_at__lt=now)
    for pk in list(late.values_list("pk", flat=True).distinct()):
        with transaction.atomic():
            g = Grievance.objects.select_for_update(of=("self",)).select_related("inquiry_unit").get(pk=pk)
            due = g.route_due_at if g.routed_at is None and g.route_due_at < g.answer_due_at else g.answer_due_at
            if g.state in (GrievanceState.CLOSED, GrievanceState.SENT) or due >= now:
                continue
            what = "route" if due == g.route_due_at and g.routed_at is None else "answer"
            if not g.overdue:
                g.overdue = True
                stats["overdue"] += 1
                _event(g, GrievanceEventKind.OVERDUE, None, now, data={"deadline": what})
                audit_record(actor=None, action="grievance.overdue", obj=g, after={"deadline": what, "due_at": due})
            level = g.escalation_level
            while level < len(delays) and now - due >= delays[level]:
                level += 1
                key = f"L{level}@{due.isoformat()}"
                if GrievanceEvent.objects.filter(
                    grievance=g, kind=GrievanceEventKind.ESCALATION, transition=key
                ).exists():
                    continue
                recipients = _escalation_recipients(g, level)
                _event(
                    g,
                    GrievanceEventKind.ESCALATION,
                    None,
                    now,
                    transition=key,
                    data={"level": level, "deadline": what, "recipients": [u.pk for u in recipients]},
                )
                audit_record(actor=None, action="grievance.escalate", obj=g, after={"level": level, "deadline": what})
                stats["escalations"] += 1
            g.escalation_level = level
            g.save(update_fields=["overdue", "escalation_level"])
    return stats


# ---------------------------------------------------------------- the annual report


@transaction.atomic
def annual_report_generate(*, actor: User, year: int) -> AnnualReport:
    """Compute the year's figures (again, while the report is not frozen)."""
    _require_liaison(actor)
    now = timezone.now()
    if not 2000 <= year <= timezone.localtime(now).year:
        raise ValidationFailed(_("Choose a past or current year."), fields={"year": _("Not a possible year.")})
    report = AnnualReport.objects.select_for_update().filter(year=year).first()
    if report is not None and report.frozen_at is not None:
        raise Conflict(_("This report is frozen: its figures no longer change."), code="frozen")
    figures = json.loads(json.dumps(annual_figures(year), cls=DjangoJSONEncoder))
    if report is None:
        report = AnnualReport.objects.create(year=year, figures=figures, generated_at=now, generated_by=actor)
    else:
        report.figures, report.generated_at, report.generated_by = figures, now, actor
        report.save(update_fields=["figures", "generated_at", "generated_by"])
    audit_record(actor=actor, action="annual_report.generate", obj=report, after={"year": year})
    return report


@transaction.atomic
def annual_report_edit(*, report: AnnualReport, actor: User, texts: dict[str, str]) -> AnnualReport:
    """The liaison's foreword and commentary, in Arabic and French, until the report is frozen."""
    _require_liaison(actor)
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.frozen_at is not None:
        raise Conflict(_("This report is frozen: its figures no longer change."), code="frozen")
    for name in ("foreword_ar", "foreword_fr", "commentary_ar", "commentary_fr"):
        value = (texts.get(name) or "").strip()
        if len(value) > 20000:
            raise ValidationFailed(_("The text is too long."), fields={name: _("Too long.")})
        setattr(locked, name, value)
    locked.save()
    audit_record(actor=actor, action="annual_report.edit", obj=locked, after={"year": locked.year})
    return locked


@transaction.atomic
def annual_report_freeze(*, report: AnnualReport, actor: User) -> AnnualReport:
    """Freeze the report: from now on its figures and texts stay as they are. The head's act."""
    _require_liaison(actor)
    if not actor.has_role(Role.UNIT_CHIEF):
        raise PermissionDenied(_("Only the head of the liaison freezes the annual report."))
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.frozen_at is not None:
        raise Conflict(_("This report is frozen: its figures no longer change."), code="frozen")
    locked.frozen_at, locked.frozen_by = timezone.now(), actor
    locked.save(update_fields=["frozen_at", "frozen_by"])
    audit_record(actor=actor, action="annual_report.freeze", obj=locked, after={"year": locked.year})
    return locked
