"""The call simulator against the test database: it produces calls and moves patrols."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from emergency.models import Call, Incident
from emergency.tests.factories import MAARIF, line19, patrol


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
