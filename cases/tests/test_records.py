"""Full records: the legal qualification from a reference list of offences, a closing report,
an officer assigned before the investigation (or the investigator taking the case, recorded), and
only the actions the workflow allows in the case's state offered on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditRecord
from cases.choices import EventKind, Outcome, State
from cases.models import Case, CaseEvent, Offence
from cases.services import TransitionInput, case_assign, case_transition
from cases.workflow import ACTIONS, OPEN_STATES, TRANSITIONS
from core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

REPORT = "تم الاستماع إلى المشتكي والشهود، واسترجاع الهاتف وتسليمه لصاحبه."


def move(case, actor, name, **fields):
    return case_transition(
        case=case, actor=actor, transition=name, version=case.version, data=TransitionInput(**fields)
    )


def offence(code: str) -> Offence:
    return Offence.objects.get(code=code)


def ar(msgid: str) -> str:
    with translation.override("ar"):
        text = gettext(msgid)
    assert text != msgid, f"not translated to Arabic: {msgid!r}"
    return text


# ---------------------------------------------------------------- the reference list


def test_reference_list_of_offences_carries_the_penal_code_articles(org):
    """The list is loaded by a data migration, named in the three languages, with the article of
    the Moroccan penal code where it is known."""
    assert offence("theft").articles == "505"
    assert offence("aggravated_theft").articles == "509–510"
    assert offence("assault").articles == "400–403"
    assert offence("fraud").articles == "540"
    assert offence("breach_of_trust").articles == "547"
    assert offence("threats").articles == "425–429"
    for o in Offence.objects.all():
        assert o.name_ar and o.name_fr and o.name_en, o.code
    with translation.override("fr"):
        assert "505" in offence("theft").label and "Vol" in offence("theft").label


# ---------------------------------------------------------------- qualification


def test_qualifying_needs_an_offence_from_the_list(org, make_case):
    """GIVEN a theft at the counter
    WHEN the investigator qualifies it without a legal qualification
    THEN it is refused, nothing changes; with one, the case and its timeline carry it."""
    case = make_case()
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "qualify")
    assert "offence" in exc.value.fields
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED
    case = move(case, org.investigator, "qualify", offence=offence("theft"))
    assert Case.objects.get(pk=case.pk).offence == offence("theft")
    event = CaseEvent.objects.get(case=case, transition="qualify")
    assert event.data["offence"] == "theft"
    audit = AuditRecord.objects.filter(action="case.qualify", object_id=str(case.pk)).get()
    assert audit.after["offence"] == offence("theft").pk


def test_an_offence_no_longer_in_use_is_refused(org, make_case):
    old = offence("theft")
    Offence.objects.filter(pk=old.pk).update(active=False)
    with pytest.raises(ValidationFailed) as exc:
        move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    assert "offence" in exc.value.fields


def test_case_page_offers_the_offences_and_shows_the_qualification(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    qualify = page.split('data-action="qualify"', 1)[1].split("</form>", 1)[0]
    assert 'name="offence"' in qualify and f'value="{offence("fraud").pk}"' in qualify
    with translation.override("ar"):
        assert offence("fraud").label in qualify
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "qualify", "version": str(case.version), "offence": str(offence("fraud").pk)},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    with translation.override("ar"):
        label = offence("fraud").label
    assert label in page.split('id="case-offence"', 1)[1].split("</dd>", 1)[0]
    assert label in page.split('id="h-timeline"', 1)[1]


# ---------------------------------------------------------------- closing report


def test_closing_needs_a_report_kept_and_shown_on_the_timeline(client, org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.investigator, "close", outcome=Outcome.UNFOUNDED)
    assert "report" in exc.value.fields
    assert Case.objects.get(pk=case.pk).state == State.QUALIFIED
    case = move(case, org.investigator, "close", outcome=Outcome.UNFOUNDED, report=REPORT)
    assert Case.objects.get(pk=case.pk).closing_report == REPORT
    client.force_login(org.investigator)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert REPORT in page.split('id="h-timeline"', 1)[1]
    assert REPORT in page.split('id="case-closing-report"', 1)[1].split("</dd>", 1)[0]


def test_closing_form_on_the_page_asks_for_the_report(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "close", "version": str(case.version), "outcome": Outcome.UNFOUNDED},
    )
    assert response.status_code == 422
    assert 'name="report"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


# ---------------------------------------------------------------- assignment before investigation


def test_investigation_needs_an_assigned_officer(org, make_case):
    """GIVEN a qualified case nobody was assigned
    WHEN a chief opens the investigation
    THEN it is refused: an officer must be assigned first."""
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    with pytest.raises(ValidationFailed) as exc:
        move(case, org.chief, "investigate")
    assert "officer" in exc.value.fields
    case = case_assign(case=case, actor=org.chief, officer=org.investigator)
    case = move(case, org.chief, "investigate")
    assert case.state == State.UNDER_INVESTIGATION and case.assigned_officer == org.investigator


def test_investigator_opening_an_unassigned_case_takes_it_on_the_record(org, make_case):
    """GIVEN a qualified case of the unit nobody was assigned
    WHEN an investigator of the unit opens the investigation
    THEN they are assigned the case, and the assignment is on the timeline and in the audit."""
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    case = move(case, org.investigator, "investigate")
    case = Case.objects.get(pk=case.pk)
    assert case.assigned_officer == org.investigator
    taken = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNMENT)
    assert taken.actor == org.investigator and taken.data["officer"] == org.investigator.pk and taken.data["self"]
    assert AuditRecord.objects.filter(action="case.take", object_id=str(case.pk), actor=org.investigator).exists()


def test_another_investigator_cannot_work_an_assigned_investigation(org, make_case):
    from org.services import user_create

    colleague = user_create(
        actor=None, username="colleague", password="x-Long-Pass-2026", unit=org.district, roles=["investigator"]
    )
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    case = case_assign(case=case, actor=org.chief, officer=org.investigator)
    with pytest.raises(PermissionDenied):
        move(case, colleague, "investigate")
    assert Case.objects.get(pk=case.pk).state == State.QUALIFIED


# ---------------------------------------------------------------- actions offered where allowed


def test_actions_are_declared_with_the_states_that_allow_them():
    assert State.CLOSED not in ACTIONS["assign"].states
    assert ACTIONS["assign"].states <= OPEN_STATES
    assert TRANSITIONS["investigate"].needs_officer


def test_no_assignment_on_a_closed_case(client, org, make_case):
    """GIVEN a closed case
    THEN its page offers no assign form and no attachment form, and the service refuses both."""
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    case = move(case, org.chief, "close", outcome=Outcome.UNFOUNDED, report=REPORT)
    client.force_login(org.chief)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'class="assign-form"' not in page
    attach_url = reverse("cases:attach", args=[case.reference])
    assert "attach-form" not in page and f'action="{attach_url}"' not in page
    assert 'data-action="reopen"' in page  # what the state allows is still offered
    with pytest.raises(Conflict):
        case_assign(case=Case.objects.get(pk=case.pk), actor=org.chief, officer=org.investigator)
    response = client.post(
        reverse("cases:assign", args=[case.reference]),
        {"version": str(Case.objects.get(pk=case.pk).version), "officer": str(org.investigator.pk)},
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).assigned_officer is None


def test_chief_is_not_offered_an_investigation_nobody_can_run(client, org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    client.force_login(org.chief)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-action="investigate"' not in page and 'class="assign-form"' in page
    case_assign(case=case, actor=org.chief, officer=org.investigator)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-action="investigate"' in page


def test_investigator_is_told_that_opening_the_investigation_assigns_them(client, org, make_case):
    case = move(make_case(), org.investigator, "qualify", offence=offence("theft"))
    client.force_login(org.investigator)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    investigate = page.split('data-action="investigate"', 1)[1].split("</form>", 1)[0]
    assert ar("You will be assigned this complaint.") in investigate
