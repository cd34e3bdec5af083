"""The line-19 pages through Django's test client: board, its call form and dispatch panel (which
speak to the JSON API with the session, as board.js does), the patrol's phone page and the
response-time panel. Bad input gets a clear translated 4xx and nothing
is written; another wilaya's incident answers 404 like a missing one.
"""

from __future__ import annotations

import json

import pytest

from emergency import services
from emergency.models import Assignment, Call, Incident
from emergency.tests.factories import ANFA, BY_HAND, MAARIF, PLACE_MOHAMMED_V, RABAT_HASSAN, call, line19, patrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    return line19()


def board_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="board-data" type="application/json">') + len(
        '<script id="board-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_board_lists_own_wilaya_open_incidents_in_arabic(client, o):
    mine = call(o, PLACE_MOHAMMED_V)
    other = call(o, RABAT_HASSAN, actor=o.rbt_dispatcher, address="حسان، الرباط")
    p = patrol(o, "CAS-201", MAARIF)
    client.force_login(o.cas_dispatcher)
    response = client.get("/emergency/board/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "تسجيل المكالمة" in html or "Register the call" in html
    data = board_data(response)
    assert [i["id"] for i in data["incidents"]] == [mine.incident_id]
    assert other.incident_id not in [i["id"] for i in data["incidents"]]
    assert [x["call_sign"] for x in data["patrols"]] == [p.call_sign]


def test_board_refuses_other_roles(client, o):
    client.force_login(o.desk)
    assert client.get("/emergency/board/").status_code == 403
    client.logout()
    assert client.get("/emergency/board/").status_code == 302


def test_call_form_registers_with_triage(client, o):
    client.force_login(o.cas_dispatcher)
    response = client.post(
        "/api/emergency/calls",
        {
            "caller_number": "0661234567",
            "language": "ar",
            "category": "violence_in_progress",
            "answers": {"armed": True},
            "address": "ساحة محمد الخامس، الدار البيضاء",
            "latitude": PLACE_MOHAMMED_V[0],
            "longitude": PLACE_MOHAMMED_V[1],
            "description": "شجار بالسلاح الأبيض",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    saved = Call.objects.get(reference=body["reference"])
    assert saved.priority == body["priority"] == "P1"  # P2 raised by "armed: yes"
    assert saved.answers == {"armed": True}
    assert body["incident"]["id"] == saved.incident_id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"latitude": 40.4168, "longitude": -3.7038}, "latitude"),  # Madrid
        ({"latitude": "north"}, "latitude"),
    ],
)
def test_call_form_bad_input_is_a_clear_422_and_nothing_written(client, o, change, field):
    client.force_login(o.cas_dispatcher)
    form = {
        "caller_number": "0661234567",
        "language": "ar",
        "category": "violence_in_progress",
        "address": "الدار البيضاء",
        "latitude": PLACE_MOHAMMED_V[0],
        "longitude": PLACE_MOHAMMED_V[1],
        **change,
    }
    response = client.post("/api/emergency/calls", form, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["message"]
    assert field in body["fields"]
    assert not Call.objects.exists() and not Incident.objects.exists()


def test_dispatch_panel_suggests_nearest_and_records_an_override(client, o):
    near = patrol(o, "CAS-301", ANFA)
    far = patrol(o, "CAS-302", (33.5500, -7.5000))
    c = call(o, MAARIF)
    client.force_login(o.cas_dispatcher)
    url = f"/api/emergency/incidents/{c.incident_id}/dispatch"

    got = client.get(f"/api/emergency/incidents/{c.incident_id}/dispatch-options").json()
    assert [s["call_sign"] for s in got["suggestions"]] == ["CAS-301", "CAS-302"]
    assert got["suggestions"][0]["eta_seconds"] < got["suggestions"][1]["eta_seconds"]

    refused = client.post(url, {"patrol_id": far.pk}, content_type="application/json")  # not first, no reason
    assert refused.status_code == 422 and "override_reason" in refused.json()["fields"]
    assert not Assignment.objects.exists()

    reason = {"patrol_id": far.pk, "override_reason": "CAS-301 يعالج حادثة أخرى بالراديو"}
    done = client.post(url, reason, content_type="application/json")
    assert done.status_code == 200 and done.json()["patrol"]["call_sign"] == "CAS-302"
    a = Assignment.objects.get()
    assert a.patrol == far and not a.was_first_suggestion and a.override_reason.startswith("CAS-301")
    assert near.pk != far.pk


def test_dispatch_panel_of_another_wilaya_is_404(client, o):
    c = call(o, MAARIF)
    client.force_login(o.rbt_dispatcher)
    response = client.get(f"/api/emergency/incidents/{c.incident_id}/dispatch-options")
    assert response.status_code == 404
    missing = client.get("/api/emergency/incidents/999999/dispatch-options")
    assert missing.status_code == 404 and missing.json() == response.json()


def test_patrol_page_shows_mission_and_reports(client, o):
    p = patrol(o, "CAS-401", ANFA, officers=[o.cas_patrol_officer])
    patrol(o, "CAS-402", MAARIF, officers=[o.cas_patrol_officer2])
    c = call(o, MAARIF)
    services.incident_dispatch(incident=c.incident, patrol=p, actor=o.cas_dispatcher, override_reason=BY_HAND)

    client.force_login(o.cas_patrol_officer)
    page = client.get("/emergency/patrol/").content.decode()
    assert c.incident.reference in page and 'data-step="acknowledged"' in page
    client.post("/emergency/patrol/report/", {"incident": c.incident_id, "status": "acknowledged"})
    page = client.get("/emergency/patrol/").content.decode()
    assert 'id="mission-acknowledged"' in page and 'data-step="en_route"' in page

    response = client.post("/emergency/patrol/report/", {"incident": c.incident_id, "status": "en_route"})
    assert response.status_code == 302
    assert Incident.objects.get(pk=c.incident_id).state == "en_route"
    fragment = client.get("/emergency/patrol/?fragment=1").content.decode()
    assert 'data-step="on_scene"' in fragment and "<html" not in fragment


def test_report_from_a_patrol_not_assigned_is_refused_and_nothing_written(client, o):
    p = patrol(o, "CAS-501", ANFA, officers=[o.cas_patrol_officer])
    patrol(o, "CAS-502", MAARIF, officers=[o.cas_patrol_officer2])
    c = call(o, MAARIF)
    services.incident_dispatch(incident=c.incident, patrol=p, actor=o.cas_dispatcher, override_reason=BY_HAND)

    client.force_login(o.cas_patrol_officer2)
    response = client.post(
        "/emergency/patrol/report/", {"incident": c.incident_id, "status": "on_scene"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404  # another patrol's mission is not theirs to see
    assert Incident.objects.get(pk=c.incident_id).state == "dispatched"


def test_panel_shows_response_times_per_priority_and_readiness(client, o):
    p = patrol(o, "CAS-601", ANFA, officers=[o.cas_patrol_officer])
    c = call(o, MAARIF)
    services.incident_dispatch(incident=c.incident, patrol=p, actor=o.cas_dispatcher)
    for step in ("en_route", "on_scene"):
        services.patrol_report(actor=o.cas_patrol_officer, incident=c.incident, status=step)
    client.force_login(o.cas_dispatcher)
    html = client.get("/emergency/panel/").content.decode()
    row = html[html.index(f'data-priority="{c.priority}"') :]
    assert '<td class="incidents">1</td>' in row[: row.index("</tr>")]
    assert 'id="readiness-now"' in html
    fragment = client.get("/emergency/panel/?fragment=1").content.decode()
    assert "<html" not in fragment and 'id="panel-priority"' in fragment
    client.force_login(o.desk)
    assert client.get("/emergency/panel/").status_code == 403


def test_board_queries_do_not_grow_with_incidents(client, o):
    """The board is drawn in a fixed number of queries, whatever the number of incidents (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    patrol(o, "CAS-801", ANFA)
    client.force_login(o.cas_dispatcher)
    places = [(33.5600 + k * 0.01, -7.6500 + k * 0.01) for k in range(6)]
    call(o, places[0])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/emergency/board/").status_code == 200
    for place in places[1:]:
        call(o, place, category="fight")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/emergency/board/")
    assert len(board_data(response)["incidents"]) >= 2
    assert len(many.captured_queries) == len(few.captured_queries)


def test_patrol_signs_on_and_off_from_its_page(client, o):
    p = patrol(o, "CAS-901", ANFA, officers=[o.cas_patrol_officer], on_duty=False)
    client.force_login(o.cas_patrol_officer)
    assert client.post("/emergency/patrol/status/", {"status": "available"}).status_code == 403  # no shift
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    services.roster_assign(
        actor=None,
        patrol=p,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        officers=[o.cas_patrol_officer],
    )
    page = client.get("/emergency/patrol/").content.decode()
    assert 'id="sign-on"' in page
    assert client.post("/emergency/patrol/status/", {"status": "available"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "available"
    refused = client.post("/emergency/patrol/status/", {"status": "on_scene"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and 'id="mission-error"' in refused.content.decode()
    p.refresh_from_db()
    assert p.status == "available"


def test_board_state_is_the_same_scoped_data_as_json(client, o):
    mine = call(o, PLACE_MOHAMMED_V)
    call(o, RABAT_HASSAN, actor=o.rbt_dispatcher, address="حسان، الرباط")
    client.force_login(o.cas_dispatcher)
    body = client.get("/api/emergency/board").json()
    assert [i["id"] for i in body["incidents"]] == [mine.incident_id]
    client.force_login(o.desk)
    refused = client.get("/api/emergency/board")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
