"""Complaints against officers: the officer named or described, a finding per allegation, the
outcome, the officer's record — and none of it reachable by the officer's chain of command."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from cases.choices import State
from cases.judicial import judicial_indicator
from cases.models import Case, ProsecutorOffice
from cases.selectors import listed_cases, visible_cases
from cases.services import TransitionInput, case_assign, case_transition
from cases.tests.factories import required_fields
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from oversight.choices import Finding
from oversight.models import Allegation, OfficerComplaint
from oversight.officers import OfficerInput, officer_complaint_conclude, officer_complaint_record, officer_record


@pytest.fixture
def officer(org):
    """The officer complained about: a patrol investigator of the own district."""
    return user_create(
        actor=None,
        username="agent.x",
        password=PASSWORD,
        unit=org.district,
        roles=[Role.INVESTIGATOR],
        first_name="Karim",
        last_name="Mukhtalaq",
    )


def against(make_case, org, officer, *, kinds=("force", "discourtesy")):
    case = make_case(category="officer_misconduct")
    officer_complaint_record(
        case=case, actor=org.inspector, data=OfficerInput(officer=officer, allegations=list(kinds), place="باب الأحد")
    )
    return case


def test_the_inspector_records_the_officer_and_closes_with_a_finding_per_allegation(org, make_case, officer):
    case = against(make_case, org, officer)
    oc = OfficerComplaint.objects.get(case=case)
    [force, rude] = oc.allegations.order_by("id")
    with pytest.raises(ValidationFailed) as exc:
        officer_complaint_conclude(case=case, actor=org.inspector, findings={force.pk: "sustained"}, outcome="training")
    assert f"finding_{rude.pk}" in exc.value.fields
    with pytest.raises(ValidationFailed):
        officer_complaint_conclude(
            case=case,
            actor=org.inspector,
            findings={force.pk: "unfounded", rude.pk: "exonerated"},
            outcome="disciplinary",
        )
    assert Allegation.objects.filter(complaint=oc).exclude(finding="").count() == 0
    officer_complaint_conclude(
        case=case,
        actor=org.inspector,
        findings={force.pk: "sustained", rude.pk: "not_sustained"},
        outcome="disciplinary",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.CLOSED and case.outcome == "solved"
    assert dict(oc.allegations.values_list("kind", "finding")) == {"force": "sustained", "discourtesy": "not_sustained"}
    assert [a.kind for a in officer_record(org.inspector, officer.pk)] == ["force"]
    assert AuditRecord.objects.filter(action="officer_complaint.conclude", object_id=str(case.pk)).exists()
    with pytest.raises(Conflict):
        officer_complaint_conclude(case=case, actor=org.inspector, findings={}, outcome="none")


def test_a_described_officer_and_bad_input(org, make_case):
    case = make_case(category="officer_misconduct")
    with pytest.raises(ValidationFailed):
        officer_complaint_record(case=case, actor=org.inspector, data=OfficerInput(allegations=["force"]))
    with pytest.raises(ValidationFailed):
        officer_complaint_record(case=case, actor=org.inspector, data=OfficerInput(description="x", allegations=[]))
    with pytest.raises(ValidationFailed):
        officer_complaint_record(
            case=case,
            actor=org.inspector,
            data=OfficerInput(
                description="x", allegations=["force"], incident_on=timezone.localdate() + timedelta(days=2)
            ),
        )
    assert not OfficerComplaint.objects.exists()
    oc = officer_complaint_record(
        case=case,
        actor=org.inspector,
        data=OfficerInput(
            officer_unit=org.district,
            vehicle_number="12345-a-6",
            place="ساحة الجولان",
            description="شرطي طويل القامة",
            allegations=["corruption"],
        ),
    )
    assert oc.officer is None and oc.vehicle_number == "12345-A-6"


def test_only_the_inspectorate_records_findings(org, make_case, officer):
    case = make_case(category="officer_misconduct")
    for outsider in (org.chief, org.wilaya_chief, org.investigator):
        with pytest.raises(PermissionDenied):
            officer_complaint_record(
                case=case, actor=outsider, data=OfficerInput(officer=officer, allegations=["force"])
            )
    normal = make_case()
    with pytest.raises(NotFound):
        officer_complaint_record(
            case=normal, actor=org.inspector, data=OfficerInput(officer=officer, allegations=["force"])
        )
    with pytest.raises(NotFound):
        officer_record(org.chief, officer.pk)


def _text(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_no_one_in_the_officers_chain_of_command_can_see_or_count_it(org, make_case, officer):
    """GIVEN a complaint against an officer of the own district, concluded with a sustained finding
    and referred to the prosecutor on the way
    WHEN the officer, their colleagues, every chief above them (district, area, wilaya, central) and
    the wilaya's analyst look through every page, endpoint, export and dashboard they have
    THEN the complaint, its reference, its findings and its count are nowhere; the Inspectorate sees
    all of it."""
    central_chief = user_create(
        actor=None, username="dgsn.chief", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF]
    )
    analyst = user_create(actor=None, username="analyst.w", password=PASSWORD, unit=org.wilaya, roles=[Role.ANALYST])
    chain = [officer, org.investigator, org.desk, org.chief, org.area_chief, org.wilaya_chief, central_chief, analyst]
    since, until = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)

    def surfaces(user) -> dict[str, object]:
        c = Client()
        c.force_login(user)
        out: dict[str, object] = {
            "listed": listed_cases(user).count(),
            "visible": visible_cases(user).count(),
            "judicial": [
                (r.unit.pk, r.referrals, r.instructions)
                for r in judicial_indicator(user, since=since, until=until, now=until)
            ],
        }
        for name, url in [
            ("queue", "/cases/queue/?state="),
            ("mine", "/cases/?state="),
            ("api_list", "/api/cases?page_size=100"),
            ("deidentified", "/api/cases/deidentified?page_size=100"),
            ("judicial_page", "/cases/judicial/?days=30"),
            ("reads", "/cases/reads/"),
        ]:
            r = c.get(url)
            body = r.content.decode()
            count = re.search(r'"count":\s*(\d+)', body)
            out[name] = (r.status_code, int(count.group(1)) if count else body.count("<tr"))
        return out

    before = {u.username: surfaces(u) for u in chain}
    case = against(make_case, org, officer)
    case = case_transition(
        case=case, actor=org.inspector, transition="qualify", data=TransitionInput(**required_fields("qualify"))
    )
    case = case_assign(case=case, actor=org.inspector, officer=org.inspector)  # referring needs an officer
    case = case_transition(
        case=case,
        actor=org.inspector,
        transition="refer",
        data=TransitionInput(office=ProsecutorOffice.objects.get(code="tpi-rabat"), prosecutor_reference="IG-7"),
    )
    case = case_transition(
        case=case, actor=org.inspector, transition="record_instructions", data=TransitionInput(note="بحث")
    )
    oc = OfficerComplaint.objects.get(case=case)
    officer_complaint_conclude(
        case=case,
        actor=org.inspector,
        findings={a.pk: Finding.SUSTAINED for a in oc.allegations.all()},
        outcome="judicial",
    )
    for user in chain:
        assert surfaces(user) == before[user.username], user.username
        c = Client()
        c.force_login(user)
        for url in [
            f"/cases/{case.reference}/",
            f"/api/cases/{case.reference}",
            f"/api/cases/{case.reference}/events",
        ]:
            assert c.get(url).status_code == 404, (user.username, url)
        for url in [
            "/oversight/officers/",
            f"/oversight/officers/{officer.pk}/",
            f"/oversight/officers/complaints/{case.reference}/",
        ]:
            assert c.get(url).status_code in (403, 404), (user.username, url)
        for url in ["/cases/queue/?state=", "/api/cases?page_size=100", "/cases/judicial/?days=30"]:
            assert case.reference not in _text(c.get(url)), (user.username, url)
    # The Inspectorate sees it all.
    c = Client()
    c.force_login(org.inspector)
    assert case.reference in _text(c.get("/oversight/officers/"))
    record = _text(c.get(f"/oversight/officers/{officer.pk}/"))
    assert case.reference in record and "Karim" in record
    assert c.get(f"/cases/{case.reference}/").status_code == 200
    assert listed_cases(org.inspector).filter(pk=case.pk).exists()


def test_the_inspector_pages_record_and_conclude_with_translated_errors(client, org, make_case, officer):
    case = make_case(category="officer_misconduct")
    client.force_login(org.inspector)
    url = reverse("oversight:officer_complaint", args=[case.reference])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"allegations": ["force"]})
    assert bad.status_code == 422 and "سمّ الشرطي المعني" in bad.content.decode()
    assert not OfficerComplaint.objects.exists()
    assert client.post(url, {"officer": officer.pk, "allegations": ["force"]}).status_code == 302
    a = Allegation.objects.get()
    conclude = reverse("oversight:officer_complaint_conclude", args=[case.reference])
    missing = client.post(conclude, {"outcome": "none"})
    assert missing.status_code == 422 and Allegation.objects.get().finding == ""
    done = client.post(conclude, {f"finding_{a.pk}": "exonerated", "outcome": "none"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "مبرأ" in page
    assert client.get(reverse("oversight:officer_complaint", args=[make_case().reference])).status_code == 404
