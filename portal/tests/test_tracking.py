"""Tracking by reference + code: the state in plain words, never a note, an officer or personal
data; and a wrong code, an unknown or malformed reference all get the very same answer."""

from __future__ import annotations

import re

from django.test import Client

from cases.services import TransitionInput, case_transition
from cases.services import case_add_note as add_note
from cases.tests.factories import CLOSING_REPORT, qualification
from portal.tests.factories import filing_post


def file_one(client) -> tuple[str, str]:
    response = filing_post(client)
    html = client.get(response["Location"]).content.decode()
    ref = re.search(r'id="case-reference"><bdi dir="ltr">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code"><bdi dir="ltr">([^<]+)<', html).group(1)
    return ref, code


def test_tracking_shows_plain_words_and_nothing_internal(org, client):
    from cases.models import Case

    ref, code = file_one(client)
    case = Case.objects.get(reference=ref)
    case_transition(
        case=case, actor=org.investigator, transition="qualify", data=TransitionInput(offence=qualification())
    )
    add_note(case=case, actor=org.investigator, note="ملاحظة داخلية سرية")
    org.investigator.first_name = "Officier"
    org.investigator.save()
    response = Client().post("/track/", {"ref": ref.lower(), "code": code.replace("-", " ").lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="qualified"' in html
    assert ref in html
    assert "ملاحظة داخلية سرية" not in html  # no internal note
    assert "Investigator" not in html and "Officier" not in html  # no officer
    assert "+212" not in html and "0612345678" not in html  # no personal data
    assert org.district.name_ar in html  # the unit's name only


def test_unknown_wrong_and_malformed_give_identical_answers(org, client):
    """Walking through references learns nothing: same status, same body."""
    ref, code = file_one(client)
    other = Client()
    prefix, year, number, _check = ref.split("-")
    from cases.references import format_reference

    neighbour = format_reference(prefix, int(year), int(number) + 1)  # a well-formed, unused reference
    answers = [
        other.post("/track/", {"ref": ref, "code": "ABCD-EFGH-JKMN-PQRS"}),  # right ref, wrong code
        other.post("/track/", {"ref": neighbour, "code": code}),  # unknown ref, a real code
        other.post("/track/", {"ref": "NOT-A-REF", "code": code}),  # malformed
        other.post("/track/", {"ref": ref, "code": "<script>alert('تجربة')</script>"}),
    ]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    body = bodies.pop().decode()
    assert ref not in body and neighbour not in body and "<script>alert" not in body
    assert {tuple(sorted(a.cookies.keys())) for a in answers} == {()}


def test_empty_and_too_long_are_refused_with_a_message(org, client):
    for data in ({"ref": "", "code": ""}, {"ref": "R" * 100, "code": "C" * 100}):
        response = client.post("/track/", data)
        assert response.status_code == 422
        assert 'role="alert"' in response.content.decode()


def test_tracking_code_compare_goes_through_the_keyed_hash(org, client):
    """The selector answers only for the exact reference + code pair."""
    from portal.selectors import case_id_for_tracking

    ref, code = file_one(client)
    assert case_id_for_tracking(ref, code) is not None
    assert case_id_for_tracking(ref, code[:-1] + ("2" if code[-1] != "2" else "3")) is None
    assert case_id_for_tracking("", "") is None


def test_closed_case_shows_outcome_in_plain_words(org, client):
    from cases.models import Case

    ref, code = file_one(client)
    case = Case.objects.get(reference=ref)
    case_transition(
        case=case,
        actor=org.investigator,
        transition="close",
        data=TransitionInput(outcome="unfounded", report=CLOSING_REPORT),
    )
    html = Client().post("/track/", {"ref": ref, "code": code}).content.decode()
    assert 'data-state="closed"' in html
    assert "unfounded" not in html  # the code word is never shown; its plain wording is
