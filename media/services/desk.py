"""The communication officer's acts on an event: correct its triage, open a complaint or a line-19
intervention for the responsible unit, ask the unit for the facts (and the unit's chief answers).
Each is one transaction with its audit record; a refusal writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.models import Case, Category
from cases.services import ComplainantInput, IntakeInput, complaint_register
from core.errors import Conflict, NotFound, ValidationFailed
from emergency.models import Incident
from emergency.services import incident_report
from media.choices import ActionKind, Label, LabelSource
from media.models import Correction, Event, FactRequest
from media.selectors import fact_requests_for
from media.services.base import event_for_action, record_action
from org.choices import UnitKind
from org.models import User
from org.selectors import wilaya_of

TEXT_MAX = 2000
# Units a complaint is registered for (cases.services.intake.HANDLING_KINDS without the Inspectorate).
COMPLAINT_UNITS = (UnitKind.DISTRICT, UnitKind.DUTY, UnitKind.AREA, UnitKind.ROUTING_DESK)


@transaction.atomic
def event_correct(*, event: Event, actor: User, label: str = "", harmful: bool | None = None) -> Correction:
    """The officer's label and/or harmful flag replace the model's; stored for `media_train`."""
    event = event_for_action(actor, event)
    if label and label not in Label.values:
        raise ValidationFailed(_("Unknown label."), fields={"label": _("Unknown label.")})
    if not label and harmful is None:
        raise ValidationFailed(_("Correct the label or the harmful flag."), fields={"label": _("Required.")})
    before = {"label": event.label, "harmful": event.harmful, "label_source": event.label_source}
    now = timezone.now()
    if label:
        event.label = label
    if harmful is not None:
        event.harmful = harmful
    event.label_source = LabelSource.OFFICER
    event.save(update_fields=["label", "harmful", "label_source"])
    correction = Correction.objects.create(event=event, label=label, harmful=harmful, officer=actor, at=now)
    record_action(event, ActionKind.CORRECTION, actor, now)
    after = {"label": event.label, "harmful": event.harmful, "label_source": event.label_source}
    audit_record(actor=actor, action="media.event.correct", obj=event, before=before, after=after)
    return correction


@dataclass
class ComplaintInput:
    """What the officer gives: the category, the facts as published, and the citizen when the post
    names one who agrees to be contacted (else the complaint is anonymous)."""

    category: str
    description: str
    full_name: str = ""
    phone: str = ""


def _complaint_unit(event: Event) -> None:
    if event.unit is None or event.unit.kind not in COMPLAINT_UNITS:
        raise ValidationFailed(
            _("The event has no responsible district: a complaint cannot be opened for it."),
            fields={"unit": _("No responsible district.")},
        )


@transaction.atomic
def event_open_complaint(*, event: Event, actor: User, data: ComplaintInput) -> Case:
    """Register a complaint (channel press) for the event's responsible unit, on its behalf. The
    officer is not given the complaint to read: the unit works it."""
    event = event_for_action(actor, event)
    _complaint_unit(event)
    category = Category.objects.filter(code=data.category, active=True).first()
    name = data.full_name.strip()
    case = complaint_register(
        actor=actor,
        data=IntakeInput(
            channel="press",
            category=category,
            description=data.description,
            complainant=ComplainantInput(anonymous=not name, full_name=name, phone=data.phone.strip()),
            latitude=event.lat,
            longitude=event.lon,
            assigned_unit=event.unit,
            external_reference=f"MEDIA-{event.pk}",
        ),
    )
    now = timezone.now()
    record_action(event, ActionKind.COMPLAINT, actor, now, reference=case.reference)
    audit_record(actor=actor, action="media.event.complaint", obj=event, after={"case": case.reference})
    return case


@transaction.atomic
def event_open_intervention(*, event: Event, actor: User, category: str, description: str) -> Incident:
    """A line-19 intervention on the board of the responsible unit's wilaya."""
    event = event_for_action(actor, event)
    wilaya = wilaya_of(event.unit) if event.unit is not None else None
    if wilaya is None:
        raise ValidationFailed(
            _("The event is not placed in a wilaya: no command room can take it."),
            fields={"unit": _("No responsible wilaya.")},
        )
    incident = incident_report(
        actor=actor,
        wilaya=wilaya,
        category=category,
        description=description,
        address=event.place_name[:300],
        latitude=event.lat,
        longitude=event.lon,
    )
    now = timezone.now()
    record_action(event, ActionKind.INTERVENTION, actor, now, reference=incident.reference)
    audit_record(actor=actor, action="media.event.intervention", obj=event, after={"incident": incident.reference})
    return incident


@transaction.atomic
def fact_request(*, event: Event, actor: User, question: str) -> FactRequest:
    """Ask the event's responsible unit for the facts."""
    event = event_for_action(actor, event)
    question = (question or "").strip()
    if not question or len(question) > TEXT_MAX:
        raise ValidationFailed(_("Write the question (at most 2000 characters)."), fields={"question": _("Required.")})
    if event.unit is None:
        raise ValidationFailed(_("The event has no responsible unit to ask."), fields={"unit": _("No unit.")})
    now = timezone.now()
    request = FactRequest.objects.create(event=event, unit=event.unit, question=question, asked_by=actor, asked_at=now)
    record_action(event, ActionKind.FACTS, actor, now)
    audit_record(actor=actor, action="media.facts.ask", obj=request, after={"event": event.pk, "unit": event.unit.pk})
    return request


@transaction.atomic
def fact_answer(*, request: FactRequest | int, actor: User, answer: str) -> FactRequest:
    """A chief of the unit (or above it) answers; an answer is given once."""
    pk = request.pk if isinstance(request, FactRequest) else request
    found = fact_requests_for(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such request."))
    answer = (answer or "").strip()
    if not answer or len(answer) > 2 * TEXT_MAX:
        raise ValidationFailed(_("Write the answer (at most 4000 characters)."), fields={"answer": _("Required.")})
    if found.answered_at is not None:
        raise Conflict(_("This request was already answered."))
    found.answer, found.answered_by, found.answered_at = answer, actor, timezone.now()
    found.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action="media.facts.answer", obj=found, after={"answered": True})
    return found
