"""Staff pages of complaints: rendering in Arabic, intake, lists, the case page and its actions.

Every refusal must come back as a 4xx page in the user's language with nothing written, and a
case outside the user's jurisdiction must look exactly like a missing one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditRecord
from cases import services
from cases.choices import EventKind, State
from cases.models import Case, CaseEvent, CaseLink
from cases.tests.factories import CLOSING_REPORT, qualification

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000


@pytest.fixture(autouse=True)
def fast_hashing(settings, tmp_path):
    # The fixture organisation hashes ten passwords; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def ar(msgid: str, **params) -> str:
    """The Arabic text of a message, checked to be really translated."""
    with translation.override("ar"):
        text = gettext(msgid)
    assert text != msgid, f"not translated to Arabic: {msgid!r}"
    return text % params if params else text


def html(response) -> str:
    return response.content.decode()


def without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", body)


def assert_arabic_page(response, *msgids: str) -> None:
    body = html(response)
    assert '<html lang="ar" dir="rtl">' in body
    assert "bootstrap.rtl.min.css" in body
    for msgid in ("My cases", *msgids):
        assert ar(msgid) in body


def intake_data(**overrides) -> dict:
    data = {
        "category": "theft",
        "channel": "counter",
        "full_name": "مواطن تجريبي",
        "cnie": "AB123456",
        "phone": "0612345678",
        "language": "ar",
        "description": "سرقة هاتف محمول قرب محطة القطار",
        "address": "شارع محمد الخامس، الرباط",
        "latitude": "34.0236",
        "longitude": "-6.8341",
        "priority": "",
        "assigned_unit": "",
        "routing_reason": "",
    }
    data.update(overrides)
    return data


def transition_data(case, transition, **fields) -> dict:
    return {"transition": transition, "version": str(case.version), **fields}


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


# ---------------------------------------------------------------- rendering, language


def test_login_page_is_arabic_and_right_to_left(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = html(response)
    assert 'dir="rtl"' in body and ar("Log in to Amane") in body


def test_pages_require_login(client):
    response = client.get(reverse("cases:queue"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_every_page_renders_in_arabic_for_its_user(client, org, make_case):
    case = make_case()
    client.force_login(org.desk)
    assert_arabic_page(client.get(reverse("cases:my_cases")), "Unit queue", "New complaint")
    assert_arabic_page(client.get(reverse("cases:queue")), "Reference", "Deadline")
    intake = client.get(reverse("cases:intake"))
    assert_arabic_page(intake, "Register the complaint", "Anonymous complaint")
    assert "autofocus" in html(intake).split('id="id_category"')[0].rsplit("<select", 1)[1]
    assert_arabic_page(client.get(reverse("cases:detail", args=[case.reference])), "Timeline")
    services.case_assign(case=case, actor=org.chief, officer=org.investigator)
    client.force_login(org.investigator)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert_arabic_page(page, "Qualify", "Identified complainant", "Show personal data")
    # The complainant's identity is not on the page until someone asks for it.
    assert "AB123456" not in html(page) and "مواطن" not in html(page)


def test_language_switch_to_french_is_left_to_right(client, org):
    client.force_login(org.desk)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("cases:queue")})
    assert response.status_code == 302
    body = html(client.get(reverse("cases:queue")))
    assert '<html lang="fr" dir="ltr">' in body and "bootstrap.min.css" in body
    with translation.override("fr"):
        assert gettext("Unit queue") in body and gettext("Unit queue") != "Unit queue"


def test_intake_shows_each_category_procedure_without_a_round_trip(client, org):
    client.force_login(org.desk)
    body = html(client.get(reverse("cases:intake")))
    assert 'data-procedure="تحرير محضر الاستماع' in body  # theft, in Arabic
    assert 'data-prosecutor="1"' in body
    # A district's counter defaults to the counter channel.
    assert re.search(r'<option value="counter" selected>', body)


def test_duty_service_defaults_to_the_duty_channel(client, org):
    from org.choices import Role, UnitKind
    from org.services import unit_create, user_create

    duty = unit_create(
        actor=None,
        parent=org.area,
        kind=UnitKind.DUTY,
        code="RBT-PM",
        name_ar="المداومة",
        name_fr="Permanence",
        city="Rabat",
        latitude=34.02,
        longitude=-6.83,
    )
    officer = user_create(actor=None, username="dutydesk", password="x" * 12, unit=duty, roles=[Role.FRONT_DESK])
    client.force_login(officer)
    assert re.search(r'<option value="duty" selected>', html(client.get(reverse("cases:intake"))))


# ---------------------------------------------------------------- intake


def test_intake_registers_and_shows_the_tracking_code_once(client, org):
    client.force_login(org.desk)
    response = client.post(reverse("cases:intake"), intake_data())
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("cases:registered", args=[case.reference])
    assert case.created_by == org.desk and case.state == State.RECEIVED
    assert client.session["registered_case_ids"] == [case.pk]
    page = client.get(response.url)
    body = html(page)
    assert_arabic_page(page, "Complaint registered", "Print receipt")
    assert case.reference in body
    assert reverse("cases:receipt", args=[case.reference]) in body
    code = re.search(r'id="tracking-code"><bdi dir="ltr">([A-Z0-9-]+)<', body).group(1)
    assert len(code) >= 8
    # The code is shown once: reloading the page no longer carries it.
    assert code not in html(client.get(response.url))
    assert "registered_tracking" not in client.session


def test_intake_keeps_the_last_twenty_registered_ids(client, org):
    client.force_login(org.desk)
    session = client.session
    session["registered_case_ids"] = list(range(1000, 1020))
    session.save()
    client.post(reverse("cases:intake"), intake_data())
    ids = client.session["registered_case_ids"]
    assert len(ids) == 20 and ids[-1] == Case.objects.get().pk and 1000 not in ids


def test_intake_anonymous_with_attachment_and_link(client, org, make_case):
    earlier = make_case()
    client.force_login(org.desk)
    photo = SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")
    data = intake_data(
        category="nuisance",
        anonymous="on",
        full_name="",
        cnie="",
        phone="",
        link_to=[earlier.reference],
        attachments=[photo],
    )
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, html(response)
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.complainant.anonymous
    assert case.attachments.count() == 1
    assert CaseLink.objects.filter(from_case=case, to_case=earlier).exists()


def test_intake_cannot_link_a_case_outside_the_jurisdiction(client, org, make_case):
    foreign = make_case(actor=org.casa_officer, latitude=33.5830, longitude=-7.6330)
    client.force_login(org.desk)
    before = Case.objects.count()
    response = client.post(reverse("cases:intake"), intake_data(link_to=[foreign.reference]))
    assert response.status_code == 404
    assert Case.objects.count() == before and not CaseLink.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "upload", "msgid", "params"),
    [
        ({"cnie": "123"}, None, "The CNIE number is not valid: one or two letters followed by up to six digits.", {}),
        (
            {"phone": "+33612345678"},
            None,
            "The phone number is not a valid Moroccan number (+212 followed by 9 digits).",
            {},
        ),
        ({"latitude": "40.4", "longitude": "-3.7"}, None, "The place is outside Morocco. Check the coordinates.", {}),
        ({"latitude": "34.02", "longitude": ""}, None, "Give both latitude and longitude, or neither.", {}),
        (
            {},
            ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100),
            "This kind of file is not accepted: send a PDF, JPEG, PNG or WebP.",
            {},
        ),
        (
            {},
            ("notes.txt", b"just some text\n"),
            "This kind of file is not accepted: send a PDF, JPEG, PNG or WebP.",
            {},
        ),
        (
            {},
            ("scan.pdf", JPEG),
            "The file name does not match its content (a %(kind)s file named %(name)s).",
            {"kind": "JPG", "name": "scan.pdf"},
        ),
        ({"full_name": ""}, None, "Give the complainant's name or mark the complaint anonymous.", {}),
        ({"category": "assault", "anonymous": "on"}, None, "This category does not accept anonymous complaints.", {}),
    ],
)
def test_intake_refuses_bad_input_in_arabic_and_writes_nothing(client, org, overrides, upload, msgid, params):
    client.force_login(org.desk)
    data = intake_data(**overrides)
    if upload:
        data["attachments"] = [SimpleUploadedFile(upload[0], upload[1])]
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 422
    assert_arabic_page(response)
    assert ar(msgid, **params) in html(response)
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_intake_refuses_an_oversized_attachment(client, org):
    client.force_login(org.desk)
    data = intake_data(attachments=[SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")])
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 422
    assert ar("The file is too large (limit %(mb)s MB).", mb=0) in html(response)
    assert ar("File too large.") in html(response)
    assert Case.objects.count() == 0


def test_intake_form_errors_are_422_in_arabic(client, org):
    client.force_login(org.desk)
    response = client.post(reverse("cases:intake"), intake_data(category="nope", description=""))
    assert response.status_code == 422
    assert_arabic_page(response)
    assert Case.objects.count() == 0


def test_intake_refused_for_a_role_without_intake(client, org):
    from org.choices import Role
    from org.services import user_create

    patrol = user_create(actor=None, username="patrol", password="x" * 12, unit=org.district, roles=[Role.PATROL])
    client.force_login(patrol)
    response = client.post(reverse("cases:intake"), intake_data())
    assert response.status_code == 403
    assert ar("Your role does not give access to this page.") in html(response)
    assert Case.objects.count() == 0


def test_suggestions_list_earlier_complaints_of_the_same_person(client, org, make_case):
    earlier = make_case()
    client.force_login(org.desk)
    response = client.post(reverse("cases:suggestions"), {"cnie": "ab 123456"}, HTTP_HX_REQUEST="true")
    body = html(response)
    assert response.status_code == 200 and "<html" not in body
    assert f'name="link_to" value="{earlier.reference}"' in body
    assert ar("Same person") in body
    # The CNIE typed never went into an address; the look-up is logged, without the number.
    assert client.get(reverse("cases:suggestions"), {"cnie": "ab 123456"}).status_code == 405
    lookup = AuditRecord.objects.get(action="personal_data.lookup")
    assert lookup.actor == org.desk and lookup.after == {"fields": ["cnie"], "found": [earlier.pk]}
    assert "123456" not in str(lookup.after)


def test_suggestions_hide_complaints_of_another_jurisdiction(client, org, make_case):
    make_case()
    client.force_login(org.sibling_officer)
    response = client.post(
        reverse("cases:suggestions"), {"cnie": "AB123456", "latitude": "34.0236", "longitude": "-6.8341"}
    )
    assert 'name="link_to"' not in html(response)


# ---------------------------------------------------------------- lists


def test_queue_and_my_cases_list_and_filter(client, org, make_case):
    theft = make_case()
    nuisance = make_case(category="nuisance")
    by_chief = make_case(actor=org.chief, category="fraud")
    services.case_assign(case=nuisance, actor=org.chief, officer=org.investigator)
    closed = make_case(category="lost_documents")
    services.case_transition(
        case=closed,
        actor=org.investigator,
        transition="close",
        data=services.TransitionInput(outcome="solved", report=CLOSING_REPORT),
    )

    client.force_login(org.chief)
    queue = html(client.get(reverse("cases:queue")))
    for case in (theft, nuisance, by_chief):
        assert case.reference in queue
    assert closed.reference not in queue  # open cases by default
    every = html(client.get(reverse("cases:queue"), {"state": ""}))
    assert closed.reference in every
    only = html(client.get(reverse("cases:queue"), {"category": "nuisance", "state": ""}))
    assert nuisance.reference in only and theft.reference not in only
    officer = html(client.get(reverse("cases:queue"), {"officer": org.investigator.pk}))
    assert nuisance.reference in officer and theft.reference not in officer
    closed_only = html(client.get(reverse("cases:queue"), {"state": "closed"}))
    assert closed.reference in closed_only and theft.reference not in closed_only
    assert ar("Closed") in closed_only
    assert theft.reference not in html(client.get(reverse("cases:queue"), {"overdue": "1"}))
    # Junk in one filter drops that filter, not the page.
    assert client.get(reverse("cases:queue"), {"officer": "abc", "state": "nope"}).status_code == 200

    mine = html(client.get(reverse("cases:my_cases")))
    assert by_chief.reference in mine and theft.reference not in mine
    client.force_login(org.investigator)
    mine = html(client.get(reverse("cases:my_cases")))
    assert nuisance.reference in mine and theft.reference not in mine
    client.force_login(org.sibling_officer)
    assert theft.reference not in html(client.get(reverse("cases:queue"), {"state": ""}))


def test_queue_filter_by_htmx_returns_the_table_only(client, org, make_case):
    case = make_case()
    client.force_login(org.desk)
    response = client.get(reverse("cases:queue"), {"state": "open"}, HTTP_HX_REQUEST="true")
    body = html(response)
    assert "<html" not in body and case.reference in body
    assert "HX-Request" in response["Vary"]


def test_queue_pages_by_25(client, org, make_case):
    for _ in range(27):
        make_case()
    client.force_login(org.desk)
    response = client.get(reverse("cases:queue"))
    first = html(response)
    assert first.count('<tr class="') == 25
    cursor = response.context["page"].next_cursor
    assert f"state=open&amp;cursor={cursor}" in first
    second = client.get(reverse("cases:queue"), {"state": "open", "cursor": cursor})
    assert html(second).count('<tr class="') == 2
    # Back: the 25 newest again, through the "previous" cursor.
    back = client.get(reverse("cases:queue"), {"state": "open", "cursor": second.context["page"].previous_cursor})
    assert [c.pk for c in back.context["page"].rows] == [c.pk for c in response.context["page"].rows]
    assert back.context["page"].previous_cursor is None
    # A mangled cursor shows the first page, not an error.
    assert client.get(reverse("cases:queue"), {"cursor": "not-a-cursor"}).status_code == 200


def test_queue_query_count_does_not_grow_with_rows(client, org, make_case, django_assert_max_num_queries):
    for i in range(30):
        case = make_case(category=["theft", "fraud", "nuisance"][i % 3])
        if i % 2:
            services.case_assign(case=case, actor=org.chief, officer=org.investigator)
    client.force_login(org.chief)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:queue"))
    assert html(response).count('<tr class="') == 25
    with django_assert_max_num_queries(10):
        client.get(reverse("cases:my_cases"), {"state": "", "category": "theft"})


# ---------------------------------------------------------------- jurisdiction


def test_a_case_of_another_unit_looks_missing_everywhere(client, org, make_case, tmp_path):
    case = make_case()
    attachment = services.case_attach(
        case=case, actor=org.desk, upload=SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")
    )
    version = fresh(case).version
    client.force_login(org.sibling_officer)
    ref = case.reference
    attempts = [
        client.get(reverse("cases:detail", args=[ref])),
        client.get(reverse("cases:receipt", args=[ref])),
        client.get(reverse("cases:registered", args=[ref])),
        client.get(reverse("cases:attachment", args=[ref, attachment.pk])),
        client.post(reverse("cases:reveal", args=[ref]), HTTP_HX_REQUEST="true"),
        client.post(reverse("cases:transition", args=[ref]), {"transition": "qualify", "version": version}),
        client.post(reverse("cases:note", args=[ref]), {"note": "x"}),
        client.post(reverse("cases:assign", args=[ref]), {"version": version, "officer": ""}),
        client.post(reverse("cases:attach", args=[ref]), {"file": SimpleUploadedFile("a.jpg", JPEG)}),
    ]
    for response in attempts:
        assert response.status_code == 404
        assert ref not in html(response)
        assert ar("Not found") in html(response)
    unknown = client.get(reverse("cases:detail", args=["RBT-2020-999999-A"]))
    assert unknown.status_code == 404
    assert without_tokens(html(unknown)) == without_tokens(html(attempts[0]))
    case = fresh(case)
    assert case.state == State.RECEIVED and case.version == version
    kinds = set(case.events.values_list("kind", flat=True))
    assert EventKind.PERSONAL_DATA_READ not in kinds and EventKind.RECEIPT not in kinds


# ---------------------------------------------------------------- case page and actions


def test_full_workflow_through_the_case_page(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    url = reverse("cases:transition", args=[case.reference])
    steps = [
        ("qualify", {"offence": str(qualification().pk)}),
        (
            "refer",
            {"prosecutor_office": "النيابة العامة بالمحكمة الابتدائية بالرباط", "prosecutor_reference": "PV-2026-118"},
        ),
        ("record_instructions", {"note": "تعليمات بمواصلة البحث"}),
        ("close", {"outcome": "solved", "report": CLOSING_REPORT}),
    ]
    for name, fields in steps:
        response = client.post(url, transition_data(fresh(case), name, **fields))
        assert response.status_code == 302, html(response)
    case = fresh(case)
    assert case.state == State.CLOSED and case.outcome == "solved"
    assert case.prosecutor_reference == "PV-2026-118"
    page = html(client.get(reverse("cases:detail", args=[case.reference])))
    for msgid in ("Qualify", "Refer to the prosecutor", "Record the prosecutor's instructions", "Close", "Solved"):
        assert ar(msgid) in page
    assert "PV-2026-118" in page and "تعليمات بمواصلة البحث" in page
    # Closed: only the chief may reopen; the investigator is offered nothing.
    assert ar("No action is open to your role in this state.") in page


def test_front_desk_cannot_close(client, org, make_case):
    case = make_case()
    client.force_login(org.desk)
    response = client.post(
        reverse("cases:transition", args=[case.reference]), transition_data(case, "close", outcome="solved")
    )
    assert response.status_code == 403
    assert ar("Your role does not allow “%(action)s”.", action=ar("Close")) in html(response)
    assert fresh(case).state == State.RECEIVED


def test_referral_without_the_prosecutors_reference_is_refused(client, org, make_case):
    case = services.case_transition(
        case=make_case(),
        actor=org.investigator,
        transition="qualify",
        data=services.TransitionInput(offence=qualification()),
    )
    client.force_login(org.investigator)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        transition_data(case, "refer", prosecutor_office="النيابة العامة بالرباط"),
    )
    assert response.status_code == 422
    body = html(response)
    assert ar("%(field)s is required.", field=ar("Prosecutor's reference")) in body
    assert "<details open>" in body  # the refer form is shown open, with its error
    case = fresh(case)
    assert case.state == State.QUALIFIED and case.prosecutor_office == ""


def test_stale_version_is_a_conflict(client, org, make_case):
    case = make_case()
    stale = case.version
    services.case_transition(
        case=case, actor=org.chief, transition="qualify", data=services.TransitionInput(offence=qualification())
    )
    client.force_login(org.investigator)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "investigate", "version": stale},
    )
    assert response.status_code == 409
    body = html(response)
    assert (
        ar("This complaint was changed by someone else while you were working on it. Reload it and try again.") in body
    )
    assert ar("Reload the complaint") in body
    # The page shows the case as it is now, so the next try carries the current version.
    assert f'name="version" value="{fresh(case).version}"' in body
    assert fresh(case).state == State.QUALIFIED


def test_unknown_transition_and_missing_version_are_422(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    url = reverse("cases:transition", args=[case.reference])
    assert client.post(url, {"transition": "teleport", "version": case.version}).status_code == 422
    assert client.post(url, {"transition": "qualify", "version": "x"}).status_code == 422
    assert fresh(case).state == State.RECEIVED


def test_transfer_needs_a_chief(client, org, make_case):
    case = make_case()
    url = reverse("cases:transition", args=[case.reference])
    client.force_login(org.investigator)
    data = transition_data(case, "transfer", unit=org.sibling.pk, note="اختصاص ترابي")
    assert client.post(url, data).status_code == 403
    client.force_login(org.chief)
    assert client.post(url, data).status_code == 302
    assert fresh(case).assigned_unit == org.sibling


def test_reveal_shows_personal_data_and_logs_the_read(client, org, make_case):
    """GIVEN a complaint assigned to the investigator WHEN they ask to show the complainant without a
    purpose THEN 422 in Arabic and nothing is shown or logged; with a purpose THEN the data, and the
    read with its purpose on the timeline."""
    case = make_case()
    services.case_assign(case=case, actor=org.chief, officer=org.investigator)
    client.force_login(org.investigator)
    url = reverse("cases:reveal", args=[case.reference])
    refused = client.post(url, {"show": ["cnie"]}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "AB123456" not in html(refused)
    assert not case.events.filter(kind=EventKind.PERSONAL_DATA_READ).exists()
    response = client.post(url, {"purpose": "contact", "show": ["full_name", "cnie", "phone"]}, HTTP_HX_REQUEST="true")
    body = html(response)
    assert response.status_code == 200 and "<html" not in body
    assert "Fictif Test" in body and "AB123456" in body and "+212612345678" in body
    assert case.events.filter(kind=EventKind.PERSONAL_DATA_READ, actor=org.investigator).count() == 1
    page = html(client.get(reverse("cases:detail", args=[case.reference])))
    assert ar("Personal data shown") in page and "AB123456" not in page
    assert ar("Contact the complainant") in page  # the purpose, on the timeline
    # Without htmx the whole page comes back with the data shown.
    full = client.post(url, {"purpose": "hearing", "show": ["cnie"]})
    assert full.status_code == 200 and "<html" in html(full) and "AB123456" in html(full)
    assert "Fictif Test" not in html(full)  # only the field asked for


def test_reveal_needs_post(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    assert client.get(reverse("cases:reveal", args=[case.reference])).status_code == 405


def test_note_assign_and_attach(client, org, make_case):
    case = make_case()
    client.force_login(org.chief)
    ref = case.reference
    assert client.post(reverse("cases:note", args=[ref]), {"note": "اتصال بالمشتكي"}).status_code == 302
    empty = client.post(reverse("cases:note", args=[ref]), {"note": "  "})
    assert empty.status_code == 422
    response = client.post(
        reverse("cases:assign", args=[ref]), {"version": case.version, "officer": org.investigator.pk}
    )
    assert response.status_code == 302
    assert fresh(case).assigned_officer == org.investigator
    photo = SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")
    assert client.post(reverse("cases:attach", args=[ref]), {"file": photo}).status_code == 302
    bad = client.post(reverse("cases:attach", args=[ref]), {"file": SimpleUploadedFile("x.jpg", b"MZ" + b"\x00" * 50)})
    assert bad.status_code == 422
    assert ar("This kind of file is not accepted: send a PDF, JPEG, PNG or WebP.") in html(bad)
    assert case.attachments.count() == 1
    page = html(client.get(reverse("cases:detail", args=[ref])))
    assert "اتصال بالمشتكي" in page and "photo.jpg" in page and ar("Assignment") in page


def test_only_a_chief_assigns(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    response = client.post(
        reverse("cases:assign", args=[case.reference]), {"version": case.version, "officer": org.investigator.pk}
    )
    assert response.status_code == 403
    assert ar("Only a unit chief assigns complaints.") in html(response)
    assert fresh(case).assigned_officer is None


def test_attachment_download(client, org, make_case):
    case = make_case()
    att = services.case_attach(case=case, actor=org.desk, upload=SimpleUploadedFile("photo.jpg", JPEG))
    services.case_assign(case=case, actor=org.chief, officer=org.investigator)
    client.force_login(org.investigator)
    response = client.get(reverse("cases:attachment", args=[case.reference, att.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"]
    other = make_case()
    wrong = client.get(reverse("cases:attachment", args=[other.reference, att.pk]))
    assert wrong.status_code == 404


def test_receipt_pdf_is_recorded(client, org, make_case):
    case = make_case()
    client.force_login(org.desk)
    response = client.get(reverse("cases:receipt", args=[case.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="{case.reference}.pdf"'
    assert case.events.filter(kind=EventKind.RECEIPT).count() == 1


def test_registering_officer_prints_the_receipt_of_a_case_they_cannot_open(client, org):
    client.force_login(org.desk)
    response = client.post(reverse("cases:intake"), intake_data(category="officer_misconduct"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.assigned_unit == org.igsn
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    registered = client.get(response.url)
    assert registered.status_code == 200
    assert f'href="{reverse("cases:detail", args=[case.reference])}"' not in html(registered)
    assert client.get(reverse("cases:receipt", args=[case.reference])).content.startswith(b"%PDF")


def test_stylesheet_uses_logical_properties_only():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "amane.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert not re.search(r"(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)", css)


def test_case_page_query_count_does_not_grow_with_its_history(client, org, make_case, django_assert_max_num_queries):
    bare = make_case()
    busy = make_case()
    for i in range(6):
        services.case_add_note(case=busy, actor=org.investigator, note=f"ملاحظة {i}")
        services.case_attach(case=busy, actor=org.desk, upload=SimpleUploadedFile(f"p{i}.jpg", JPEG))
    for other in (bare, make_case(), make_case()):
        services.case_link(case=busy, other=other, actor=org.investigator)
    services.complainant_reveal(case=busy, actor=org.chief, purpose="contact")
    qualified = services.TransitionInput(offence=qualification())
    busy = services.case_transition(case=busy, actor=org.chief, transition="qualify", data=qualified)
    # Both in the same state, so that both pages offer the same forms (the refer form's list of
    # prosecutor's offices is one query).
    bare = services.case_transition(case=bare, actor=org.chief, transition="qualify", data=qualified)
    client.force_login(org.chief)
    with django_assert_max_num_queries(15) as bare_queries:  # 14, and the operational results
        client.get(reverse("cases:detail", args=[bare.reference]))
    with django_assert_max_num_queries(len(bare_queries)):
        page = client.get(reverse("cases:detail", args=[busy.reference]))
    assert html(page).count('class="list-group-item timeline-item') >= 17


def test_navbar_has_the_language_switcher_and_a_logout_form(client, org):
    client.force_login(org.desk)
    body = html(client.get(reverse("cases:my_cases")))
    assert f'<form method="post" action="{reverse("set_language")}"' in body
    assert f'<form method="post" action="{reverse("logout")}"' in body
    assert "Desk Test" in body and "الدائرة الأولى حسان" in body
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_an_expired_form_is_explained_in_arabic(org, make_case):
    from django.test import Client

    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.investigator)
    response = client.post(reverse("cases:transition", args=[case.reference]), transition_data(case, "qualify"))
    assert response.status_code == 403
    assert 'dir="rtl"' in html(response) and ar("Form expired") in html(response)
    assert fresh(case).state == State.RECEIVED


def test_coordinates_typed_with_a_comma_or_arabic_digits(client, org):
    client.force_login(org.desk)
    response = client.post(reverse("cases:intake"), intake_data(latitude="٣٤٫٠٢٣٦", longitude="-6,8341"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (34.0236, -6.8341)
