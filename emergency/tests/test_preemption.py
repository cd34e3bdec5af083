"""Issue 11, line 19 item 2: dispatch when patrols are short.

With every patrol busy the dispatcher could not take one off a lower-priority incident for a waiting
P1; the only suggestion was 12 km away, 34 minutes against a 20-minute target, with no warning; an
assignment nobody acknowledged for over 4 minutes raised no alarm. Now: pre-emption with a reason
(the incident left goes back to the top of the waiting list), warnings when the best arrival
estimate exceeds the target and when a P1 waits, an alarm past AMANE_DISPATCH_ACK_SECONDS, and a
distinct "acknowledged" step for the patrol.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from core.errors import Conflict, ValidationFailed
from emergency import selectors, services
from emergency.models import Assignment, Incident
from emergency.tests.factories import ANFA, HAY_MOHAMMADI, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol


@pytest.fixture
def o(org):
    return line19(org)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def busy_room(o):
    """One patrol, on a P3 noise complaint at Hay Mohammadi; an older P3 waits already."""
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    half_hour_ago = timezone.now() - timedelta(minutes=30)
    older = call(o, ANFA, category="noise", answers={"threats": True}, received_at=half_hour_ago)
    p3 = call(o, HAY_MOHAMMADI, category="noise", answers={"threats": True}).incident
    assert p3.priority == "P3" and older.incident.priority == "P3"
    services.incident_dispatch(incident=p3, patrol=p, actor=o.cas_dispatcher)
    services.patrol_report(actor=o.cas_patrol_officer, incident=p3, status="en_route")
    p1 = call(o, PLACE_MOHAMMED_V, answers={"armed": True}).incident
    assert p1.priority == "P1"
    return p, p3, p1, older.incident


def test_the_dispatcher_takes_a_patrol_off_a_p3_for_a_p1(o):
    """GIVEN every patrol busy, the only one on a P3
    WHEN a P1 arrives
    THEN the P3's patrol is offered; taking it (with a reason) sends it to the P1 and puts the P3
    back on the waiting list, first among the P3s, with the reason; both acts are audited."""
    p, p3, p1, older = busy_room(o)
    assert services.dispatch_suggestions(incident=p1) == []
    [option] = services.preemption_options(incident=p1)
    assert option.patrol == p and option.incident == p3 and option.eta_seconds
    services.incident_preempt(incident=p1, patrol=p, actor=o.cas_dispatcher, reason="P1 سلاح أبيض")
    p1, p3, p = fresh(p1), fresh(p3), fresh(p)
    assert p1.state == "dispatched" and p1.patrol == p and p.status == "assigned" and p.current_incident == p1
    assert p3.state == "triaged" and p3.patrol is None and p3.en_route_at is None and p3.requeued_at is not None
    assert p3.requeue_note == "P1 سلاح أبيض"
    assert set(p3.calls.values_list("state", flat=True)) == {"triaged"}
    ended = Assignment.objects.get(incident=p3)
    assert ended.end_reason == "preempted" and not ended.active and ended.end_note == "P1 سلاح أبيض"
    waiting = [i for i in selectors.open_incidents(o.cas_dispatcher) if i.state == "triaged"]
    assert [i.pk for i in waiting] == [p3.pk, older.pk]  # back at the top of the waiting list
    assert AuditRecord.objects.get(action="incident.preempt").after["for"] == p1.reference


def test_preemption_needs_a_reason_and_a_less_urgent_mission(o):
    p, p3, p1, _older = busy_room(o)
    with pytest.raises(ValidationFailed):
        services.incident_preempt(incident=p1, patrol=p, actor=o.cas_dispatcher, reason="  ")
    other_p3 = call(o, ANFA, category="noise", answers={"threats": True}).incident
    with pytest.raises(Conflict):  # a P3 cannot take a patrol off another P3
        services.incident_preempt(incident=other_p3, patrol=p, actor=o.cas_dispatcher, reason="x")
    assert services.preemption_options(incident=other_p3) == []
    assert fresh(p3).patrol == p and fresh(p1).state == "triaged"


def test_warnings_when_the_best_arrival_exceeds_the_target_and_a_p1_waits(o):
    # Only a patrol near Ain Harrouda, ~12 km east of Place Mohammed V: 34 min against the P2's 20.
    far = patrol(o, "CAS-90", (33.5928, -7.4896))
    p2 = call(o, PLACE_MOHAMMED_V).incident
    assert p2.priority == "P2"
    suggestions = services.dispatch_suggestions(incident=p2)
    assert suggestions[0].patrol == far and suggestions[0].eta_seconds > 20 * 60
    codes = [w["code"] for w in services.dispatch_warnings(incident=p2, suggestions=suggestions)]
    assert codes == ["eta_over_target"]
    near = patrol(o, "CAS-12", MAARIF)
    near_ok = services.dispatch_suggestions(incident=p2)
    assert near_ok[0].patrol == near
    assert services.dispatch_warnings(incident=p2, suggestions=near_ok) == []
    p1 = call(o, ANFA, answers={"armed": True}).incident
    codes = [w["code"] for w in services.dispatch_warnings(incident=p1, suggestions=near_ok)]
    assert codes == ["p1_waiting"]
    alerts = selectors.board_alerts(o.cas_dispatcher)
    assert [(a["kind"], a["reference"]) for a in alerts] == [("p1_waiting", p1.reference)]


def test_an_unacknowledged_assignment_raises_the_alarm_until_acknowledged(o, settings, monkeypatch):
    monkeypatch.setenv("AMANE_DISPATCH_ACK_SECONDS", "120")
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    inc = call(o, PLACE_MOHAMMED_V, received_at=timezone.now() - timedelta(minutes=6)).incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher, at=timezone.now() - timedelta(minutes=4))
    snap = selectors.incident_snapshot(fresh(inc))
    assert snap["ack_due_at"] is not None and snap["acknowledged_at"] is None
    [alert] = selectors.board_alerts(o.cas_dispatcher)
    assert alert["kind"] == "unacknowledged" and alert["patrol"] == "CAS-11"
    assert selectors.board_alerts(o.cas_dispatcher, at=timezone.now() - timedelta(minutes=3)) == []  # not yet due
    services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="acknowledged")
    inc = fresh(inc)
    assert inc.state == "dispatched" and inc.acknowledged_at is not None
    assert Assignment.objects.get(incident=inc).acknowledged_at == inc.acknowledged_at
    assert selectors.board_alerts(o.cas_dispatcher) == []
    assert selectors.incident_snapshot(inc)["ack_due_at"] is None
    assert AuditRecord.objects.filter(action="incident.acknowledge", object_id=str(inc.pk)).exists()


def test_leaving_without_acknowledging_counts_as_acknowledged(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    inc = call(o, PLACE_MOHAMMED_V).incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="en_route")
    assert fresh(inc).acknowledged_at is not None
    with pytest.raises(Conflict):
        services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="acknowledged")


def test_the_patrol_page_shows_acknowledged_as_its_own_state(client, o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    inc = call(o, PLACE_MOHAMMED_V).incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    client.force_login(o.cas_patrol_officer)
    page = client.get("/emergency/patrol/").content.decode()
    assert 'data-step="acknowledged"' in page and 'id="mission-acknowledged"' not in page
    response = client.post("/emergency/patrol/report/", {"incident": inc.pk, "status": "acknowledged"})
    assert response.status_code == 302
    page = client.get("/emergency/patrol/").content.decode()
    assert 'id="mission-acknowledged"' in page and 'data-step="en_route"' in page
    assert Incident.objects.get(pk=inc.pk).state == "dispatched"
