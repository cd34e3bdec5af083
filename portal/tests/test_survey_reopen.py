"""The satisfaction survey (once per complaint) and the citizen's reopening (once, in time)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from cases.choices import State
from cases.models import Case
from cases.services import TransitionInput, case_transition
from cases.tests.factories import CLOSING_REPORT
from identity.tests.factories import login_citizen, make_citizen
from portal.models import OnlineFiling, SurveyResponse
from portal.signing import survey_token
from portal.tests.factories import filing_post

SCRIPT = "<script>alert('تجربة')</script>"


def closed_case(org, client) -> Case:
    assert filing_post(client).status_code == 302
    case = Case.objects.order_by("-id").first()
    return case_transition(
        case=case,
        actor=org.investigator,
        transition="close",
        data=TransitionInput(outcome="unfounded", report=CLOSING_REPORT),
    )


def test_survey_is_answered_once(org, client):
    case = closed_case(org, client)
    url = f"/survey/{survey_token(case.pk)}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "feels_safer": "yes", "comment": "شكرا " + SCRIPT})
    assert response.status_code == 200
    answer = SurveyResponse.objects.get()
    assert (answer.case_id, answer.rating, answer.feels_safer) == (case.pk, 4, "yes")
    again = client.post(url, {"rating": "1", "feels_safer": "no", "comment": ""})
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().rating == 4
    assert again.status_code == 200 and 'id="survey-thanks"' in again.content.decode()


def test_survey_bad_input_and_bad_links(org, client):
    case = closed_case(org, client)
    url = f"/survey/{survey_token(case.pk)}/"
    for data in (
        {},
        {"rating": "9", "feels_safer": "yes"},
        {"rating": "abc", "feels_safer": "yes"},
        {"rating": "3", "feels_safer": "perhaps"},
        {"rating": "3", "feels_safer": "yes", "comment": "x" * 1001},
        {"rating": "3", "feels_safer": "yes", "comment": SCRIPT * 100},
    ):
        response = client.post(url, data)
        assert response.status_code == 422
        html = response.content.decode()
        assert 'role="alert"' in html and SCRIPT not in html
    assert not SurveyResponse.objects.exists()
    assert client.get("/survey/forged-token/").status_code == 404
    assert client.get(f"/survey/{survey_token(999999)}/").status_code == 404
    # A complaint still open cannot be rated yet.
    assert filing_post(client).status_code == 302
    open_case = Case.objects.order_by("-id").first()
    assert client.get(f"/survey/{survey_token(open_case.pk)}/").status_code == 404


def test_my_page_lists_own_complaints_with_the_survey_link(org):
    citizen, stranger = make_citizen(), make_citizen()
    client = Client()
    login_citizen(client, citizen)
    case = closed_case(org, client)
    page = client.get("/my/").content.decode()
    assert case.reference in page and "/survey/" in page
    other = Client()
    login_citizen(other, stranger)
    assert case.reference not in other.get("/my/").content.decode()
    assert Client().get("/my/").status_code == 302  # sign in first


def test_reopen_once_within_the_period(org, settings):
    citizen = make_citizen()
    client = Client()
    login_citizen(client, citizen)
    case = closed_case(org, client)
    url = f"/my/{case.reference}/reopen/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422 and Case.objects.get(pk=case.pk).state == State.CLOSED
    assert client.post(url, {"reason": "لم يتم حل المشكل"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.UNDER_INVESTIGATION and case.reopen_count == 1
    assert case.events.filter(transition="citizen_reopen").exists()
    case_transition(
        case=case,
        actor=org.investigator,
        transition="close",
        data=TransitionInput(outcome="unfounded", report=CLOSING_REPORT),
    )
    second = client.post(url, {"reason": "مرة أخرى"})
    assert second.status_code == 409
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_reopen_refused_after_the_period_and_for_others(org, settings):
    citizen = make_citizen()
    client = Client()
    login_citizen(client, citizen)
    case = closed_case(org, client)
    stranger = Client()
    login_citizen(stranger, make_citizen())
    assert stranger.post(f"/my/{case.reference}/reopen/", {"reason": "x"}).status_code == 404
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=31))
    late = client.post(f"/my/{case.reference}/reopen/", {"reason": "trop tard"})
    assert late.status_code == 409
    assert Case.objects.get(pk=case.pk).state == State.CLOSED
    assert not OnlineFiling.objects.get(case=case).reopen_used


def test_reopen_bad_input_writes_nothing_and_escapes(org):
    citizen = make_citizen()
    client = Client()
    login_citizen(client, citizen)
    case = closed_case(org, client)
    url = f"/my/{case.reference}/reopen/"
    for reason in ("", "   ", "x" * 2001, SCRIPT * 200):
        response = client.post(url, {"reason": reason})
        assert response.status_code == 422
        html = response.content.decode()
        assert 'role="alert"' in html and SCRIPT not in html
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.reopen_count == 0
    assert not OnlineFiling.objects.get(case=case).reopen_used


def test_my_page_query_count_does_not_grow_with_complaints(org, django_assert_max_num_queries):
    """Pinned so that an N+1 on the citizen's list fails here."""
    citizen = make_citizen()
    client = Client()
    login_citizen(client, citizen)
    for _ in range(3):
        closed_case(org, client)
    with django_assert_max_num_queries(8):
        page = client.get("/my/")
    assert page.content.decode().count("public-case") == 3
