"""GET endpoints against GeoReport v2: discovery, services, service definition, requests.

Both formats of every endpoint are parsed (ElementTree / json) and their field names compared with
the specification's; confidential categories and personal data must never appear.
"""

from __future__ import annotations

from datetime import timedelta

import h3
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.choices import Outcome
from cases.services import ComplainantInput, TransitionInput, case_assign, case_transition
from cases.tests.factories import CLOSING_REPORT, qualification
from cases.workflow import TRANSITIONS
from open311.tests.factories import CONFIDENTIAL, REQUEST_FIELDS, SERVICE_FIELDS

FORMATS = ["xml", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_document(db, api, fmt):
    a = api.get("discovery", fmt)
    assert a.status == 200
    if fmt == "xml":
        assert a.xml.tag == "discovery"
        assert [c.tag for c in a.xml] == ["changeset", "contact", "key_service", "endpoints"]
        endpoints = a.xml.find("endpoints")
        assert [e.tag for e in endpoints] == ["endpoint"]
        endpoint = endpoints.find("endpoint")
        assert [c.tag for c in endpoint] == ["specification", "url", "changeset", "type", "formats"]
        assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
        assert all(f.tag == "format" for f in endpoint.find("formats"))
        spec, url = endpoint.findtext("specification"), endpoint.findtext("url")
    else:
        assert set(a.json) == {"changeset", "contact", "key_service", "endpoints"}
        (endpoint,) = a.json["endpoints"]
        assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
        assert endpoint["formats"] == ["text/xml", "application/json"]
        spec, url = endpoint["specification"], endpoint["url"]
    assert spec == "http://wiki.open311.org/GeoReport_v2"
    assert url == "http://testserver/open311/v2"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_fields_and_no_confidential_category(db, api, fmt):
    a = api.get("services", fmt)
    assert a.status == 200
    assert all(names == SERVICE_FIELDS for names in a.fields("services", "service"))
    rows = a.rows("services", "service")
    codes = {r["service_code"] for r in rows}
    assert "theft" in codes
    assert "lost_documents" in codes
    assert not codes & CONFIDENTIAL
    theft = next(r for r in rows if r["service_code"] == "theft")
    assert theft["service_name"] == "سرقة"  # Arabic by default
    assert theft["type"] == "realtime"
    assert theft["metadata"] in ("true", True)
    assert "سرقة" in theft["keywords"] and "Vol" in theft["keywords"]


def test_service_names_follow_locale_and_accept_language(db, api):
    by_param = api.get("services", "json", locale="fr").json
    assert next(r for r in by_param if r["service_code"] == "theft")["service_name"] == "Vol"
    by_header = api.get("services", "json", headers={"accept-language": "en"}).json
    assert next(r for r in by_header if r["service_code"] == "theft")["service_name"] == "Theft"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(db, api, fmt):
    a = api.get("services/traffic_accident", fmt)
    assert a.status == 200
    attribute_fields = [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    if fmt == "xml":
        assert a.xml.tag == "service_definition"
        assert [c.tag for c in a.xml] == ["service_code", "attributes"]
        assert a.xml.findtext("service_code") == "traffic_accident"
        attributes = a.xml.find("attributes")
        assert all(c.tag == "attribute" for c in attributes)
        assert all([f.tag for f in att] == attribute_fields for att in attributes)
        injured = next(att for att in attributes if att.findtext("code") == "injured")
        assert injured.findtext("datatype") == "singlevaluelist"
        assert injured.findtext("required") == "true"
        assert injured.findtext("variable") == "true"
        values = injured.find("values")
        assert [[f.tag for f in v] for v in values] == [["key", "name"], ["key", "name"]]
        assert [v.findtext("key") for v in values] == ["yes", "no"]
        assert all(v.tag == "value" for v in values)
    else:
        assert set(a.json) == {"service_code", "attributes"}
        assert all(list(att) == attribute_fields for att in a.json["attributes"])
        injured = next(att for att in a.json["attributes"] if att["code"] == "injured")
        assert injured["required"] is True and injured["order"] == 2
        assert injured["values"] == [{"key": "yes", "name": "نعم"}, {"key": "no", "name": "لا"}]
    datatypes = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    nuisance = api.get("services/nuisance", "json").json
    assert {att["datatype"] for att in nuisance["attributes"]} <= datatypes
    assert "multivaluelist" in {att["datatype"] for att in nuisance["attributes"]}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["domestic_violence", "officer_misconduct", "no_such_service"])
def test_confidential_or_unknown_service_is_404_in_spec_format(db, api, fmt, code):
    a = api.get(f"services/{code}", fmt)
    assert a.status == 404
    assert a.errors()[0]["description"] == api.get("services/no_such_service", fmt).errors()[0]["description"]


@pytest.fixture
def cases(org, make_case):
    """Three cases of the public feed (one assigned to a named officer, one closed), a theft (not in
    the feed) and two confidential ones."""
    nuisance = make_case(category="nuisance")
    nuisance = case_assign(case=nuisance, actor=org.chief, officer=org.investigator, version=nuisance.version)
    vehicle = make_case(category="abandoned_vehicle")
    closed = make_case(category="public_space_obstruction")
    closed = case_transition(
        case=closed,
        actor=org.investigator,
        transition="close",
        version=closed.version,
        data=TransitionInput(outcome=Outcome.WITHDRAWN, report=CLOSING_REPORT),
    )
    protected = make_case(category="domestic_violence")
    against = make_case(category="officer_misconduct", actor=org.desk)
    theft = make_case()
    return {
        "nuisance": nuisance,
        "vehicle": vehicle,
        "closed": closed,
        "theft": theft,
        "protected": protected,
        "against": against,
    }


FEED = ("nuisance", "vehicle", "closed")


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_fields_and_statuses(api, cases, fmt):
    a = api.get("requests", fmt)
    assert a.status == 200
    assert all(names == REQUEST_FIELDS for names in a.fields("service_requests", "request"))
    rows = {r["service_request_id"]: r for r in a.rows("service_requests", "request")}
    assert set(rows) == {cases[k].reference for k in FEED}
    nuisance = rows[cases["nuisance"].reference]
    assert nuisance["status"] == "open"
    with translation.override("ar"):
        assert nuisance["status_notes"] == str(_("Being handled by the police."))
    assert nuisance["agency_responsible"] == "منطقة أمن حسان"  # the area, not the district
    assert nuisance["service_code"] == "nuisance"
    assert nuisance["requested_datetime"].endswith(("+01:00", "+00:00"))
    assert nuisance["requested_datetime"][14:19] == "00:00"  # to the hour
    assert nuisance["expected_datetime"] in ("", None)
    assert rows[cases["closed"].reference]["status"] == "closed"
    # Not the partner that filed it: no description, no address, the centre of an H3 cell.
    assert nuisance["description"] in ("", None)
    assert nuisance["address"] in ("", None)
    lat, lon = float(nuisance["lat"]), float(nuisance["long"])
    centre = h3.cell_to_latlng(h3.latlng_to_cell(34.0236, -6.8341, 9))
    assert (lat, lon) == (round(centre[0], 6), round(centre[1], 6))


def test_status_notes_translated(api, cases):
    rows = api.get("requests", "json", locale="fr", service_request_id=cases["closed"].reference).json
    with translation.override("fr"):
        assert rows[0]["status_notes"] == str(_("Closed."))
    assert rows[0]["status_notes"] != "Closed."


def test_requests_filters(api, cases):
    ref = {k: c.reference for k, c in cases.items()}

    def ids(**params):
        a = api.get("requests", "json", **params)
        assert a.status == 200, a.text
        return {r["service_request_id"] for r in a.json}

    assert ids(service_request_id=f"{ref['vehicle']},{ref['closed']},{ref['protected']},{ref['theft']}") == {
        ref["vehicle"],
        ref["closed"],
    }
    assert ids(service_code="nuisance") == {ref["nuisance"]}
    assert ids(service_code="nuisance,theft") == {ref["nuisance"]}
    assert ids(service_code="domestic_violence") == set()
    assert ids(status="closed") == {ref["closed"]}
    assert ids(status="open") == {ref["vehicle"], ref["nuisance"]}
    assert ids(status="open,closed") == {ref["vehicle"], ref["nuisance"], ref["closed"]}
    now = timezone.localtime()
    assert (
        len(ids(start_date=(now - timedelta(days=1)).isoformat(), end_date=(now + timedelta(hours=1)).isoformat())) == 3
    )
    assert (
        ids(start_date=(now - timedelta(days=30)).isoformat(), end_date=(now - timedelta(days=1)).isoformat()) == set()
    )
    assert len(ids(start_date=(now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))) == 3


def test_requests_paging(api, cases):
    first = api.get("requests", "json", page_size=2).json
    second = api.get("requests", "json", page_size=2, page=2).json
    third = api.get("requests", "json", page_size=2, page=3).json
    assert len(first) == 2 and len(second) == 1 and third == []
    assert {r["service_request_id"] for r in first + second} == {cases[k].reference for k in FEED}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45"},
        {"start_date": "2026-01-01T00:00:00+01:00", "end_date": "2026-04-02T00:00:00+01:00"},
        {"start_date": "2026-02-01", "end_date": "2026-01-01"},
        {"status": "pending"},
        {"page_size": "abc"},
        {"page": "0"},
    ],
)
def test_bad_filters_are_400_in_spec_format(api, cases, fmt, params):
    a = api.get("requests", fmt, **params)
    assert a.status == 400
    assert a.errors()


