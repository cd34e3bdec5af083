"""Complaints against officers, the Inspectorate's side: the officer concerned, the allegations and
a finding for each, the outcome, and an officer's record of sustained findings.

Reads and writes: the Inspectorate only (`access.OFFICER_FINDINGS`). Everything starts from a
complaint the reader may open (`cases.selectors.case_get`), and such a complaint is `against_officer`:
the officer's chain of command never reaches it, in any list, count, page or endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.choices import Outcome, Sensitivity, State
from cases.models import Case
from cases.selectors import case_get, may
from cases.services import TransitionInput, case_transition
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from org import access
from org.models import Unit, User
from oversight.choices import AllegationKind, Finding, OfficerOutcome
from oversight.models import Allegation, OfficerComplaint


def inspects(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and access.allows(user.roles, access.OFFICER_FINDINGS)
    )


def _require_inspector(user: User) -> None:
    if not inspects(user):
        raise PermissionDenied(_("Only the Inspectorate records findings on officers."))


# ---------------------------------------------------------------- reads


def officer_complaint_case(user: User, reference: str) -> Case:
    """A complaint against an officer the user may open; any other reference is the same 404."""
    if not inspects(user):
        raise NotFound(_("No complaint with this reference in your jurisdiction."))
    case = case_get(user, reference)
    if case.sensitivity != Sensitivity.AGAINST_OFFICER:
        raise NotFound(_("No complaint with this reference in your jurisdiction."))
    return case


def officer_complaints(user: User) -> QuerySet[OfficerComplaint]:
    if not inspects(user):
        return OfficerComplaint.objects.none()
    return OfficerComplaint.objects.select_related("case", "officer", "officer_unit").order_by("-recorded_at")


def officer_record(user: User, officer_id: int) -> list[Allegation]:
    """An officer's sustained findings, newest first: the Inspectorate only."""
    if not inspects(user):
        raise NotFound(_("No such officer."))
    if not User.objects.filter(pk=officer_id).exists():
        raise NotFound(_("No such officer."))
    return list(
        Allegation.objects.filter(complaint__officer_id=officer_id, finding=Finding.SUSTAINED)
        .select_related("complaint__case")
        .order_by("-found_at", "-id")
    )


# ---------------------------------------------------------------- writes


@dataclass
class OfficerInput:
    officer: User | None = None
    officer_unit: Unit | None = None
    incident_on: date | None = None
    place: str = ""
    vehicle_number: str = ""
    description: str = ""
    allegations: list[str] = field(default_factory=list)


def _check(data: OfficerInput) -> None:
    if data.officer is None and data.officer_unit is None and not data.description.strip():
        raise ValidationFailed(
            _("Name the officer, or describe them (unit, date, place, vehicle)."),
            fields={"officer": _("Name or describe the officer.")},
        )
    kinds = list(dict.fromkeys(data.allegations))
    if not kinds or any(k not in AllegationKind.values for k in kinds):
        raise ValidationFailed(_("Choose at least one allegation."), fields={"allegations": _("Choose an allegation.")})
    if data.incident_on and data.incident_on > timezone.localdate():
        raise ValidationFailed(
            _("The facts cannot be in the future."), fields={"incident_on": _("Not a possible date.")}
        )
    if len(data.place) > 200 or len(data.vehicle_number) > 20 or len(data.description) > 5000:
        raise ValidationFailed(_("A field is too long."), fields={"description": _("Too long.")})


