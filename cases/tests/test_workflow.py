"""Scenario tests of the complaint workflow, built through the services."""

import pytest

from audit.models import AuditRecord
from cases.choices import EventKind, Outcome, State
from cases.models import Case, CaseEvent, Category
from cases.services import TransitionInput, case_assign, case_transition
from cases.tests.factories import CLOSING_REPORT, qualification
from cases.workflow import STATES, TRANSITIONS, allowed_for
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def move(case, actor, name, **fields):
    return case_transition(
        case=case, actor=actor, transition=name, version=case.version, data=TransitionInput(**fields)
    )


def test_workflow_table_is_consistent():
    for t in TRANSITIONS.values():
        assert t.sources, t.name
        assert all(s in STATES for s in t.sources)
        assert t.target is None or t.target in STATES
        assert t.roles


def test_full_path_from_counter_to_closure(org, make_case):
    """GIVEN a theft registered at the counter
    WHEN it is qualified, investigated, referred, instructed and closed
    THEN each step is on the timeline and in the audit chain, and the outcome is kept."""
    case = make_case()
    case = move(case, org.investigator, "qualify", offence=qualification())
    case = move(case, org.investigator, "investigate")
    case = move(
        case,
        org.investigator,
        "refer",
        prosecutor_office="النيابة العامة بالرباط",
        prosecutor_reference="2026/1102/455",
    )
    case = move(case, org.investigator, "record_instructions", note="الاستماع إلى الشهود")
    case = move(case, org.investigator, "close", outcome=Outcome.SOLVED, report=CLOSING_REPORT)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.outcome == Outcome.SOLVED
    assert case.closed_within_deadline is True
    assert case.version == 6
    steps = list(CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).values_list("transition", flat=True))
    assert steps == ["qualify", "investigate", "refer", "record_instructions", "close"]
    actions = set(
        AuditRecord.objects.filter(object_id=str(case.pk), object_type="cases.case").values_list("action", flat=True)
    )
    assert {"case.create", "case.qualify", "case.refer", "case.close"} <= actions


def test_transition_not_allowed_from_state_writes_nothing(org, make_case):
    case = make_case()
    before = AuditRecord.objects.count()
    with pytest.raises(Conflict) as exc:
        move(case, org.investigator, "record_instructions", note="x")
    assert exc.value.code == "transition_not_allowed"
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.version == 1
    assert AuditRecord.objects.count() == before


def test_role_without_the_right_is_refused(org, make_case):
    case = make_case()
    with pytest.raises(PermissionDenied):
        move(case, org.desk, "qualify", offence=qualification())
    with pytest.raises(NotFound):  # a user without a role sees no complaint at all
        move(case, org.norole, "qualify", offence=qualification())
    case = move(case, org.chief, "qualify", offence=qualification())
    with pytest.raises(PermissionDenied):
        move(case, org.investigator, "transfer", unit=org.sibling, note="wrong district")
    assert case.state == State.QUALIFIED


def test_referral_requires_office_and_reference(org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "refer", prosecutor_office="النيابة العامة بالرباط")
    assert "prosecutor_reference" in exc.value.fields
    case.refresh_from_db()
    assert case.state == State.QUALIFIED and case.prosecutor_office == ""


def test_closing_requires_an_outcome(org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "close")
    assert "outcome" in exc.value.fields


def test_mandatory_referral_blocks_closing_as_solved(org, make_case):
    assert Category.objects.get(code="theft").prosecutor_mandatory
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    with pytest.raises(ValidationFailed):
        move(case, org.investigator, "close", outcome=Outcome.SOLVED, report=CLOSING_REPORT)
    # Withdrawn needs no referral.
    case.refresh_from_db()
    case = move(case, org.investigator, "close", outcome=Outcome.WITHDRAWN, report=CLOSING_REPORT)
    assert case.state == State.CLOSED


def test_stale_version_is_a_conflict(org, make_case):
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    move(case, org.investigator, "qualify", offence=qualification())
    with pytest.raises(Conflict):
        case_transition(case=stale, actor=org.chief, transition="qualify", version=stale.version)


def test_transfer_records_reason_and_moves_visibility(org, make_case):
    case = make_case()
    case = move(case, org.chief, "transfer", unit=org.sibling, note="Les faits ont eu lieu à Agdal")
    assert case.assigned_unit == org.sibling and case.state == State.RECEIVED
    event = CaseEvent.objects.get(case=case, kind=EventKind.TRANSFER)
    assert event.note == "Les faits ont eu lieu à Agdal"
    assert event.data == {"from_unit": org.district.pk, "to_unit": org.sibling.pk}
    with pytest.raises(ValidationFailed):
        move(case, org.sibling_chief, "transfer", unit=org.sibling, note="same")
    with pytest.raises(ValidationFailed):
        move(case, org.sibling_chief, "transfer", unit=org.district)  # no reason


def test_reopen_by_chief_only_with_reason(org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=qualification())
    case = move(case, org.investigator, "close", outcome=Outcome.UNFOUNDED, report=CLOSING_REPORT)
    with pytest.raises(PermissionDenied):
        move(case, org.investigator, "reopen", note="new facts")
    with pytest.raises(ValidationFailed):
        move(case, org.chief, "reopen")
    case = move(case, org.chief, "reopen", note="Nouveaux éléments apportés par le plaignant")
    assert case.state == State.UNDER_INVESTIGATION and case.reopen_count == 1 and case.outcome == ""


def test_allowed_actions_follow_role_and_state(org, make_case):
    case = make_case()
    assert [t.name for t in allowed_for(org.desk, case.state)] == []
    assert {t.name for t in allowed_for(org.investigator, case.state)} == {"qualify", "close"}
    assert {t.name for t in allowed_for(org.chief, case.state)} == {"qualify", "close", "transfer"}


def test_assignment_within_the_unit(org, make_case):
    case = make_case()
    case = case_assign(case=case, actor=org.chief, officer=org.investigator, version=case.version)
    assert case.assigned_officer == org.investigator
    with pytest.raises(ValidationFailed):
        case_assign(case=case, actor=org.chief, officer=org.sibling_officer, version=case.version)
    with pytest.raises(PermissionDenied):
        case_assign(case=case, actor=org.investigator, officer=org.investigator, version=case.version)


def test_services_check_jurisdiction_themselves(org, make_case):
    """Even a caller that skipped the selector cannot act on a case outside the actor's reach."""
    case = make_case()
    with pytest.raises(NotFound):
        move(case, org.sibling_chief, "qualify", offence=qualification())
    with pytest.raises(NotFound):
        case_assign(case=case, actor=org.sibling_chief, officer=None, version=case.version)
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.version == 1
