"""The call simulator against the test database: it produces calls and moves patrols."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditRecord
from demo.simulation import SIMULATOR_NAME
from emergency import services
from emergency.models import Call, Incident, Patrol
from emergency.tests.factories import MAARIF, line19, patrol


@pytest.fixture
def o(org):
    return line19(org)


def simulate(seconds: str, *extra: str) -> list[str]:
    out = StringIO()
    call_command(
        "simulate_calls",
        "--city",
        "Casablanca",
        "--rate",
        "240",
        "--duration",
        seconds,
        "--seed",
        "7",
        "--time-scale",
        "400",
        "-v",
        "2",
        *extra,
        stdout=out,
    )
    return out.getvalue().splitlines()


def test_the_simulator_plays_callers_and_patrols_never_the_dispatcher(o):
    """Issue 11: the demo simulator dispatched the free patrols itself, in the dispatcher's name.
    GIVEN two patrols on duty
    WHEN the simulator runs
    THEN calls come in under the simulator's own named user, no incident is grouped or dispatched
    by it; once the dispatcher sends a patrol, the simulated patrol acknowledges and moves on."""
    patrol(o, "CAS-11", MAARIF, officers=[o.cas_patrol_officer])
    patrol(o, "CAS-12", (33.5900, -7.6100))
    lines = simulate("3")
    calls = Call.objects.filter(wilaya=o.wilaya2)
    assert calls.count() >= 3
    assert Call.objects.filter(wilaya=o.wilaya).count() == 0
    [taker] = {c.received_by for c in calls}
    assert taker.username.startswith("simulateur19.") and taker.first_name == SIMULATOR_NAME
    assert not taker.has_usable_password() and taker != o.cas_dispatcher
    assert not Incident.objects.filter(dispatched_at__isnull=False).exists()
    assert not AuditRecord.objects.filter(action__in=["incident.dispatch", "incident.merge"]).exists()
    assert any(" call CAS-C-" in line for line in lines) and not any(" dispatch " in line for line in lines)
    assert lines[-1].startswith("simulate_calls: ")

    incident = Incident.objects.filter(wilaya=o.wilaya2, state="triaged").order_by("id").first()
    p = Patrol.objects.get(call_sign="CAS-11")
    services.incident_dispatch(incident=incident, patrol=p, actor=o.cas_dispatcher, override_reason="BY HAND")
    lines = simulate("4", "--rate", "1")
    incident.refresh_from_db()
    assert incident.acknowledged_at is not None and incident.en_route_at is not None
    acks = AuditRecord.objects.filter(action="incident.acknowledge", object_id=str(incident.pk))
    assert [a.actor_id for a in acks] == [o.cas_patrol_officer.pk]  # the patrol's own officer
    assert [a.actor_id for a in AuditRecord.objects.filter(action="incident.dispatch")] == [o.cas_dispatcher.pk]


def test_simulate_calls_is_quiet_at_verbosity_1_and_refuses_an_unknown_city(o):
    out = StringIO()
    call_command("simulate_calls", "--rate", "120", "--duration", "1", "--seed", "1", stdout=out)
    assert len(out.getvalue().splitlines()) == 1
    with pytest.raises(CommandError):
        call_command("simulate_calls", "--city", "Atlantis", "--duration", "1")