@transaction.atomic
def officer_complaint_record(*, case: Case, actor: User, data: OfficerInput) -> OfficerComplaint:
    """Record (or correct, while no finding is made) who the complaint is about and what is alleged."""
    _require_inspector(actor)
    if case.sensitivity != Sensitivity.AGAINST_OFFICER or not may(actor, access.WORK, case):
        raise NotFound(_("No complaint with this reference in your jurisdiction."))
    _check(data)
    now = timezone.now()
    oc, _created = OfficerComplaint.objects.select_for_update().get_or_create(
        case=case, defaults={"recorded_by": actor, "recorded_at": now}
    )
    if oc.concluded_at is not None or oc.allegations.exclude(finding="").exists():
        raise Conflict(_("Findings are recorded: the allegations can no longer change."), code="findings_made")
    oc.officer, oc.officer_unit, oc.incident_on = data.officer, data.officer_unit, data.incident_on
    oc.place, oc.vehicle_number = data.place.strip(), data.vehicle_number.strip().upper()
    oc.description = data.description.strip()
    oc.save()
    oc.allegations.all().delete()
    Allegation.objects.bulk_create([Allegation(complaint=oc, kind=k) for k in dict.fromkeys(data.allegations)])
    audit_record(
        actor=actor,
        action="officer_complaint.record",
        obj=case,
        after={
            "officer": oc.officer_id,
            "unit": oc.officer_unit_id,
            "allegations": list(dict.fromkeys(data.allegations)),
        },
    )
    return oc


CASE_OUTCOME = {
    OfficerOutcome.JUDICIAL: Outcome.REFERRED_COMPETENT,
}


def _conclusion_report(allegations: list[Allegation], outcome: str, note: str) -> str:
    """The case's closing report: the inspector's note, else each allegation with its finding and
    the outcome, in the words of the reference lists."""
    if note.strip():
        return note.strip()
    lines = [f"{a.get_kind_display()}: {a.get_finding_display()}" for a in allegations]
    return "\n".join([*lines, str(OfficerOutcome(outcome).label)])


@transaction.atomic
def officer_complaint_conclude(
    *, case: Case, actor: User, findings: dict[int, str], outcome: str, note: str = ""
) -> OfficerComplaint:
    """A finding for every allegation and the outcome; the complaint is then closed."""
    _require_inspector(actor)
    if not may(actor, access.WORK, case):
        raise NotFound(_("No complaint with this reference in your jurisdiction."))
    oc = OfficerComplaint.objects.select_for_update().filter(case=case).first()
    if oc is None:
        raise Conflict(_("Record the officer and the allegations first."), code="no_allegations")
    if oc.concluded_at is not None:
        raise Conflict(_("This complaint is already concluded."), code="concluded")
    allegations = list(oc.allegations.all())
    missing = [a for a in allegations if findings.get(a.pk) not in Finding.values]
    if missing:
        raise ValidationFailed(
            _("Give a finding for every allegation."),
            fields={f"finding_{a.pk}": _("Choose a finding.") for a in missing},
        )
    if outcome not in OfficerOutcome.values:
        raise ValidationFailed(_("Choose the outcome."), fields={"outcome": _("Choose the outcome.")})
    sustained = any(findings[a.pk] == Finding.SUSTAINED for a in allegations)
    if outcome != OfficerOutcome.NONE and not sustained:
        raise ValidationFailed(
            _("A sanction or a referral needs a sustained allegation."), fields={"outcome": _("Nothing sustained.")}
        )
    now = timezone.now()
    for a in allegations:
        a.finding, a.found_at = findings[a.pk], now
    Allegation.objects.bulk_update(allegations, ["finding", "found_at"])
    oc.outcome, oc.concluded_at = outcome, now
    oc.save(update_fields=["outcome", "concluded_at"])
    case_outcome = CASE_OUTCOME.get(outcome) or (Outcome.SOLVED if sustained else Outcome.UNFOUNDED)
    if case.state != State.CLOSED:
        case_transition(
            case=Case.objects.get(pk=case.pk),
            actor=actor,
            transition="close",
            data=TransitionInput(
                outcome=case_outcome, note=note, report=_conclusion_report(allegations, outcome, note)
            ),
        )
    audit_record(
        actor=actor,
        action="officer_complaint.conclude",
        obj=case,
        after={"outcome": outcome, "findings": {str(a.pk): a.finding for a in allegations}},
    )
    return oc
