"""The line-19 API: jurisdiction on every endpoint (404 alike), bad input (4xx, nothing written),
the complaint opened from a call, the metrics endpoints."""

import re

import pytest
from django.test import Client

from audit.models import AuditRecord
from cases.models import Case
from emergency import services
from emergency.models import Assignment, Call, Incident, Patrol
from emergency.tests.factories import ANFA, MAARIF, PLACE_MOHAMMED_V, RABAT_HASSAN, call, line19, patrol

ARABIC = re.compile(r"[\u0600-\u06FF]")

VALID = {
    "caller_number": "0661234567",
    "language": "ar",
    "category": "violence_in_progress",
    "answers": {"armed": True},
    "description": "شخص يهدد المارة بسكين",
    "address": "ساحة محمد الخامس، الدار البيضاء",
    "latitude": PLACE_MOHAMMED_V[0],
    "longitude": PLACE_MOHAMMED_V[1],
}


@pytest.fixture
def o(org):
    return line19(org)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def counts():
    return (
        Call.objects.count(),
        Incident.objects.count(),
        Assignment.objects.count(),
        AuditRecord.objects.count(),
        Case.objects.count(),
    )


def test_create_call_then_dispatch_report_close_through_the_api(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    patrol(o, "CAS-12", ANFA)
    d = client_for(o.cas_dispatcher)
    r = d.post("/api/emergency/calls", VALID, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["priority"] == "P1" and body["incident"]["state"] == "triaged"
    inc_id = body["incident_id"]
    listed = d.get("/api/emergency/incidents").json()
    assert [i["id"] for i in listed] == [inc_id]
    sugg = d.get(f"/api/emergency/incidents/{inc_id}/suggestions").json()
    assert sugg[0]["patrol"]["call_sign"] == "CAS-11" and sugg[0]["eta_seconds"] > 0
    r = d.post(f"/api/emergency/incidents/{inc_id}/dispatch", {"patrol_id": p.pk}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["was_first_suggestion"] is True
    patrol_client = client_for(o.cas_patrol_officer)
    for status in ("en_route", "on_scene", "resolved"):
        r = patrol_client.post(
            f"/api/emergency/incidents/{inc_id}/report",
            {"status": status, "outcome": "handled"},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        assert r.json()["state"] == status
    r = d.post(f"/api/emergency/incidents/{inc_id}/close")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    detail = d.get(f"/api/emergency/incidents/{inc_id}").json()
    assert detail["calls"][0]["state"] == "closed"
    assert detail["intervals"]["response"] is not None and detail["intervals"]["response"] >= 0
    rt = d.get("/api/emergency/metrics/response-times").json()
    assert next(b for b in rt["by_priority"] if b["priority"] == "P1")["response"]["count"] == 1
    ready = d.get("/api/emergency/metrics/readiness").json()
    assert ready["now"]["planned"] == 2 and ready["now"]["on_duty"] == 2


@pytest.mark.parametrize(
    "change,field",
    [
        ({"category": "alien_invasion"}, "category"),
        ({"latitude": 48.8566, "longitude": 2.3522}, "latitude"),  # Paris
        ({"latitude": 36.75, "longitude": 3.06}, "latitude"),  # Algiers
        ({"latitude": 33.59, "longitude": None}, "latitude"),
        ({"answers": {"is_it_a_ufo": True}}, "answers"),
        ({"language": "xx"}, "language"),
        ({"caller_number": "12"}, "caller_number"),
        ({"address": "", "latitude": None, "longitude": None}, "address"),
    ],
)
def test_bad_call_input_is_a_translated_422_and_writes_nothing(o, change, field):
    d = client_for(o.cas_dispatcher)
    before = counts()
    r = d.post("/api/emergency/calls", {**VALID, **change}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ar")
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["code"] == "validation_error" and field in body["fields"]
    assert ARABIC.search(body["message"])
    assert counts() == before


def test_a_report_from_a_patrol_not_assigned_is_404_and_writes_nothing(o):
    mine = patrol(o, "CAS-11", MAARIF)
    patrol(o, "CAS-12", ANFA, officers=[o.cas_patrol_officer2])
    inc = call(o, PLACE_MOHAMMED_V).incident
    services.incident_dispatch(incident=inc, patrol=mine, actor=o.cas_dispatcher)
    before = counts()
    r = client_for(o.cas_patrol_officer2).post(
        f"/api/emergency/incidents/{inc.pk}/report", {"status": "on_scene"}, content_type="application/json"
    )
    # Need to know: a patrol sees its own mission only, so another patrol's incident is "not found".
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert counts() == before
    inc.refresh_from_db()
    assert inc.state == "dispatched" and inc.on_scene_at is None


def test_impossible_steps_through_the_api_are_409_and_write_nothing(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    off = patrol(o, "CAS-12", ANFA, on_duty=False)
    inc = call(o, PLACE_MOHAMMED_V).incident
    d = client_for(o.cas_dispatcher)
    before = counts()
    r = d.post(f"/api/emergency/incidents/{inc.pk}/dispatch", {"patrol_id": off.pk}, content_type="application/json")
    assert r.status_code == 409
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    before = counts()
    r = client_for(o.cas_patrol_officer).post(
        f"/api/emergency/incidents/{inc.pk}/report", {"status": "on_scene"}, content_type="application/json"
    )
    assert r.status_code == 409
    r = d.post(f"/api/emergency/incidents/{inc.pk}/report", {"status": "teleport"}, content_type="application/json")
    assert r.status_code == 422
    assert counts() == before


def test_a_wilaya_dispatcher_never_sees_another_wilayas_records(o):
    cas_patrol = patrol(o, "CAS-11", MAARIF)
    rbt_patrol = patrol(o, "RBT-11", RABAT_HASSAN, room=o.rbt_room)
    cas_call = call(o, PLACE_MOHAMMED_V)
    rbt_call = call(o, RABAT_HASSAN, actor=o.rbt_dispatcher, address="شارع محمد الخامس، الرباط")
    rbt = client_for(o.rbt_dispatcher)
    cid = cas_call.incident_id
    # Lists: only their own.
    assert [i["id"] for i in rbt.get("/api/emergency/incidents").json()] == [rbt_call.incident_id]
    assert [i["id"] for i in rbt.get("/api/emergency/incidents", {"all": True}).json()] == [rbt_call.incident_id]
    assert [c["id"] for c in rbt.get("/api/emergency/calls").json()] == [rbt_call.pk]
    assert [p["call_sign"] for p in rbt.get("/api/emergency/patrols").json()] == ["RBT-11"]
    # One-object endpoints: the same 404 as a missing id.
    missing = 999_999
    before = counts()
    for target in (cid, missing):
        assert rbt.get(f"/api/emergency/incidents/{target}").status_code == 404
        assert rbt.get(f"/api/emergency/incidents/{target}/suggestions").status_code == 404
        for path, body in (
            ("dispatch", {"patrol_id": rbt_patrol.pk}),
            ("report", {"status": "en_route"}),
            ("close", {}),
        ):
            r = rbt.post(f"/api/emergency/incidents/{target}/{path}", body, content_type="application/json")
            assert r.status_code == 404, (path, r.content)
            assert r.json()["code"] == "not_found"
    for target in (cas_call.pk, missing):
        r = rbt.post(f"/api/emergency/calls/{target}/complaint", {}, content_type="application/json")
        assert r.status_code == 404
        r = rbt.post(f"/api/emergency/calls/{target}/close", {"outcome": "duplicate"}, content_type="application/json")
        assert r.status_code == 404
    # Dispatching their own incident with another wilaya's patrol: refused.
    r = rbt.post(
        f"/api/emergency/incidents/{rbt_call.incident_id}/dispatch",
        {"patrol_id": cas_patrol.pk},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert counts() == before
    # Metrics are scoped too.
    services.incident_dispatch(incident=cas_call.incident, patrol=cas_patrol, actor=o.cas_dispatcher)
    rt = rbt.get("/api/emergency/metrics/response-times").json()
    assert sum(b["incidents"] for b in rt["by_priority"]) == 0
    assert rbt.get("/api/emergency/metrics/readiness").json()["now"]["planned"] == 1


def test_chiefs_see_their_subtree_and_other_roles_nothing(o):
    cas_inc = call(o, PLACE_MOHAMMED_V).incident
    rbt_inc = call(o, RABAT_HASSAN, actor=o.rbt_dispatcher).incident
    ids = lambda u: {i["id"] for i in client_for(u).get("/api/emergency/incidents").json()}  # noqa: E731
    assert ids(o.wilaya_chief) == {rbt_inc.pk}
    assert ids(o.casa_officer) == {cas_inc.pk}  # chief of the Maârif district, where the incident lies
    assert ids(o.desk) == set()  # front-desk officers do not read line 19
    assert Client().get("/api/emergency/incidents").status_code == 401


def test_stream_scope_per_user(o):
    from emergency.selectors import emergency_wilaya_ids

    assert emergency_wilaya_ids(o.cas_dispatcher) == {o.wilaya2.pk}
    assert emergency_wilaya_ids(o.cas_patrol_officer) == set()  # a patrol follows its own mission only
    assert emergency_wilaya_ids(o.wilaya_chief) == {o.wilaya.pk}
    assert emergency_wilaya_ids(o.area_chief) == set()  # below a wilaya: the lists, not the stream
    assert emergency_wilaya_ids(o.desk) == set()


def test_complaint_opened_from_a_call_is_linked_both_ways(o):
    c = call(o, PLACE_MOHAMMED_V, category="domestic_violence", description="زوج يعنف زوجته")
    d = client_for(o.cas_dispatcher)
    r = d.post(
        f"/api/emergency/calls/{c.pk}/complaint", {"caller_name": "Fictif Témoin"}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get(reference=r.json()["case_reference"])
    c.refresh_from_db()
    assert c.case == case and case.external_reference == c.reference
    assert case.channel == "line19" and case.category.code == "domestic_violence"
    assert Incident.objects.get(pk=c.incident_id).case == case
    detail = d.get(f"/api/emergency/incidents/{c.incident_id}").json()
    assert detail["case_reference"] == case.reference and detail["calls"][0]["case_reference"] == case.reference
    before = counts()
    again = d.post(f"/api/emergency/calls/{c.pk}/complaint", {}, content_type="application/json")
    assert again.status_code == 409
    assert counts() == before


def test_a_complaint_needs_a_category_when_the_call_has_none(o):
    c = call(o, PLACE_MOHAMMED_V, category="suspicious_person")
    before = counts()
    r = client_for(o.cas_dispatcher).post(f"/api/emergency/calls/{c.pk}/complaint", {}, content_type="application/json")
    assert r.status_code == 422 and "case_category" in r.json()["fields"]
    assert counts() == before


def test_list_queries_do_not_grow_with_rows(o, django_assert_max_num_queries):
    for i in range(6):
        patrol(o, f"CAS-{20 + i}", (MAARIF[0], MAARIF[1] + i * 0.01))
        call(o, (PLACE_MOHAMMED_V[0] - i * 0.01, PLACE_MOHAMMED_V[1] + i * 0.01), category="noise")
    d = client_for(o.cas_dispatcher)
    d.get("/api/emergency/incidents")  # warm the session
    with django_assert_max_num_queries(8):
        assert len(d.get("/api/emergency/incidents").json()) == 6
    with django_assert_max_num_queries(8):
        assert len(d.get("/api/emergency/calls").json()) == 6
    with django_assert_max_num_queries(8):
        assert len(d.get("/api/emergency/patrols").json()) == 6
    assert Patrol.objects.count() == 6


def test_the_api_refuses_an_override_without_a_reason_like_the_board(o):
    """GIVEN two patrols, the nearer one suggested first
    WHEN a dispatcher sends the farther one through the API without a reason
    THEN 422 naming override_reason and nothing is written; with a reason it is recorded."""
    patrol(o, "CAS-11", ANFA)
    far = patrol(o, "CAS-12", (33.5500, -7.5000))
    inc_id = call(o, MAARIF).incident_id
    d = client_for(o.cas_dispatcher)
    before = counts()
    url = f"/api/emergency/incidents/{inc_id}/dispatch"
    refused = d.post(url, {"patrol_id": far.pk}, content_type="application/json")
    assert refused.status_code == 422 and "override_reason" in refused.json()["fields"]
    assert ARABIC.search(refused.json()["message"])
    assert counts() == before
    done = d.post(url, {"patrol_id": far.pk, "override_reason": "CAS-11 عطب"}, content_type="application/json")
    assert done.status_code == 200 and not done.json()["was_first_suggestion"]
    assert Assignment.objects.get().override_reason == "CAS-11 عطب"


# ---------------------------------------------------------------- grouping, pre-emption, callers (issue 11)


def test_grouping_endpoints_merge_keep_apart_and_split(o):
    d = client_for(o.cas_dispatcher)
    first = d.post("/api/emergency/calls", {**VALID, "category": "fight"}, content_type="application/json").json()
    near = {**VALID, "category": "street_robbery", "latitude": PLACE_MOHAMMED_V[0] + 0.0007}
    second = d.post("/api/emergency/calls", near, content_type="application/json").json()
    proposal = second["incident"]["proposal"]
    assert proposal["incident_id"] == first["incident_id"] and proposal["category"] == "fight"
    r = d.post(f"/api/emergency/incidents/{second['incident_id']}/keep-apart", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["proposal"] is None
    again = d.post(f"/api/emergency/incidents/{second['incident_id']}/keep-apart", {}, content_type="application/json")
    assert again.status_code == 409 and ARABIC.search(again.json()["message"])
    url = f"/api/emergency/incidents/{second['incident_id']}/merge"
    assert d.post(url, {"into_id": 999999}, content_type="application/json").status_code == 422
    r = d.post(url, {"into_id": first["incident_id"]}, content_type="application/json")
    assert r.status_code == 200 and r.json()["call_count"] == 2
    assert {c["reference"] for c in r.json()["calls"]} == {first["reference"], second["reference"]}
    r = d.post(f"/api/emergency/calls/{second['id']}/split", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "triaged" and r.json()["id"] != first["incident_id"]
    # Another wilaya's room: 404 alike.
    rbt = client_for(o.rbt_dispatcher)
    assert rbt.post(url, {"into_id": first["incident_id"]}, content_type="application/json").status_code == 404


def test_callers_and_number_search_are_posts_for_the_room_only(o):
    c = call(o, PLACE_MOHAMMED_V, caller_number="0662223344")
    d = client_for(o.cas_dispatcher)
    r = d.post(f"/api/emergency/incidents/{c.incident_id}/callers", {}, content_type="application/json")
    assert r.status_code == 200 and r.json() == [{"call_id": c.pk, "reference": c.reference, "number": "+212662223344"}]
    r = d.post("/api/emergency/calls/search", {"number": "0662223344"}, content_type="application/json")
    assert r.status_code == 200 and [x["reference"] for x in r.json()] == [c.reference]
    assert "0662223344" not in str(r.json()) and "+212662223344" not in str(r.json())
    bad = d.post("/api/emergency/calls/search", {"number": "12"}, content_type="application/json")
    assert bad.status_code == 422 and ARABIC.search(bad.json()["message"])
    assert (
        client_for(o.cas_patrol_officer)
        .post("/api/emergency/calls/search", {"number": "0662223344"}, content_type="application/json")
        .status_code
        == 403
    )
    board = d.get("/api/emergency/board").json()
    assert "662223344" not in str(board) and board["incidents"][0]["calls"][0]["reference"] == c.reference


def test_dispatch_options_offer_preemption_and_warn_then_preempt(o):
    p = patrol(o, "CAS-11", MAARIF)
    p3 = call(o, ANFA, category="noise", answers={"threats": True}).incident
    services.incident_dispatch(incident=p3, patrol=p, actor=o.cas_dispatcher)
    p1 = call(o, PLACE_MOHAMMED_V, answers={"armed": True}).incident
    d = client_for(o.cas_dispatcher)
    options = d.get(f"/api/emergency/incidents/{p1.pk}/dispatch-options").json()
    assert [w["code"] for w in options["warnings"]] == ["p1_waiting", "no_patrol"]
    assert [(x["call_sign"], x["incident_reference"]) for x in options["preemptible"]] == [("CAS-11", p3.reference)]
    before = counts()
    url = f"/api/emergency/incidents/{p1.pk}/preempt"
    r = d.post(url, {"patrol_id": p.pk, "reason": ""}, content_type="application/json")
    assert r.status_code == 422 and "reason" in r.json()["fields"] and counts() == before
    r = d.post(url, {"patrol_id": p.pk, "reason": "P1 مسلح"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["incident"]["patrol"] == "CAS-11"
    listed = d.get("/api/emergency/incidents").json()
    requeued = next(i for i in listed if i["id"] == p3.pk)
    assert requeued["state"] == "triaged" and requeued["requeue_note"] == "P1 مسلح" and requeued["requeued_at"]
