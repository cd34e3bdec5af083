"""Generated access tests: every complaint endpoint for every kind of user (NetBox style).

A user outside the jurisdiction gets the same 404 as for a reference that does not exist, and the
list neither shows the case nor counts it.
"""

import pytest
from django.test import Client

from cases.models import Case

ENDPOINTS = [
    ("get", "/api/cases/{ref}"),
    ("get", "/api/cases/{ref}/events"),
    ("get", "/api/cases/{ref}/complainant"),
    ("post", "/api/cases/{ref}/transitions"),
]

NORMAL = {
    "own_investigator": True,
    "own_chief": True,
    "area_chief": True,
    "wilaya_chief": True,
    "own_desk": True,
    "sibling": False,
    "sibling_chief": False,
    "other_wilaya": False,
    "inspector": False,
    "no_role": False,
}
PROTECTED = {**NORMAL, "own_investigator": False, "own_desk": True}  # desk registered it
AGAINST_OFFICER = dict.fromkeys(NORMAL, False) | {"inspector": True}

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


@pytest.mark.parametrize(
    "category,matrix", [("theft", NORMAL), ("domestic_violence", PROTECTED), ("officer_misconduct", AGAINST_OFFICER)]
)
@pytest.mark.parametrize("who", list(USERS))
def test_case_endpoints_by_jurisdiction(org, make_case, category, matrix, who):
    case = make_case(category=category)
    client = client_for(org, who)
    allowed = matrix[who]
    for method, template in ENDPOINTS:
        response = call(client, method, template.format(ref=case.reference))
        if allowed:
            # Visible: reads answer 200; the bogus transition is refused for its own reason, not 404.
            assert response.status_code in (200, 422), (who, template, response.content)
        else:
            assert response.status_code == 404, (who, template, response.status_code)
            body = response.json()
            assert body["code"] == "not_found"
            assert case.reference not in response.content.decode()
            assert body == call(client, method, template.format(ref="RBT-2026-999999-X")).json()
    listing = client.get("/api/cases").json()
    refs = [r["reference"] for r in listing["results"]]
    assert (case.reference in refs) is allowed
    assert listing["count"] == (1 if allowed else 0)


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