def test_range_of_exactly_90_days_is_accepted(api, cases):
    a = api.get("requests", "json", start_date="2026-01-01T00:00:00+00:00", end_date="2026-04-01T00:00:00+00:00")
    assert a.status == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_detail_fields(api, cases, fmt):
    a = api.get(f"requests/{cases['vehicle'].reference}", fmt)
    assert a.status == 200
    assert a.fields("service_requests", "request") == [REQUEST_FIELDS]
    assert a.rows("service_requests", "request")[0]["service_request_id"] == cases["vehicle"].reference


@pytest.mark.parametrize("fmt", FORMATS)
def test_confidential_request_is_404_like_a_missing_one(api, cases, fmt):
    missing = api.get("requests/RBT-2026-999999-Z", fmt)
    assert missing.status == 404
    for key in ("protected", "against", "theft"):
        a = api.get(f"requests/{cases[key].reference}", fmt)
        assert a.status == 404
        assert a.text == missing.text


def test_no_personal_data_in_any_answer(api, cases, org):
    org.investigator.refresh_from_db()
    secrets = [
        "Fictif",
        "AB123456",
        "0612345678",
        "612345678",
        org.investigator.get_full_name(),
        org.investigator.username,
        org.desk.get_full_name(),
        org.chief.get_full_name(),
        "محمد الخامس",  # the address, shown only to the partner that filed the request
    ]
    bodies = []
    for fmt in FORMATS:
        bodies.append(api.get("requests", fmt).text)
        for case in cases.values():
            bodies.append(api.get(f"requests/{case.reference}", fmt).text)
        bodies.append(api.get("services", fmt).text)
    for body in bodies:
        for secret in secrets:
            assert secret not in body


