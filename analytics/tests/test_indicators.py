"""Indicators against hand-computed fixtures: pauses, reopenings, transfers, escalations, line-19
intervals, readiness and the survey; the incremental refresh equals a rebuild from the records."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.test import override_settings

from analytics import rollups
from analytics.models import ComplaintDay, ResponseDay
from analytics.periods import Period
from analytics.selectors import indicator_table, records_behind, sums_for
from cases.services import TransitionInput, case_transition, deadlines_sweep
from cases.tests.factories import required_fields
from emergency import services as emergency
from emergency.tests.factories import ANFA, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from portal.services import survey_answer

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Casablanca
MARCH = Period(2026, 3)
H = 3600
D = 86400


class Clock:
    def __init__(self):
        self.now = T0

    def at(self, **kw):
        self.now = T0 + timedelta(**kw)


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


def move(case, actor, name, **fields):
    fields = {**required_fields(name), **fields}
    return case_transition(
        case=case, actor=actor, transition=name, version=case.version, data=TransitionInput(**fields)
    )


def figures(user, unit, period=MARCH):
    return {f.indicator.code: f for f in indicator_table(user, unit, period)}


@pytest.fixture
def history(org, make_case, clock):
    """Five complaints in March 2026 (theft: 24 h to first action, 30 days; lost documents: 7 days).

    A  theft, district: first action after 6 h; waits 10 days on the complainant; closed after
       4 working days (1 before the pause, 3 after) — within the deadline.
    B  theft, district: first action after 48 h (late); closed on day 3, reopened on day 4 by the
       chief, closed again on day 18 — 3 + 14 = 17 working days, counted once, on day 18.
    C  theft, registered at the district, transferred to the sibling on day 1, first acted on there
       after 26 h (late): it counts for the sibling only.
    D  theft, district: nobody acts; the sweep on day 1 escalates it once (level 1 after 0 h), and B,
       not acted on yet, with it.
    E  lost documents, district: first action after 1 h, closed after 10 days (7 allowed): late.
    """
    clock.at()
    rollups.refresh()  # the first pass (a rebuild of nothing): every later pass is incremental
    a = make_case()
    clock.at(hours=1)
    b = make_case()
    clock.at(hours=2)
    c = make_case()
    clock.at(hours=3)
    d = make_case()
    clock.at(hours=4)
    e = make_case(category="lost_documents")
    clock.at(hours=5)
    e = move(e, org.investigator, "qualify")
    clock.at(hours=6)
    a = move(a, org.investigator, "qualify")
    a = move(a, org.investigator, "investigate")
    clock.at(days=1)
    a = move(a, org.investigator, "request_information", note="نسخة من عقد الكراء")
    clock.at(days=1, hours=2)
    c = move(c, org.chief, "transfer", unit=org.sibling, note="الاختصاص الترابي")
    clock.at(days=1, hours=4)
    c = move(c, org.sibling_officer, "qualify")
    clock.at(days=1, hours=4, minutes=1)
    with override_settings(ESCALATION_DELAYS_HOURS=[0, 24, 72]):
        deadlines_sweep()  # D missed its 24 h at day 1 03:00 → level 1
    rollups.refresh()  # an early pass: what follows must move slices it already wrote
    clock.at(days=2, hours=1)
    b = move(b, org.investigator, "qualify")
    clock.at(days=3, hours=1)
    b = move(b, org.investigator, "close", outcome="unfounded")
    rollups.refresh()
    clock.at(days=4, hours=1)
    b = move(b, org.chief, "reopen", note="عناصر جديدة")
    clock.at(days=10, hours=4)
    e = move(e, org.investigator, "close", outcome="withdrawn")
    clock.at(days=11)
    a = move(a, org.investigator, "information_received")
    clock.at(days=14)
    a = move(a, org.investigator, "close", outcome="unfounded")
    clock.at(days=18, hours=1)
    b = move(b, org.investigator, "close", outcome="unfounded")
    clock.at(days=19)
    rollups.refresh()
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_complaint_indicators_of_the_district(org, history):
    f = figures(org.chief, org.district)
    assert f["received"].value == 4  # A, B, D, E (C went to the sibling)
    assert f["first_action_hours"].value == pytest.approx((6 + 48 + 1) / 3)
    assert f["first_action_late_share"].value == pytest.approx(1 / 3)  # B
    assert f["closed"].value == 3  # A, B (once), E
    assert f["closure_days"].value == pytest.approx((4 + 17 + 10) / 3)
    assert f["within_deadline_share"].value == pytest.approx(2 / 3)  # E is late
    assert f["reopened"].value == 1
    assert f["escalations"].value == 2  # B and D, by the sweep of day 1
    assert f["transferred_in"].value == 0
    # Now: D is open, overdue and escalated.
    assert (f["open"].value, f["overdue"].value, f["escalated_now"].value) == (1, 1, 1)
    # Previous period and last year are empty, not zero-divided.
    assert f["received"].previous == 0 and f["within_deadline_share"].previous is None
    assert f["received"].last_year == 0


def test_transfer_moves_the_complaint_to_the_receiving_unit(org, history):
    f = figures(org.sibling_chief, org.sibling)
    assert f["received"].value == 1 and f["transferred_in"].value == 1
    assert f["first_action_hours"].value == pytest.approx(26)
    assert f["first_action_late_share"].value == 1
    area = figures(org.area_chief, org.area)
    assert area["received"].value == 5
    assert area["first_action_hours"].value == pytest.approx((6 + 48 + 1 + 26) / 4)


def test_reopened_closure_leaves_its_first_day(org, history):
    """The first closure of B (day 3) was in the rollup after the second pass; the reopening took it
    out again, so only the final closure (day 18) counts."""
    days = dict(
        ComplaintDay.objects.filter(unit=org.district, closed__gt=0).values_list("day", "closed").order_by("day")
    )
    assert sum(days.values()) == 3
    assert datetime(2026, 3, 5).date() not in days  # day 3 = March 5
    assert days[datetime(2026, 3, 20).date()] == 1  # day 18


def test_incremental_refresh_equals_rebuild(org, history):
    def snapshot():
        fields = [f.name for f in ComplaintDay._meta.fields if f.name != "id"]
        return sorted(tuple(r[f] for f in fields) for r in ComplaintDay.objects.values(*fields))

    kept = snapshot()
    rollups.rebuild()
    assert snapshot() == kept


def test_records_behind_a_figure(org, history):
    late = records_behind(org.chief, org.district, "closed_late", MARCH)
    assert [c.reference for c in late] == [history["e"].reference]
    overdue = records_behind(org.chief, org.district, "overdue", MARCH)
    assert [c.reference for c in overdue] == [history["d"].reference]


def test_analyst_counts_only_normal_complaints(org, make_case, clock):
    clock.at()
    make_case()
    make_case(category="domestic_violence")
    rollups.refresh()
    analyst = user_create(actor=None, username="analyst.x", password=PASSWORD, unit=org.district, roles=[Role.ANALYST])
    assert figures(analyst, org.district)["received"].value == 1
    assert figures(org.chief, org.district)["received"].value == 2
    assert "against_officer_received" not in figures(org.chief, org.district)


# ---------------------------------------------------------------- line 19, readiness, survey


@pytest.fixture
def calls(org, clock):
    """Three P1 incidents in Casablanca: dispatched after 1 min, en route 1 min later, on scene after
    6, 8 and 25 minutes (target 10 min); a fourth patrol is rostered but never signs on."""
    o = line19(org)
    clock.at()
    patrols = [patrol(o, f"CAS-{i}", p) for i, p in enumerate((MAARIF, ANFA, PLACE_MOHAMMED_V))]
    idle = patrol(o, "CAS-9", ANFA, on_duty=False)
    emergency.roster_assign(actor=None, patrol=idle, starts_at=T0, ends_at=T0 + timedelta(hours=8))
    for i, (p, on_scene) in enumerate(zip(patrols, (6, 8, 25), strict=True)):
        start = timedelta(hours=1, minutes=30 * i)
        clock.now = T0 + start
        inc = call(o, PLACE_MOHAMMED_V, answers={"armed": True}, received_at=clock.now).incident
        clock.now = T0 + start + timedelta(minutes=1)
        emergency.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher, override_reason="الأقرب")
        clock.now = T0 + start + timedelta(minutes=2)
        emergency.patrol_report(actor=o.cas_dispatcher, incident=inc, status="en_route")
        clock.now = T0 + start + timedelta(minutes=on_scene)
        emergency.patrol_report(actor=o.cas_dispatcher, incident=inc, status="on_scene")
    clock.at(hours=4)
    rollups.refresh()
    return o


def test_line19_response_intervals(org, calls):
    national = user_create(actor=None, username="dg", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF])
    f = figures(national, org.central)
    assert f["incidents"].value == 3
    assert f["call_processing_min"].value == pytest.approx(1)
    assert f["turnout_min"].value == pytest.approx(1)
    assert f["travel_min"].value == pytest.approx((4 + 6 + 23) / 3)
    assert f["under_target_share"].value == pytest.approx(2 / 3)
    # Bands ... 300, 420, 600, 900, 1200, 1800 s: 6 min → ≤ 7, 8 min → ≤ 10, 25 min → ≤ 30.
    assert f["response_median_min"].value == 10
    assert f["response_p90_min"].value == 30
    assert ResponseDay.objects.get().priority == "P1"
    # Three patrols signed on among the four shifts of the day.
    assert f["readiness_share"].value == pytest.approx(3 / 4)


def test_survey_indicators(org, make_case, clock):
    clock.at()
    ratings = [(5, "yes"), (4, "unchanged"), (2, "no")]
    for rating, safer in ratings:
        case = make_case(category="lost_documents")
        case = move(case, org.investigator, "close", outcome="withdrawn")
        survey_answer(case=case, rating=rating, feels_safer=safer, comment="", language="ar")
    rollups.refresh()
    s = sums_for(org.chief, "satisfaction", org.district, MARCH)
    assert s["answers"] == 3
    f = figures(org.chief, org.district)
    assert f["mean_rating"].value == pytest.approx(11 / 3)
    assert f["satisfied_share"].value == pytest.approx(2 / 3)
    assert f["feel_safer_share"].value == pytest.approx(1 / 3)
