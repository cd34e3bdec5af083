"""What GeoReport v2 partners' clients and validators expect, one test per point, each quoting the
specification (wiki.open311.org/GeoReport_v2 and /Service_Discovery) it checks.
"""

from __future__ import annotations

import pytest

from cases.models import Case
from open311.models import ServiceRequest
from open311.tests.factories import BASE
from open311.tests.test_write import form, written

FORMATS = ["xml", "json"]


def _endpoint_url(answer) -> str:
    if answer.fmt == "xml":
        return answer.xml.find("endpoints").find("endpoint").findtext("url")
    return answer.json["endpoints"][0]["url"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_url_is_the_base_clients_append_to(db, api, fmt):
    """Service Discovery: "endpoints.endpoint.url - String - URL of the endpoint provider", shown as
    `http://open311.mycity.gov/v2`; GeoReport v2: "a GET request to /services.xml" — clients append
    "/services.xml" to that url, so it must not end in a slash."""
    url = _endpoint_url(api.get("discovery", fmt))
    assert url == "http://testserver/open311/v2"
    path = url.removeprefix("http://testserver")
    assert api.raw.get(f"{path}/services.{fmt}").status_code == 200
    # A client that joins with a slash of its own still finds the resource.
    assert api.raw.get(f"{path}//services.{fmt}").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_answers_the_service_request_id_and_not_the_token(api, org, partner, fmt):
    """POST Service Request, response: service_request_id "This should not be returned if token is
    returned"; token "This should not be returned if service_request_id is returned". Our services
    are of type "realtime": "The service request ID will be returned immediately after the service
    request is submitted." The example response is a plain 200 with service_request_id,
    service_notice and account_id."""
    a = api.post("requests", form(partner), fmt)
    assert a.status == 200, a.text
    assert a.fields("service_requests", "request") == [["service_request_id", "service_notice", "account_id"]]
    (row,) = a.rows("service_requests", "request")
    case = Case.objects.get(reference=row["service_request_id"])
    # The token the endpoint still keeps answers with the same id (partners holding older tokens).
    token = ServiceRequest.objects.get(case=case).token
    assert token not in a.text
    assert api.get(f"tokens/{token}", fmt).rows("service_requests", "request")[0]["service_request_id"] == (
        case.reference
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["no_such_service", "domestic_violence", "officer_misconduct"])
def test_post_with_an_unknown_service_code_is_404(api, org, partner, fmt, code):
    """POST Service Request, possible errors: "404 - service_code or jurisdiction_id was not found"
    and "400 - service_code or jurisdiction_id was not provided". A confidential category is not a
    service of this endpoint: the same 404."""
    before = written()
    a = api.post("requests", form(partner, service_code=code), fmt)
    assert a.status == 404, a.text
    assert a.errors()
    assert written() == before
    missing = api.post("requests", form(partner, service_code=None), fmt)
    assert missing.status == 400
    assert written() == before


def test_page_size_defaults_to_1000_and_is_capped_not_refused(api, org, make_case, settings):
    """GET Service Requests, response volume: "Default query limit is a span of 90 days or first 1000
    requests returned, whichever is smallest." A larger page_size is answered with the largest page
    this endpoint gives, not refused."""
    from open311 import conf

    assert conf.get("AMANE_OPEN311_PAGE_SIZE") == 1000
    for _i in range(3):
        make_case(category="nuisance")
    settings.AMANE_OPEN311_PAGE_SIZE_MAX = 2
    a = api.get("requests", "json", page_size=5000)
    assert a.status == 200, a.text
    assert len(a.json) == 2
    settings.AMANE_OPEN311_PAGE_SIZE_MAX = 1000
    assert len(api.get("requests", "json").json) == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_reads_are_open_to_any_origin_and_writes_are_not(api, org, partner, fmt):
    """GET Service List, Service Definition, Service Requests, Service Request, token: "Requires API
    Key: No" — public reads, which browser applications on any origin may make. POST Service
    Request: "Requires API Key: Yes" — a partner's server files, never a page on another origin."""
    origin = {"origin": "https://carte.example.invalid"}
    for path in ("discovery", "services", "services/theft", "requests"):
        answer = api.get(path, fmt, headers=origin)
        assert answer.status == 200
        assert answer.response["Access-Control-Allow-Origin"] == "*"
    preflight = api.raw.options(f"{BASE}requests.{fmt}", headers={**origin, "access-control-request-method": "GET"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "OPTIONS" in preflight["Allow"]
    posted = api.raw.post(f"{BASE}requests.{fmt}", form(partner), headers=origin)
    assert posted.status_code == 200
    assert "Access-Control-Allow-Origin" not in posted


@pytest.mark.parametrize("fmt", FORMATS)
def test_description_is_optional_unless_the_definition_requires_it(api, org, partner, fmt):
    """POST Service Request: the required arguments are jurisdiction_id, service_code, a location
    and "attribute ... only required if the service_code requires a service definition with required
    fields"; description is among the "Optional Arguments"."""
    a = api.post("requests", form(partner, description=None), fmt)
    assert a.status == 200, a.text
    case = Case.objects.get(reference=a.rows("service_requests", "request")[0]["service_request_id"])
    assert case.description  # the officer still reads the category and the answers
    blank = api.post("requests", form(partner, description="   ", **{"attribute[stolen_item]": None}), fmt)
    assert blank.status == 200, blank.text


@pytest.mark.parametrize("code", ["theft", "traffic_accident", "nuisance", "cybercrime", "lost_documents"])
def test_every_attribute_describes_its_datatype(db, api, code):
    """Service definition: datatype_description "A description of the datatype which helps the user
    provide their input" — never an empty element."""
    xml = api.get(f"services/{code}", "xml").xml
    texts = [att.findtext("datatype_description") for att in xml.find("attributes")]
    assert texts and all(t and t.strip() for t in texts)
    for att in api.get(f"services/{code}", "json").json["attributes"]:
        assert att["datatype_description"].strip()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_jurisdiction_id_is_discoverable(db, api, fmt, settings):
    """Definitions, jurisdiction_id: "the unique identifier for cities ... It has been suggested that
    we use the jurisdiction's main website root url"; "Implementations can ignore this parameter and
    treat it as an Optional Argument if the implementation only serves one jurisdiction." A client
    that sends one must be able to learn which: the discovery document names it."""
    settings.AMANE_OPEN311_JURISDICTION = "dgsn.gov.ma"
    discovery = api.get("discovery", fmt)
    assert "jurisdiction_id" in discovery.text and "dgsn.gov.ma" in discovery.text
    assert api.get("services", fmt, jurisdiction_id="dgsn.gov.ma").status == 200
    assert api.get("services", fmt, jurisdiction_id="").status == 200
    assert api.get("services", fmt, jurisdiction_id="paris.fr").status == 404