def test_list_query_count_is_flat(api, cases, make_case, django_assert_max_num_queries):
    for _i in range(4):
        make_case(complainant=ComplainantInput(anonymous=True))
        make_case(category="nuisance", complainant=ComplainantInput(anonymous=True))
    with django_assert_max_num_queries(4):
        a = api.get("requests", "json")
    assert len(a.json) == 7


def test_list_and_detail_query_counts_are_pinned(api, cases, make_case, django_assert_num_queries):
    """Pinned (docs/performance.md): the public list, a page of it and one request. The spec's
    page parameters keep working; each page is one bounded query (a date window, newest first)."""
    for _i in range(6):
        make_case(category="nuisance", complainant=ComplainantInput(anonymous=True))
    with django_assert_num_queries(2):  # the rate counter, the page
        first = api.get("requests", "json", page_size=3)
    with django_assert_num_queries(2):
        second = api.get("requests", "json", page_size=3, page=2)
    assert len(first.json) == 3 and len(second.json) == 3
    assert not {r["service_request_id"] for r in first.json} & {r["service_request_id"] for r in second.json}
    with django_assert_num_queries(2):  # the rate counter, the request
        assert api.get(f"requests/{cases['vehicle'].reference}", "json").status == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id(api, cases, fmt):
    assert api.get("services", fmt, jurisdiction_id="amane").status == 200
    a = api.get("services", fmt, jurisdiction_id="paris.fr")
    assert a.status == 404
    assert a.errors()


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_resource_and_wrong_method(db, api, fmt):
    a = api.get("nothing/here", fmt)
    assert a.status == 404
    assert a.errors()
    b = api.post("services", {}, fmt)
    assert b.status == 405
    assert b.errors()


