"""Deadlines that pause, resume, survive transfers and reopenings, and escalate level by level."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.test import override_settings

from cases.choices import EventKind, Outcome, State
from cases.models import Case, CaseEvent, Escalation
from cases.services import TransitionInput, case_transition, deadlines_sweep
from cases.tests.factories import CLOSING_REPORT, qualification

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
    return case_transition(
        case=case, actor=actor, transition=name, version=case.version, data=TransitionInput(**fields)
    )


def test_intake_starts_both_deadlines(org, make_case, clock):
    case = make_case()  # theft: 24 h to first action, 30 days to closure
    assert case.state_due_at == T0 + timedelta(hours=24)
    assert case.closure_due_at == T0 + timedelta(days=30)


def test_waiting_on_complainant_pauses_and_resumes(org, make_case, clock):
    """GIVEN a case under investigation for 2 days
    WHEN it waits 10 days on the complainant, then resumes
    THEN the 10 days do not count: the deadlines move by exactly 10 days."""
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    case = move(case, org.investigator, "investigate")
    investigation_due = case.state_due_at
    closure_due = case.closure_due_at
    clock.advance(days=2)
    case = move(case, org.investigator, "request_information", note="نسخة من عقد الكراء")
    assert case.clock_running_since is None and case.closure_due_at is None and case.state_due_at is None
    clock.advance(days=10)
    assert deadlines_sweep()["overdue"] == 0  # paused cases are never overdue
    case = move(case, org.investigator, "information_received")
    assert case.state == State.UNDER_INVESTIGATION
    assert case.state_due_at == investigation_due + timedelta(days=10)
    assert case.closure_due_at == closure_due + timedelta(days=10)
    assert case.elapsed_seconds(clock.now) == 2 * 86400


def test_prosecutor_wait_does_not_count(org, make_case, clock):
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    clock.advance(days=5)
    case = move(case, org.investigator, "refer", prosecutor_office="النيابة العامة", prosecutor_reference="R-1")
    clock.advance(days=40)  # longer than the whole 30-day budget
    case = move(case, org.investigator, "record_instructions", note="بحث تكميلي")
    clock.advance(days=3)
    case = move(case, org.investigator, "close", outcome=Outcome.SOLVED, report=CLOSING_REPORT)
    assert case.clock_elapsed == 8 * 86400
    assert case.closed_within_deadline is True


def test_time_is_counted_across_transfer_and_reopening(org, make_case, clock):
    case = make_case()
    clock.advance(days=3)
    case = move(case, org.chief, "transfer", unit=org.sibling, note="compétence territoriale")
    clock.advance(days=4)
    case = move(case, org.sibling_officer, "qualify", offence=qualification())
    clock.advance(days=5)
    case = move(case, org.sibling_officer, "close", outcome=Outcome.UNFOUNDED, report=CLOSING_REPORT)
    assert case.clock_elapsed == 12 * 86400 and case.closed_within_deadline
    clock.advance(days=100)  # closed time does not count
    case = move(case, org.sibling_chief, "reopen", note="عناصر جديدة")
    clock.advance(days=20)
    case = move(case, org.sibling_officer, "close", outcome=Outcome.UNFOUNDED, report=CLOSING_REPORT)
    assert case.clock_elapsed == 32 * 86400
    assert case.closed_within_deadline is False  # 32 working days against a 30-day budget


@override_settings(ESCALATION_DELAYS_HOURS=[0, 24, 72])
def test_overdue_escalates_unit_then_area_then_wilaya(org, make_case, clock):
    case = make_case()  # 24 h to qualify
    clock.advance(hours=23)
    assert deadlines_sweep() == {"overdue": 0, "escalations": 0}
    clock.advance(hours=2)
    assert deadlines_sweep() == {"overdue": 1, "escalations": 1}
    esc = Escalation.objects.get(case=case, level=1)
    assert esc.unit == org.district and list(esc.recipients.all()) == [org.chief]
    assert deadlines_sweep() == {"overdue": 0, "escalations": 0}  # idempotent
    clock.advance(hours=24)
    deadlines_sweep()
    assert Escalation.objects.get(case=case, level=2).unit == org.area
    assert list(Escalation.objects.get(case=case, level=2).recipients.all()) == [org.area_chief]
    clock.advance(hours=48)
    deadlines_sweep()
    esc3 = Escalation.objects.get(case=case, level=3)
    assert esc3.unit == org.wilaya and list(esc3.recipients.all()) == [org.wilaya_chief]
    case.refresh_from_db()
    assert case.overdue and case.escalation_level == 3
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION).count() == 3
    # Acting on the case clears the state's lateness.
    case = move(case, org.investigator, "qualify", offence=qualification())
    assert case.overdue is False and case.escalation_level == 0


def test_sweep_ignores_closed_and_paused(org, make_case, clock):
    closed = move(
        move(make_case(), org.investigator, "qualify", offence=qualification()),
        org.investigator,
        "close",
        outcome=Outcome.WITHDRAWN,
        report=CLOSING_REPORT,
    )
    paused = move(
        move(make_case(), org.investigator, "qualify", offence=qualification()),
        org.investigator,
        "request_information",
        note="?",
    )
    clock.advance(days=90)
    deadlines_sweep()
    assert not Case.objects.get(pk=closed.pk).overdue
    assert not Case.objects.get(pk=paused.pk).overdue
