"""The demo commands against the test database: simulate_calls produces calls and moves patrols;
load_emergency_demo builds patrols, roster and history and is idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.errors import ValidationFailed
from emergency import services
from emergency.models import Call, Incident, Patrol, RosterShift
from emergency.tests.factories import MAARIF, PLACE_MOHAMMED_V, call, line19, patrol


@pytest.fixture
def o(org):
    return line19(org)


def test_simulate_calls_feeds_calls_and_moves_patrols(o):
    patrol(o, "CAS-11", MAARIF)
    patrol(o, "CAS-12", (33.5900, -7.6100))
    out = StringIO()
    call_command(
        "simulate_calls",
        "--city",
        "Casablanca",
        "--rate",
        "240",
        "--duration",
        "3",
        "--seed",
        "7",
        "--time-scale",
        "200",
        "-v",
        "2",
        stdout=out,
    )
    calls = Call.objects.filter(wilaya=o.wilaya2)
    assert calls.count() >= 3
    assert Call.objects.filter(wilaya=o.wilaya).count() == 0
    assert Incident.objects.filter(dispatched_at__isnull=False).exists()
    lines = out.getvalue().splitlines()
    assert any(" call CAS-C-" in line for line in lines) and any("dispatch CAS-1" in line for line in lines)
    assert lines[-1].startswith("simulate_calls: ")


def test_simulate_calls_is_quiet_at_verbosity_1_and_refuses_an_unknown_city(o):
    out = StringIO()
    call_command("simulate_calls", "--rate", "120", "--duration", "1", "--seed", "1", stdout=out)
    assert len(out.getvalue().splitlines()) == 1
    with pytest.raises(CommandError):
        call_command("simulate_calls", "--city", "Atlantis", "--duration", "1")


def test_load_emergency_demo_needs_the_demo_org(o):
    with pytest.raises(CommandError):
        call_command("load_emergency_demo", "-v", "0")


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