def test_end_date_alone_looks_back_90_days(api, cases):
    now = timezone.localtime()
    a = api.get("requests", "json", end_date=(now + timedelta(minutes=5)).isoformat())
    assert {r["service_request_id"] for r in a.json} == {cases[k].reference for k in FEED}
    old = api.get("requests", "json", end_date=(now - timedelta(days=1)).isoformat())
    assert old.json == []


def test_unencoded_plus_in_the_offset_is_understood(api, cases):
    now = timezone.localtime()
    start = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    response = api.raw.get(f"/open311/v2/requests.json?start_date={start}+01:00")
    assert response.status_code == 200
    assert len(response.json()) == 3


# The path of each state from "received", as the officers would walk it (FixMyStreet's test that a
# non-public report never leaves by Open311, for every category and every state).
PATHS = {
    "received": [],
    "qualified": [("qualify", {"offence": "theft"})],
    "under_investigation": [("qualify", {"offence": "theft"}), ("investigate", {})],
    "awaiting_complainant": [("qualify", {"offence": "theft"}), ("request_information", {"note": "?"})],
    "referred": [
        ("qualify", {"offence": "theft"}),
        ("refer", {"prosecutor_office": "النيابة العامة بالرباط", "prosecutor_reference": "12/2101/2026"}),
    ],
    "instructions_received": [
        ("qualify", {"offence": "theft"}),
        ("refer", {"prosecutor_office": "النيابة العامة بالرباط", "prosecutor_reference": "13/2101/2026"}),
        ("record_instructions", {"note": "تعليمات"}),
    ],
    "closed": [("close", {"outcome": "withdrawn", "report": CLOSING_REPORT})],
}


def test_only_feed_categories_ever_leave_by_open311_in_any_state(org, make_case, api, settings):
    """GIVEN a complaint of every category in every state WHEN anyone reads the feed, in both formats
    THEN only the categories opted into the public feed appear, with no time finer than the hour and
    no place finer than the H3 cell, and no judicial step; every other one answers 404 by id."""
    from cases.models import Category

    settings.AMANE_OPEN311_RATE_ANONYMOUS = "100000/60"
    expected, hidden = set(), set()
    for category in Category.objects.filter(active=True):
        for state, path in PATHS.items():
            actor = org.inspector if category.sensitivity == "against_officer" else org.chief
            case = make_case(category=category.code, actor=org.desk)
            if any(TRANSITIONS[name].needs_officer for name, _fields in path):
                officer = org.inspector if actor == org.inspector else org.investigator
                case = case_assign(case=case, actor=actor, officer=officer)
            for transition, fields in path:
                if "offence" in fields:
                    fields = {**fields, "offence": qualification(fields["offence"])}
                case = case_transition(case=case, actor=actor, transition=transition, data=TransitionInput(**fields))
            assert case.state == state
            public = category.public_feed and category.sensitivity == "normal"
            (expected if public else hidden).add(case.reference)
    assert expected and hidden
    for fmt in FORMATS:
        a = api.get("requests", fmt, page_size=1000)
        rows = a.rows("service_requests", "request")
        assert {r["service_request_id"] for r in rows} == expected
        for row in rows:
            assert row["requested_datetime"][14:19] == "00:00" and row["updated_datetime"][14:19] == "00:00"
            lat, lon = float(row["lat"]), float(row["long"])
            centre = h3.cell_to_latlng(h3.latlng_to_cell(lat, lon, 9))
            assert (lat, lon) == (round(centre[0], 6), round(centre[1], 6))
            assert row["description"] in ("", None) and row["address"] in ("", None)
            assert row["status_notes"] in (str(_("Closed.")), str(_("Being handled by the police.")))
        assert "النيابة" not in a.text and "2101" not in a.text
        for reference in hidden:
            assert api.get(f"requests/{reference}", fmt).status == 404


def test_reads_are_rate_limited_per_key_and_per_address(db, api, settings, partner):
    """A partner's key has its own budget; readers without a key share one per address; past it,
    429 in the spec's error format with Retry-After."""
    settings.AMANE_OPEN311_RATE_ANONYMOUS = "3/60"
    settings.AMANE_OPEN311_RATE_KEY = "5/60"
    assert [api.get("services", "json").status for _ in range(4)] == [200, 200, 200, 429]
    limited = api.get("services", "xml")
    assert limited.status == 429 and limited.errors() and int(limited.response["Retry-After"]) > 0
    assert [api.get("services", "json", api_key=partner.raw).status for _ in range(6)] == [200] * 5 + [429]
