"""Response-time math and readiness on known numbers, then on incidents built through the services."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from emergency import metrics, services
from emergency.tests.factories import ANFA, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol

T0 = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)


def stamps(received, dispatched=None, en_route=None, on_scene=None, resolved=None):
    """Minutes after T0 → timestamps."""

    def at(m):
        return None if m is None else T0 + timedelta(minutes=m)

    return {
        "received_at": at(received),
        "dispatched_at": at(dispatched),
        "en_route_at": at(en_route),
        "on_scene_at": at(on_scene),
        "resolved_at": at(resolved),
    }


def test_intervals_are_the_standard_ones():
    got = metrics.intervals(stamps(0, 1.5, 2, 9, 40))
    assert got == {
        "call_processing": 90.0,
        "turnout": 30.0,
        "travel": 420.0,
        "response": 540.0,
        "committed": 2310.0,
    }
    partial = metrics.intervals(stamps(0, 2))
    assert partial["call_processing"] == 120.0 and partial["response"] is None and partial["travel"] is None


def test_median_p90_and_share_under_target_on_known_numbers():
    minutes = [4, 6, 8, 10, 12, 30]
    s = metrics.summarize([m * 60 for m in minutes], target_seconds=10 * 60)
    assert s["count"] == 6
    assert s["median_s"] == 9 * 60  # (8 + 10) / 2
    assert s["p90_s"] == pytest.approx(21 * 60)  # rank 4.5: halfway between 12 and 30
    assert s["under_target_share"] == pytest.approx(4 / 6)  # 10 minutes exactly counts as under
    assert metrics.percentile([5], 90) == 5
    assert metrics.percentile(range(1, 11), 90) == pytest.approx(9.1)
    empty = metrics.summarize([], target_seconds=600)
    assert empty == {"count": 0, "median_s": None, "p90_s": None, "target_s": 600, "under_target_share": None}


def test_response_table_per_priority_and_area():
    rows = [
        {"priority": "P1", "area_id": 1, "area_name": "Anfa", **stamps(0, 1, 2, 8)},
        {"priority": "P1", "area_id": 1, "area_name": "Anfa", **stamps(0, 2, 3, 14)},
        {"priority": "P1", "area_id": 2, "area_name": "Hay Mohammadi", **stamps(0, 1, 1, 6)},
        {"priority": "P3", "area_id": 2, "area_name": "Hay Mohammadi", **stamps(0, 10, 12, 40)},
        {"priority": "P3", "area_id": 2, "area_name": "Hay Mohammadi", **stamps(0, 5)},  # never arrived
    ]
    table = metrics.response_table(rows, {"P1": 10, "P2": 20, "P3": 45, "P4": 90})
    p1 = next(b for b in table["by_priority"] if b["priority"] == "P1")
    assert p1["incidents"] == 3
    assert p1["response"]["count"] == 3 and p1["response"]["median_s"] == 8 * 60
    assert p1["response"]["under_target_share"] == pytest.approx(2 / 3)
    assert p1["call_processing"]["median_s"] == 60
    p3 = next(b for b in table["by_priority"] if b["priority"] == "P3")
    assert p3["incidents"] == 2 and p3["response"]["count"] == 1 and p3["response"]["under_target_share"] == 1.0
    assert p3["call_processing"]["count"] == 2
    areas = {a["area_name"]: a for a in table["by_area"]}
    assert areas["Anfa"]["incidents"] == 2 and areas["Anfa"]["response"]["median_s"] == 11 * 60
    hm = areas["Hay Mohammadi"]
    assert [b["priority"] for b in hm["by_priority"]] == ["P1", "P3"]
    assert hm["by_priority"][0]["response"]["under_target_share"] == 1.0


def test_readiness_table_per_shift():
    night = (T0, T0 + timedelta(hours=8))
    day = (T0 + timedelta(hours=8), T0 + timedelta(hours=16))
    rows = [
        {"starts_at": night[0], "ends_at": night[1], "unit_id": 7, "unit_name": "CMD", "signed_on": True},
        {"starts_at": night[0], "ends_at": night[1], "unit_id": 7, "unit_name": "CMD", "signed_on": True},
        {"starts_at": night[0], "ends_at": night[1], "unit_id": 7, "unit_name": "CMD", "signed_on": False},
        {"starts_at": day[0], "ends_at": day[1], "unit_id": 7, "unit_name": "CMD", "signed_on": False},
    ]
    table = metrics.readiness_table(rows)
    assert [(r["planned"], r["on_duty"]) for r in table] == [(3, 2), (1, 0)]
    assert table[0]["share"] == pytest.approx(2 / 3) and table[1]["share"] == 0


@pytest.fixture
def o(org):
    return line19(org)


def test_response_times_and_readiness_from_real_incidents(o):
    p = patrol(o, "CAS-11", MAARIF)
    patrol(o, "CAS-12", ANFA, on_duty=False)
    now = timezone.now()
    services.roster_assign(
        actor=o.cas_dispatcher,
        patrol=p,
        starts_at=now + timedelta(hours=8),
        ends_at=now + timedelta(hours=16),
    )
    c = call(o, PLACE_MOHAMMED_V, answers={"armed": True}, received_at=now - timedelta(minutes=6))
    inc = c.incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="en_route")
    services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="on_scene")
    table = metrics.response_times(o.cas_dispatcher)
    p1 = next(b for b in table["by_priority"] if b["priority"] == "P1")
    assert p1["response"]["count"] == 1
    assert 6 * 60 <= p1["response"]["median_s"] < 7 * 60
    assert p1["response"]["under_target_share"] == 1.0  # 6 minutes < 10
    assert table["by_area"][0]["area_id"] == inc.area_id is not None
    ready = metrics.readiness(o.cas_dispatcher, until=now + timedelta(hours=20))
    assert ready["now"] == {
        "planned": 1,
        "on_duty": 1,
        "share": 1.0,
        "by_status": {"available": 0, "assigned": 0, "en_route": 0, "on_scene": 1, "off_duty": 1},
    }
    assert [(s["planned"], s["on_duty"]) for s in ready["shifts"]] == [(1, 1), (1, 0)]
