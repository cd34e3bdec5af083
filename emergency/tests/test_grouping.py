"""Issue 11, line 19 item 1: grouping proposes, the dispatcher decides.

A street-robbery call at one address was merged silently into a street-fight incident at another
address that a patrol was already driving to, and the board showed only "· 2 calls". Now a call
always opens its own incident with the proposal ("probably the same as …", with the distance, the
minutes apart and the categories); the dispatcher merges or keeps apart, can split a call off and
merge incidents later; every call's reference is on its incident, and the call-back numbers are
read by the command room only, every read audited.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from core.errors import Conflict, PermissionDenied, ValidationFailed
from emergency import selectors, services
from emergency.models import Incident
from emergency.tests.factories import HAY_MOHAMMADI, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol


@pytest.fixture
def o(org):
    return line19(org)


def offset(place, metres_north):
    return (place[0] + metres_north / 111_195, place[1])


def fresh(incident):
    return Incident.objects.get(pk=incident.pk)


def test_a_close_call_of_another_category_is_proposed_not_merged(o):
    """GIVEN a street fight with a patrol driving to it
    WHEN a street robbery is called in 80 m and 5 minutes later
    THEN it opens its own waiting incident, proposed as probably the same, with the reason."""
    p = patrol(o, "CAS-11", MAARIF)
    t0 = timezone.now() - timedelta(minutes=10)
    fight = call(o, PLACE_MOHAMMED_V, category="fight", received_at=t0).incident
    services.incident_dispatch(incident=fight, patrol=p, actor=o.cas_dispatcher)
    robbery = call(o, offset(PLACE_MOHAMMED_V, 80), category="street_robbery", received_at=t0 + timedelta(minutes=5))
    new = robbery.incident
    assert new.pk != fight.pk and new.state == "triaged" and new.patrol is None
    assert robbery.state == "triaged" and robbery.dispatched_at is None
    assert fresh(fight).call_count == 1
    proposal = selectors.incident_snapshot(fresh(new))["proposal"]
    assert proposal["incident_id"] == fight.pk and proposal["reference"] == fight.reference
    assert 75 <= proposal["distance_m"] <= 85 and proposal["minutes"] == 5
    assert proposal["category"] == "fight" and proposal["same_category"] is False
    assert proposal["category_name"]["ar"]


def test_far_or_late_calls_get_no_proposal(o):
    t0 = timezone.now() - timedelta(minutes=60)
    call(o, PLACE_MOHAMMED_V, received_at=t0)
    far = call(o, offset(PLACE_MOHAMMED_V, 2000), received_at=t0 + timedelta(minutes=5)).incident
    late = call(o, offset(PLACE_MOHAMMED_V, 50), received_at=t0 + timedelta(minutes=45)).incident
    assert far.proposed_merge is None and late.proposed_merge is None


def test_the_dispatcher_keeps_them_apart_and_it_is_recorded(o):
    first = call(o, PLACE_MOHAMMED_V, category="fight").incident
    second = call(o, offset(PLACE_MOHAMMED_V, 80), category="street_robbery").incident
    services.incident_keep_apart(incident=second, actor=o.cas_dispatcher)
    assert fresh(second).proposed_merge is None and fresh(second).state == "triaged"
    assert selectors.incident_snapshot(fresh(second))["proposal"] is None
    assert fresh(first).call_count == 1
    record = AuditRecord.objects.get(action="incident.keep_apart", object_id=str(second.pk))
    assert record.before["proposal"]["reference"] == first.reference
    with pytest.raises(Conflict):  # nothing left to decide
        services.incident_keep_apart(incident=second, actor=o.cas_dispatcher)


def test_confirming_merges_the_calls_into_the_dispatched_incident(o):
    p = patrol(o, "CAS-11", MAARIF)
    first = call(o, PLACE_MOHAMMED_V, category="fight")
    services.incident_dispatch(incident=first.incident, patrol=p, actor=o.cas_dispatcher)
    second = call(o, offset(PLACE_MOHAMMED_V, 80), category="fight", answers={"armed": True})
    into = services.incident_merge(incident=second.incident, into=first.incident, actor=o.cas_dispatcher)
    second.refresh_from_db()
    merged = fresh(second.incident) if second.incident_id != first.incident_id else None
    assert second.incident_id == first.incident_id and merged is None
    assert second.state == "dispatched" and second.dispatched_at >= second.received_at
    assert into.call_count == 2 and into.priority == "P1"
    old = Incident.objects.get(pk=AuditRecord.objects.get(action="incident.merge").object_id)
    assert old.state == "merged" and old.merged_into_id == into.pk and old.closed_at is not None
    snap = selectors.incident_snapshot(fresh(into))
    assert [c["reference"] for c in snap["calls"]] == [first.reference, second.reference]


def test_an_incident_with_a_patrol_is_not_merged_away(o):
    p = patrol(o, "CAS-11", MAARIF)
    first = call(o, PLACE_MOHAMMED_V).incident
    second = call(o, offset(PLACE_MOHAMMED_V, 80)).incident
    services.incident_dispatch(incident=first, patrol=p, actor=o.cas_dispatcher)
    with pytest.raises(Conflict):
        services.incident_merge(incident=first, into=second, actor=o.cas_dispatcher)
    with pytest.raises(ValidationFailed):
        services.incident_merge(incident=first, into=first, actor=o.cas_dispatcher)
    assert fresh(first).state == "dispatched" and fresh(second).state == "triaged"


def test_a_call_is_split_off_later_into_its_own_waiting_incident(o):
    p = patrol(o, "CAS-11", MAARIF)
    first = call(o, PLACE_MOHAMMED_V, category="fight")
    second = call(o, offset(PLACE_MOHAMMED_V, 80), category="street_robbery", answers={"armed": True})
    services.incident_merge(incident=second.incident, into=first.incident, actor=o.cas_dispatcher)
    services.incident_dispatch(incident=first.incident, patrol=p, actor=o.cas_dispatcher)
    assert fresh(first.incident).priority == "P1"
    new = services.call_split(call=second, actor=o.cas_dispatcher)
    second.refresh_from_db()
    left = fresh(first.incident)
    assert second.incident_id == new.pk and second.state == "triaged" and second.dispatched_at is None
    assert new.state == "triaged" and new.patrol is None and new.reference.startswith("CAS-19-")
    assert left.call_count == 1 and left.patrol == p and left.priority == first.priority  # back to its own
    assert AuditRecord.objects.filter(action="call.split", object_id=str(second.pk)).exists()
    with pytest.raises(Conflict):  # the only call of its incident
        services.call_split(call=second, actor=o.cas_dispatcher)


def test_every_call_reference_is_on_the_board(client, o):
    first = call(o, PLACE_MOHAMMED_V, category="fight")
    second = call(o, offset(PLACE_MOHAMMED_V, 80), category="fight")
    services.incident_merge(incident=second.incident, into=first.incident, actor=o.cas_dispatcher)
    state = selectors.board_state(o.cas_dispatcher)
    [row] = state["incidents"]
    assert {c["reference"] for c in row["calls"]} == {first.reference, second.reference}
    assert "0661234567" not in str(state)  # numbers never travel with the board


def test_call_back_numbers_are_for_the_command_room_and_audited(o):
    c = call(o, HAY_MOHAMMADI, caller_number="0662223344")
    [caller] = services.incident_callers(incident=c.incident, actor=o.cas_dispatcher)
    assert caller.reference == c.reference and caller.number == "+212662223344"
    assert AuditRecord.objects.filter(action="call.callers_read", object_id=str(c.incident_id)).exists()
    found = services.calls_find_by_number(number="06 62 22 33 44", actor=o.cas_dispatcher)
    assert [x.pk for x in found] == [c.pk]
    assert "0662223344" not in str(AuditRecord.objects.get(action="call.number_search").after)
    # Another wilaya's room finds nothing; a patrol may not read them.
    assert services.calls_find_by_number(number="0662223344", actor=o.rbt_dispatcher) == []
    with pytest.raises(PermissionDenied):
        services.incident_callers(incident=c.incident, actor=o.cas_patrol_officer)
