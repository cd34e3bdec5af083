"""Calls, triage, grouping, the nearest patrol, the state machine and the roster, through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from emergency import services
from emergency.models import Assignment, Call, CallCategory, Incident, Patrol, RosterShift
from emergency.selectors import patrol_for_user
from emergency.tests.factories import (
    ANFA,
    BY_HAND,
    HAY_MOHAMMADI,
    MAARIF,
    PLACE_MOHAMMED_V,
    call,
    line19,
    patrol,
)


@pytest.fixture
def o(org):
    return line19(org)


def offset(place, metres_north):
    """A point `metres_north` north of `place` (1e-5 degree of latitude is about 1.11 m)."""
    return (place[0] + metres_north / 111_195, place[1])


def states(incident):
    incident.refresh_from_db()
    return incident.state


# ---------------------------------------------------------------- triage and intake


def test_triage_answers_raise_and_lower_priority(o):
    cat = CallCategory.objects.get(code="violence_in_progress")  # base P2
    assert services.triage_priority(cat, {}) == "P2"
    assert services.triage_priority(cat, {"armed": True}) == "P1"
    assert services.triage_priority(cat, {"armed": True, "injured": True}) == "P1"  # clamped
    assert services.triage_priority(cat, {"ongoing": False}) == "P3"
    noise = CallCategory.objects.get(code="noise")  # base P4
    assert services.triage_priority(noise, {"threats": True}) == "P3"


def test_every_category_has_two_to_four_questions_in_three_languages(o):
    cats = list(CallCategory.objects.all())
    assert len(cats) >= 9
    for c in cats:
        assert 2 <= len(c.questions) <= 4, c.code
        assert c.name_ar and c.name_fr and c.name_en
        for q in c.questions:
            assert q["ar"] and q["fr"] and q["en"]


def test_call_opens_an_incident_with_its_timestamps_and_encrypted_number(o):
    c = call(o, PLACE_MOHAMMED_V, answers={"armed": True}, caller_number="06 61 23 45 67")
    inc = c.incident
    assert c.priority == inc.priority == "P1"
    assert c.state == "triaged" and inc.state == "triaged"
    assert c.received_at and c.triaged_at and inc.received_at == c.received_at
    assert inc.reference.startswith("CAS-19-") and c.reference.startswith("CAS-C-")
    assert inc.wilaya == o.wilaya2 and inc.district is not None
    assert "0661234567" not in c.caller_number_enc and "661234567" not in c.caller_number_enc
    assert AuditRecord.objects.filter(action="call.receive", object_id=str(c.pk)).exists()


def test_published_events_carry_the_incident_and_wilaya(o, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setattr("emergency.services.base.publish", lambda **kw: seen.append(kw))
    p = patrol(o, "CAS-11", MAARIF)
    with django_capture_on_commit_callbacks(execute=True):
        c = call(o, PLACE_MOHAMMED_V)
    assert seen[-1]["topic"] == "incident"
    assert seen[-1]["wilaya_id"] == o.wilaya2.pk
    assert seen[-1]["data"]["id"] == c.incident_id and seen[-1]["data"]["call_count"] == 1
    seen.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_dispatch(incident=c.incident, patrol=p, actor=o.cas_dispatcher, override_reason=BY_HAND)
    topics = {e["topic"]: e["data"] for e in seen}
    assert topics["incident"]["patrol"] == "CAS-11" and topics["incident"]["state"] == "dispatched"
    assert topics["patrol"]["status"] == "assigned" and topics["patrol"]["incident_id"] == c.incident_id


def test_a_failed_write_publishes_nothing(o, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setattr("emergency.services.base.publish", lambda **kw: seen.append(kw))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        call(o, (48.8566, 2.3522))
    assert seen == []


# ---------------------------------------------------------------- grouping


def test_two_calls_150m_and_5_minutes_apart_are_proposed_as_one_incident(o):
    """Grouping proposes, the dispatcher decides (test_grouping.py): nothing is merged silently."""
    t0 = timezone.now() - timedelta(minutes=10)
    first = call(o, PLACE_MOHAMMED_V, received_at=t0)
    second = call(
        o,
        offset(PLACE_MOHAMMED_V, 150),
        category="fight",
        received_at=t0 + timedelta(minutes=5),
        answers={"armed": True},
    )
    assert second.incident_id != first.incident_id
    assert second.incident.proposed_merge_id == first.incident_id
    services.incident_merge(incident=second.incident, into=first.incident, actor=o.cas_dispatcher)
    inc = Incident.objects.get(pk=first.incident_id)
    assert inc.call_count == 2 and inc.calls.count() == 2
    assert inc.priority == "P1"  # the more urgent call raises the incident


@pytest.mark.parametrize(
    "metres,minutes,category",
    [
        (150, 5, "traffic_accident_injuries"),  # incompatible category
        (2000, 5, "fight"),  # too far
        (150, 45, "fight"),  # too late
    ],
)
def test_far_late_or_incompatible_calls_make_two_incidents(o, metres, minutes, category):
    t0 = timezone.now() - timedelta(minutes=60)
    first = call(o, PLACE_MOHAMMED_V, received_at=t0)
    second = call(o, offset(PLACE_MOHAMMED_V, metres), category=category, received_at=t0 + timedelta(minutes=minutes))
    assert second.incident_id != first.incident_id
    assert Incident.objects.count() == 2
    # Close in place and time, another category: still proposed, with "compatible" false.
    proposal = second.incident.proposal
    assert not proposal or (metres < 300 and minutes < 20 and proposal["compatible"] is False)


def test_calls_are_never_grouped_across_wilayas(o):
    first = call(o, PLACE_MOHAMMED_V)
    # The Rabat room takes a call placed at the same spot (a misrouted call): it stays Rabat's own.
    other = call(o, PLACE_MOHAMMED_V, actor=o.rbt_dispatcher)
    assert other.incident_id != first.incident_id and other.incident.proposed_merge is None


# ---------------------------------------------------------------- nearest patrol


def test_nearest_patrol_on_real_casablanca_coordinates(o):
    maarif = patrol(o, "CAS-11", MAARIF)
    anfa = patrol(o, "CAS-12", ANFA)
    hay = patrol(o, "CAS-13", HAY_MOHAMMADI)
    c = call(o, PLACE_MOHAMMED_V)
    sugg = services.dispatch_suggestions(incident=c.incident)
    assert [s.patrol for s in sugg] == [maarif, anfa, hay]
    # Place Mohammed V → Maârif is about 1.7 km as the crow flies, Hay Mohammadi about 5.3 km.
    assert 1500 < sugg[0].distance_m < 1900
    assert 5000 < sugg[2].distance_m < 5600
    # 1.7 km × 1.4 road factor at 30 km/h ≈ 4-5 minutes.
    assert 240 < sugg[0].eta_seconds < 330
    a = services.incident_dispatch(incident=c.incident, patrol=maarif, actor=o.cas_dispatcher)
    assert a.was_first_suggestion and a.suggested[0]["patrol"] == "CAS-11"


def test_a_car_further_away_beats_a_foot_patrol_nearer(o):
    patrol(o, "CAS-11", MAARIF, kind="foot")
    anfa = patrol(o, "CAS-12", ANFA)
    c = call(o, PLACE_MOHAMMED_V)
    sugg = services.dispatch_suggestions(incident=c.incident)
    assert sugg[0].patrol == anfa
    assert sugg[0].distance_m > sugg[1].distance_m


def test_suggestions_leave_out_busy_off_duty_and_other_wilayas(o):
    busy = patrol(o, "CAS-11", MAARIF)
    patrol(o, "CAS-12", ANFA, on_duty=False)
    patrol(o, "RBT-12", (34.02, -6.83), room=o.rbt_room)
    free = patrol(o, "CAS-13", HAY_MOHAMMADI)
    first = call(o, MAARIF)
    services.incident_dispatch(incident=first.incident, patrol=busy, actor=o.cas_dispatcher)
    c = call(o, PLACE_MOHAMMED_V, category="noise")
    assert [s.patrol for s in services.dispatch_suggestions(incident=c.incident)] == [free]


# ---------------------------------------------------------------- state machine


def test_the_whole_mission_stamps_every_state(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    c = call(o, PLACE_MOHAMMED_V)
    inc = c.incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    for status in ("en_route", "on_scene", "resolved"):
        services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status=status, outcome="arrest")
    inc.refresh_from_db()
    p.refresh_from_db()
    c.refresh_from_db()
    assert inc.state == "resolved" and inc.outcome == "arrest"
    assert inc.received_at <= inc.dispatched_at <= inc.en_route_at <= inc.on_scene_at <= inc.resolved_at
    assert c.state == "resolved" and c.on_scene_at == inc.on_scene_at
    assert p.status == "available" and p.current_incident is None
    assert not Assignment.objects.filter(active=True).exists()
    services.incident_close(incident=inc, actor=o.cas_dispatcher)
    c.refresh_from_db()
    assert states(inc) == "closed" and c.state == "closed" and c.closed_at is not None


def test_on_scene_before_dispatch_or_en_route_is_refused_and_writes_nothing(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    inc = call(o, PLACE_MOHAMMED_V).incident
    n = AuditRecord.objects.count()
    with pytest.raises(ConflictOrForbidden):
        services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="on_scene")
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    n = AuditRecord.objects.count()
    with pytest.raises(Conflict):
        services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="on_scene")
    with pytest.raises(Conflict):
        services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="resolved")
    with pytest.raises(Conflict):
        services.incident_close(incident=inc, actor=o.cas_dispatcher)
    assert states(inc) == "dispatched" and inc.on_scene_at is None
    assert AuditRecord.objects.count() == n


ConflictOrForbidden = (Conflict, PermissionDenied)


def test_dispatching_an_off_duty_patrol_is_refused(o):
    off = patrol(o, "CAS-11", MAARIF, on_duty=False)
    inc = call(o, PLACE_MOHAMMED_V).incident
    with pytest.raises(Conflict):
        services.incident_dispatch(incident=inc, patrol=off, actor=o.cas_dispatcher)
    assert states(inc) == "triaged" and not Assignment.objects.exists()
    off.refresh_from_db()
    assert off.status == "off_duty"


def test_a_patrol_whose_shift_ended_cannot_be_dispatched(o):
    p = patrol(o, "CAS-11", MAARIF)
    shift = p.shifts.get()
    RosterShift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() - timedelta(hours=9), ends_at=timezone.now() - timedelta(hours=1)
    )
    inc = call(o, PLACE_MOHAMMED_V).incident
    with pytest.raises(Conflict):
        services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
    assert services.dispatch_suggestions(incident=inc) == []


def test_a_busy_patrol_is_refused_and_reassignment_frees_the_first(o):
    a = patrol(o, "CAS-11", MAARIF)
    b = patrol(o, "CAS-12", ANFA)
    inc1 = call(o, PLACE_MOHAMMED_V).incident
    inc2 = call(o, HAY_MOHAMMADI, category="noise").incident
    services.incident_dispatch(incident=inc1, patrol=a, actor=o.cas_dispatcher)
    with pytest.raises(Conflict):
        services.incident_dispatch(incident=inc2, patrol=a, actor=o.cas_dispatcher)
    services.patrol_report(actor=o.cas_dispatcher, incident=inc1, status="en_route")
    second = services.incident_dispatch(incident=inc1, patrol=b, actor=o.cas_dispatcher, override_reason="CAS-11 panne")
    a.refresh_from_db()
    inc1.refresh_from_db()
    assert a.status == "available" and a.current_incident is None
    assert inc1.patrol == b and inc1.state == "dispatched" and inc1.en_route_at is None
    assert second.override_reason == "CAS-11 panne"
    assert list(inc1.assignments.values_list("end_reason", flat=True).order_by("id")) == ["reassigned", ""]
    assert AuditRecord.objects.filter(action="incident.reassign").count() == 1


def test_the_database_allows_one_open_dispatch_per_patrol(o):
    from django.db import IntegrityError, transaction

    p = patrol(o, "CAS-11", MAARIF)
    inc1 = call(o, PLACE_MOHAMMED_V).incident
    inc2 = call(o, HAY_MOHAMMADI, category="noise").incident
    services.incident_dispatch(incident=inc1, patrol=p, actor=o.cas_dispatcher)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(incident=inc2, patrol=p, dispatched_at=timezone.now())


def test_only_dispatchers_dispatch(o):
    p = patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    inc = call(o, PLACE_MOHAMMED_V).incident
    with pytest.raises(PermissionDenied):
        services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_patrol_officer)
    with pytest.raises(PermissionDenied):
        call(o, PLACE_MOHAMMED_V, actor=o.cas_patrol_officer)


def test_call_ended_without_dispatch_cancels_its_waiting_incident(o):
    c = call(o, PLACE_MOHAMMED_V, category="noise")
    services.call_close_without_dispatch(call=c, actor=o.cas_dispatcher, outcome="information_only")
    c.refresh_from_db()
    assert c.state == "information_only" and c.closed_at is not None
    assert states(c.incident) == "cancelled"
    with pytest.raises(Conflict):
        services.call_close_without_dispatch(call=c, actor=o.cas_dispatcher, outcome="duplicate")
    with pytest.raises(ValidationFailed):
        services.call_close_without_dispatch(call=call(o, MAARIF), actor=o.cas_dispatcher, outcome="bored")


def test_a_duplicate_call_leaves_the_incident_open(o):
    t0 = timezone.now() - timedelta(minutes=3)
    first = call(o, PLACE_MOHAMMED_V, received_at=t0)
    dup = call(o, offset(PLACE_MOHAMMED_V, 50))
    services.call_close_without_dispatch(call=dup, actor=o.cas_dispatcher, outcome="duplicate")
    assert states(first.incident) == "triaged"


# ---------------------------------------------------------------- roster and availability


def test_roster_rules_and_availability(o):
    p = services.patrol_create(actor=o.cas_dispatcher, call_sign="cas-21", kind="motorbike", home_unit=o.cas_room)
    assert p.call_sign == "CAS-21" and p.status == "off_duty" and p.wilaya == o.wilaya2
    with pytest.raises(Conflict):  # no shift now: stays off duty
        services.patrol_set_status(patrol=p, actor=o.cas_dispatcher, status="available")
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        services.roster_assign(actor=o.cas_dispatcher, patrol=p, starts_at=now, ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationFailed):  # an officer of another wilaya
        services.roster_assign(
            actor=o.cas_dispatcher,
            patrol=p,
            starts_at=now,
            ends_at=now + timedelta(hours=8),
            officers=[o.rbt_patrol_officer],
        )
    shift = services.roster_assign(
        actor=o.cas_dispatcher,
        patrol=p,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=8),
        officers=[o.cas_patrol_officer],
    )
    with pytest.raises(Conflict):  # overlapping shift of the same patrol
        services.roster_assign(
            actor=o.cas_dispatcher, patrol=p, starts_at=now + timedelta(hours=7), ends_at=now + timedelta(hours=12)
        )
    assert patrol_for_user(o.cas_patrol_officer) == p
    assert patrol_for_user(o.cas_patrol_officer2) is None
    p = services.patrol_set_status(
        patrol=p, actor=o.cas_patrol_officer, status="available", latitude=MAARIF[0], longitude=MAARIF[1]
    )
    shift.refresh_from_db()
    assert p.status == "available" and shift.signed_on_at is not None
    with pytest.raises(PermissionDenied):  # not their patrol
        services.patrol_set_status(patrol=p, actor=o.cas_patrol_officer2, status="off_duty")
    with pytest.raises(ValidationFailed):  # missions set the other statuses
        services.patrol_set_status(patrol=p, actor=o.cas_dispatcher, status="on_scene")
    services.patrol_set_status(patrol=p, actor=o.cas_patrol_officer, status="off_duty")
    assert Patrol.objects.get(pk=p.pk).status == "off_duty"
    assert RosterShift.objects.count() == 1


def test_a_patrol_on_a_mission_cannot_sign_off(o):
    p = patrol(o, "CAS-11", MAARIF)
    services.incident_dispatch(incident=call(o, PLACE_MOHAMMED_V).incident, patrol=p, actor=o.cas_dispatcher)
    with pytest.raises(Conflict):
        services.patrol_set_status(patrol=p, actor=o.cas_dispatcher, status="off_duty")


def test_a_patrol_not_assigned_cannot_report_on_the_incident(o):
    mine = patrol(o, "CAS-11", MAARIF)
    patrol(o, "CAS-12", ANFA, officers=[o.cas_patrol_officer2])
    inc = call(o, PLACE_MOHAMMED_V).incident
    services.incident_dispatch(incident=inc, patrol=mine, actor=o.cas_dispatcher)
    before = (AuditRecord.objects.count(), Call.objects.filter(state="en_route").count())
    with pytest.raises(NotFound):  # another patrol's mission is not theirs to see
        services.patrol_report(actor=o.cas_patrol_officer2, incident=inc, status="en_route")
    assert states(inc) == "dispatched"
    assert (AuditRecord.objects.count(), Call.objects.filter(state="en_route").count()) == before


def test_radio_reports_entered_afterwards_keep_their_order(o):
    p = patrol(o, "CAS-11", MAARIF)
    now = timezone.now()
    inc = call(o, PLACE_MOHAMMED_V, received_at=now - timedelta(minutes=10)).incident
    services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher, at=now - timedelta(minutes=9))
    with pytest.raises(ValidationFailed):  # before the dispatch
        services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="en_route", at=now - timedelta(minutes=9.5))
    with pytest.raises(ValidationFailed):  # in the future
        services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="en_route", at=now + timedelta(hours=1))
    services.patrol_report(actor=o.cas_dispatcher, incident=inc, status="en_route", at=now - timedelta(minutes=8))
    inc.refresh_from_db()
    assert (inc.dispatched_at - inc.received_at) == timedelta(minutes=1)
    assert (inc.en_route_at - inc.dispatched_at) == timedelta(minutes=1)
    assert RosterShift.objects.count() == Patrol.objects.count() == 1
