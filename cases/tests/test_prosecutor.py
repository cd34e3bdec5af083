"""The prosecutor's side of a case: offices from a reference list, structured referrals and
instructions, executions reported back, late instructions escalated, continue or close after the
instructions, and the judicial-file indicator."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from audit.models import AuditRecord
from cases.choices import EventKind, InstructionKind, Outcome, State
from cases.judicial import judicial_indicator, percentile
from cases.models import Case, CaseEvent, Escalation, Instruction, ProsecutorOffice, Referral
from cases.services import TransitionInput, case_assign, case_transition, instruction_execute, instructions_sweep
from cases.tests.factories import required_fields
from core.errors import Conflict, PermissionDenied, ValidationFailed
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def advance(self, **kw):
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


def move(case, actor, name, **fields):
    fields = {**required_fields(name), **fields}
    case = Case.objects.get(pk=case.pk)
    return case_transition(
        case=case, actor=actor, transition=name, version=case.version, data=TransitionInput(**fields)
    )


def office(code="tpi-rabat"):
    return ProsecutorOffice.objects.get(code=code)


def referred(make_case, org, **kw):
    case = move(make_case(**kw), org.investigator, "qualify")
    return move(
        case,
        org.investigator,
        "refer",
        office=office(),
        prosecutor_reference="2026/2101/118",
        sent="محضر الاستماع، شهادة طبية",
    )


def instructed(case, org, clock, *, kind=InstructionKind.HEAR, days=7, text="الاستماع إلى الشاهد"):
    return move(
        case,
        org.investigator,
        "record_instructions",
        note=text,
        instruction_kind=kind,
        instruction_due_at=clock.now + timedelta(days=days),
    )


def test_the_reference_list_holds_both_courts_of_the_demo_cities(db, reference_data):
    for city in ("Rabat", "Casablanca", "Fès", "Marrakech", "Tanger", "Agadir"):
        levels = set(ProsecutorOffice.objects.filter(city=city).values_list("level", flat=True))
        assert levels == {"first_instance", "appeal"}, city
    casa = office("tpi-penal-casablanca")
    assert casa.name_ar == "النيابة العامة لدى المحكمة الابتدائية الزجرية بالدار البيضاء"


def test_a_referral_records_office_date_reference_and_what_was_sent(org, make_case, clock):
    case = referred(make_case, org)
    r = Referral.objects.get(case=case)
    assert r.office == office() and r.prosecutor_reference == "2026/2101/118"
    assert r.referred_at == T0 and r.sent == "محضر الاستماع، شهادة طبية"
    assert case.state == State.REFERRED and case.prosecutor_office == office().name_ar
    assert AuditRecord.objects.filter(action="case.referral", object_id=str(case.pk)).exists()


def test_an_inactive_office_is_refused_and_nothing_is_written(org, make_case, clock):
    case = move(make_case(), org.investigator, "qualify")
    closed = office("ca-rabat")
    closed.active = False
    closed.save()
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "refer", office=closed, prosecutor_reference="R-1")
    assert "office" in exc.value.fields
    assert Case.objects.get(pk=case.pk).state == State.QUALIFIED and not Referral.objects.exists()


def test_instructions_are_structured_and_more_may_follow(org, make_case, clock):
    case = referred(make_case, org)
    clock.advance(days=4)
    case = instructed(case, org, clock)
    first = Instruction.objects.get(case=case)
    assert (first.kind, first.text, first.received_at) == (InstructionKind.HEAR, "الاستماع إلى الشاهد", clock.now)
    assert first.due_at == clock.now + timedelta(days=7) and first.referral.case_id == case.pk
    assert case.state == State.INSTRUCTIONS_RECEIVED
    clock.advance(days=1)
    case = instructed(case, org, clock, kind=InstructionKind.ARREST_PRESENT, days=2, text="إيقاف المشتبه فيه وتقديمه")
    assert case.instructions.count() == 2
    event = CaseEvent.objects.filter(case=case, transition="record_instructions").last()
    assert event.data["kind"] == InstructionKind.ARREST_PRESENT


def test_an_instruction_without_a_deadline_gets_the_default(org, make_case, clock, settings):
    settings.PROSECUTOR_INSTRUCTION_DAYS = 10
    case = move(referred(make_case, org), org.investigator, "record_instructions", note="بحث تكميلي")
    ins = Instruction.objects.get(case=case)
    assert ins.kind == InstructionKind.OTHER and ins.due_at == T0 + timedelta(days=10)


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"instruction_kind": "torture"}, "instruction_kind"),
        ({"instruction_kind": "hear", "instruction_due_at": T0 - timedelta(days=1)}, "instruction_due_at"),
        ({"instruction_kind": "hear", "note": ""}, "note"),
    ],
)
def test_a_bad_instruction_is_refused_and_nothing_is_written(org, make_case, clock, fields, field):
    case = referred(make_case, org)
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "record_instructions", **{"note": "x", **fields})
    assert field in exc.value.fields
    assert Case.objects.get(pk=case.pk).state == State.REFERRED and not Instruction.objects.exists()


def test_execution_is_reported_back_with_its_date(org, make_case, clock):
    case = instructed(referred(make_case, org), org, clock)
    ins = Instruction.objects.get(case=case)
    clock.advance(days=3)
    done = instruction_execute(
        instruction=ins, actor=org.investigator, report="تم الاستماع إلى الشاهد بمحضر", executed_at=clock.now
    )
    assert done.executed_at == clock.now and done.executed_on_time is True and done.executed_by == org.investigator
    event = CaseEvent.objects.get(case=case, kind=EventKind.INSTRUCTION_EXECUTED)
    assert event.data == {"instruction": ins.pk, "kind": "hear", "on_time": True}
    with pytest.raises(Conflict):
        instruction_execute(instruction=ins, actor=org.investigator, report="مرة ثانية")


@pytest.mark.parametrize(
    "report,offset,field", [("", 0, "report"), ("تم", 1, "executed_at"), ("تم", -9, "executed_at")]
)
def test_a_bad_execution_report_is_refused_and_nothing_is_written(org, make_case, clock, report, offset, field):
    case = instructed(referred(make_case, org), org, clock)
    ins = Instruction.objects.get(case=case)
    clock.advance(days=2)
    with pytest.raises(ValidationFailed) as exc:
        instruction_execute(
            instruction=ins, actor=org.investigator, report=report, executed_at=clock.now + timedelta(days=offset)
        )
    assert field in exc.value.fields
    assert Instruction.objects.get(pk=ins.pk).executed_at is None
    assert not CaseEvent.objects.filter(kind=EventKind.INSTRUCTION_EXECUTED).exists()


def test_only_who_works_the_case_reports_an_execution(org, make_case, clock):
    case = instructed(referred(make_case, org), org, clock)
    with pytest.raises(PermissionDenied):
        instruction_execute(instruction=case.instructions.get(), actor=org.sibling_officer, report="تم")


def test_late_instructions_escalate_like_case_deadlines(org, make_case, clock, settings):
    """GIVEN an instruction to execute within 5 days (escalations at 0, 24 and 72 hours late)
    WHEN the sweep runs before, just after, a day after and three days after the deadline
    THEN the instruction is marked overdue, then raised to the unit, the area and the wilaya chiefs,
    each once, and an executed instruction is never swept."""
    settings.ESCALATION_DELAYS_HOURS = [0, 24, 72]
    case = instructed(referred(make_case, org), org, clock, days=5)
    other = instructed(referred(make_case, org), org, clock, days=5)
    ins = case.instructions.get()
    clock.advance(days=4)
    instruction_execute(instruction=other.instructions.get(), actor=org.investigator, report="تم التنفيذ")
    assert instructions_sweep() == {"overdue": 0, "escalations": 0}
    clock.advance(days=1, hours=1)
    assert instructions_sweep() == {"overdue": 1, "escalations": 1}
    assert instructions_sweep() == {"overdue": 0, "escalations": 0}  # idempotent
    ins.refresh_from_db()
    assert ins.overdue and ins.escalation_level == 1
    first = Escalation.objects.get(instruction=ins, level=1)
    assert first.unit == org.district and org.chief in first.recipients.all()
    clock.advance(days=1)
    instructions_sweep()
    assert Escalation.objects.get(instruction=ins, level=2).unit == org.area
    clock.advance(days=2)
    instructions_sweep()
    assert Escalation.objects.get(instruction=ins, level=3).unit == org.wilaya
    assert Escalation.objects.filter(instruction=ins).count() == 3
    assert not Escalation.objects.filter(instruction__case=other).exists()
    assert AuditRecord.objects.filter(action="case.instruction_escalate").count() == 3
    # The case's own clock is not touched by the instruction's lateness.
    assert Case.objects.get(pk=case.pk).escalation_level == 0


def test_the_periodic_task_sweeps_instructions(org, make_case, clock):
    from cases.tasks import sweep_deadlines

    instructed(referred(make_case, org), org, clock, days=1)
    clock.advance(days=2)
    result = sweep_deadlines.call()
    assert result["instructions_overdue"] == 1 and Instruction.objects.get().overdue


def test_after_instructions_the_investigation_continues_or_the_case_closes(org, make_case, clock):
    case = instructed(referred(make_case, org), org, clock)
    case = move(case, org.investigator, "continue_investigation")
    assert case.state == State.UNDER_INVESTIGATION and case.state_due_at is not None
    case = move(case, org.investigator, "refer", office=office("ca-rabat"), prosecutor_reference="2026/99")
    assert case.referrals.count() == 2
    case = instructed(case, org, clock, kind=InstructionKind.CLOSE)
    case = move(case, org.investigator, "close", outcome=Outcome.SOLVED)
    assert case.state == State.CLOSED


def test_percentile_is_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.0
    assert percentile([float(i) for i in range(1, 11)], 90) == 9.0


def test_the_judicial_indicator_per_unit(org, make_case, clock):
    """Hand-made: two referrals at the own district. Instructions come 2 and 4 days later; the
    first is executed 3 days later (due in 7: on time), the second 10 days later (due in 7: late);
    a third instruction is pending past its deadline."""
    a = referred(make_case, org)
    b = referred(make_case, org)
    clock.advance(days=2)
    a = instructed(a, org, clock, days=7)
    clock.advance(days=2)
    b = instructed(b, org, clock, days=7)
    b = instructed(b, org, clock, days=1, kind=InstructionKind.INVESTIGATE)
    clock.advance(days=1)  # day 5: a's instruction was received on day 2
    instruction_execute(instruction=a.instructions.get(), actor=org.investigator, report="تم")
    clock.advance(days=9)  # day 14: b's first instruction received on day 4
    instruction_execute(instruction=b.instructions.order_by("id").first(), actor=org.investigator, report="تم")
    since, until = T0 - timedelta(days=1), clock.now
    [row] = judicial_indicator(org.chief, since=since, until=until, now=clock.now)
    assert row.unit == org.district and row.referrals == 2 and row.instructions == 3
    assert (row.to_instructions_median, row.to_instructions_p90) == (2.0, 4.0)
    assert (row.to_execution_median, row.to_execution_p90) == (3.0, 10.0)
    assert row.executed == 2 and row.on_time == 1 and row.share_on_time == 0.5 and row.pending_overdue == 1
    assert judicial_indicator(org.sibling_chief, since=since, until=until, now=clock.now) == []
    assert judicial_indicator(org.investigator, since=since, until=until, now=clock.now) == []
    analyst = user_create(actor=None, username="analyst", password=PASSWORD, unit=org.wilaya, roles=[Role.ANALYST])
    assert [r.referrals for r in judicial_indicator(analyst, since=since, until=until, now=clock.now)] == [2]


def test_the_indicator_never_counts_a_complaint_against_an_officer_for_a_chief(org, make_case, clock):
    case = make_case(category="officer_misconduct")
    case = move(case, org.inspector, "qualify")
    case = case_assign(case=case, actor=org.inspector, officer=org.inspector)  # referring needs an officer
    move(case, org.inspector, "refer", office=office(), prosecutor_reference="IG-1")
    rows = judicial_indicator(org.wilaya_chief, since=T0 - timedelta(days=1), until=T0 + timedelta(days=1), now=T0)
    assert rows == []


# ---------------------------------------------------------------- the case page


def test_the_case_page_refers_instructs_executes_and_continues(client, org, make_case):
    from django.urls import reverse

    from cases.tests.test_pages import ar, html

    case = move(make_case(), org.investigator, "qualify")
    client.force_login(org.investigator)
    url = reverse("cases:transition", args=[case.reference])
    page = html(client.get(reverse("cases:detail", args=[case.reference])))
    assert office().name_ar in page  # the list is offered on the refer form
    response = client.post(
        url,
        {
            "transition": "refer",
            "version": case.version + 0,
            "office": office().pk,
            "prosecutor_reference": "2026/2101/7",
            "sent": "محضر الاستماع",
        },
    )
    assert response.status_code == 302, html(response)
    case = Case.objects.get(pk=case.pk)
    response = client.post(
        url,
        {
            "transition": "record_instructions",
            "version": case.version,
            "note": "الاستماع إلى الجار",
            "instruction_kind": "hear",
            "instruction_due_at": "2099-01-10",
        },
    )
    assert response.status_code == 302, html(response)
    ins = Instruction.objects.get(case=case)
    assert ins.kind == "hear" and ins.due_at.year == 2099
    page = html(client.get(reverse("cases:detail", args=[case.reference])))
    assert ar("Hear a person") in page and "2026/2101/7" in page and ar("Continue the investigation") in page
    execute = reverse("cases:execute_instruction", args=[case.reference, ins.pk])
    refused = client.post(execute, {"report": "", "executed_on": ""})
    assert refused.status_code == 422
    assert ar("Say how the instruction was executed.") in html(refused)
    assert Instruction.objects.get(pk=ins.pk).executed_at is None
    assert client.post(execute, {"report": "تم الاستماع"}).status_code == 302
    assert Instruction.objects.get(pk=ins.pk).executed_at is not None
    case = Case.objects.get(pk=case.pk)
    response = client.post(url, {"transition": "continue_investigation", "version": case.version})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.UNDER_INVESTIGATION


def test_a_bad_instruction_date_on_the_page_is_a_translated_422(client, org, make_case):
    from django.urls import reverse

    from cases.tests.test_pages import ar, html

    case = referred(make_case, org)
    client.force_login(org.investigator)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "record_instructions", "version": case.version, "note": "x", "instruction_due_at": "2001-01-01"},
    )
    assert response.status_code == 422
    assert ar("The deadline of an instruction must be in the future.") in html(response)
    assert not Instruction.objects.exists()
    other = client.post(reverse("cases:execute_instruction", args=[case.reference, 999999]), {"report": "x"})
    assert other.status_code == 404


def test_the_judicial_page_for_chiefs(client, org, make_case):
    from django.urls import reverse

    referred(make_case, org)
    client.force_login(org.chief)
    response = client.get(reverse("cases:judicial"))
    assert response.status_code == 200 and org.district.display_name in response.content.decode()
    client.force_login(org.investigator)
    assert client.get(reverse("cases:judicial")).status_code == 403
