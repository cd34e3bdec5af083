"""Access to complaints beyond the generated matrix (amane/tests/test_access_matrix.py): the API's
error shape for anonymous callers, a chief's jurisdiction, and writes by outsiders."""

import pytest
from django.test import Client

from cases.models import Case

ENDPOINTS = [
    ("get", "/api/cases/{ref}"),
    ("get", "/api/cases/{ref}/events"),
    ("post", "/api/cases/{ref}/complainant"),
    ("post", "/api/cases/{ref}/transitions"),
]

# who → attribute of the conftest organisation
USERS = {
    "own_investigator": "investigator",
    "own_chief": "chief",
    "area_chief": "area_chief",
    "wilaya_chief": "wilaya_chief",
    "own_desk": "desk",
    "sibling": "sibling_officer",
    "sibling_chief": "sibling_chief",
    "other_wilaya": "casa_officer",
    "inspector": "inspector",
    "no_role": "norole",
}


def client_for(org, who):
    c = Client()
    c.force_login(getattr(org, USERS[who]))
    return c


def call(client, method, url):
    if method == "get":
        return client.get(url)
    return client.post(url, {"transition": "no_such_action"}, content_type="application/json")


@pytest.mark.parametrize("method,template", [*ENDPOINTS, ("get", "/api/cases")])
def test_anonymous_gets_401_with_error_shape(org, make_case, method, template):
    case = make_case()
    response = call(Client(), method, template.format(ref=case.reference))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_chief_sees_every_unit_below(org, make_case):
    own = make_case()
    sibling = make_case(actor=org.sibling_officer, latitude=33.9965, longitude=-6.8505)
    casa = make_case(actor=org.casa_officer, latitude=33.5830, longitude=-7.6330)
    assert sibling.assigned_unit == org.sibling
    seen = {r["reference"] for r in client_for(org, "area_chief").get("/api/cases").json()["results"]}
    assert seen == {own.reference, sibling.reference}
    seen = {r["reference"] for r in client_for(org, "own_chief").get("/api/cases").json()["results"]}
    assert seen == {own.reference}
    assert Case.objects.filter(reference=casa.reference).exists()


def test_writes_by_outsiders_change_nothing(org, make_case):
    case = make_case()
    r = client_for(org, "sibling_chief").post(
        f"/api/cases/{case.reference}/transitions",
        {"transition": "qualify", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 404
    case.refresh_from_db()
    assert case.state == "received" and case.version == 1
