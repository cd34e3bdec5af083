"""`manage.py simulate_calls --city Casablanca --rate 6`: a living line 19 for the demo.

Feeds calls at real places of the city through the services at `--rate` calls per minute (Poisson
arrivals), typed in by the simulator's own named user, and plays the patrols: each assignment the
dispatcher makes on the board is acknowledged, then en route → on scene → resolved with realistic
delays (`--time-scale` speeds them up). It never groups calls nor dispatches: that is the
dispatcher's work. Runs for `--duration` seconds, or until Ctrl-C. One line per
act at -v 2.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from core.checks import production
from core.errors import DomainError
from demo.data import PLACES
from demo.simulation import CommandRoom, simulator_user
from emergency import services
from emergency.models import Patrol
from emergency.selectors import current_shift
from org.choices import UnitKind
from org.models import Unit


def command_room_for(city: str, rng: random.Random, say, time_scale: float = 1.0) -> CommandRoom:
    """The wilaya's command room played by the simulator's own named user: it plays the callers and
    the patrols; the dispatcher at the board decides (see demo.simulation)."""
    wilaya = Unit.objects.filter(kind=UnitKind.WILAYA, city__iexact=city).order_by("path").first()
    if wilaya is None:
        known = ", ".join(sorted(PLACES))
        raise CommandError(f"No wilaya in {city}. Load the demo (manage.py load_demo) or pick one of: {known}")
    room = Unit.objects.filter(parent=wilaya, kind=UnitKind.COMMAND_ROOM).order_by("path").first()
    if room is None:
        raise CommandError(f"No command room in the wilaya of {city}.")
    return CommandRoom(
        wilaya=wilaya, operator=simulator_user(room), city=wilaya.city, rng=rng, say=say, time_scale=time_scale
    )


class Command(BaseCommand):
    help = "Feed realistic line-19 calls at real places of a city and move its patrols through their states."

    def add_arguments(self, parser):
        parser.add_argument("--city", default="Casablanca", help="City of the wilaya (Casablanca, Rabat, ...)")
        parser.add_argument("--rate", type=float, default=4.0, help="Calls per minute")
        parser.add_argument("--duration", type=float, default=0, help="Seconds to run (0: until Ctrl-C)")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable runs)")
        parser.add_argument("--time-scale", type=float, default=1.0, help="Patrol delays divided by this")

    def handle(self, *args, **opts):
        if production():
            raise CommandError("AMANE_ENV=production: the call simulator never runs on a real board.")
        rate = opts["rate"]
        if rate <= 0:
            raise CommandError("--rate must be positive.")
        verbosity = opts["verbosity"]
        rng = random.Random(opts["seed"])

        def say(line: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"{timezone.localtime():%H:%M:%S} {line}")

        room = command_room_for(opts["city"], rng, say, opts["time_scale"])
        self.sign_on(room)
        duration = opts["duration"]
        started = time.monotonic()
        next_call = timezone.now()
        try:
            while not duration or time.monotonic() - started < duration:
                now = timezone.now()
                if next_call <= now:
                    try:
                        room.new_call(now)
                    except (DomainError, DatabaseError) as exc:  # a refused call or a busy database: go on
                        say(f"  call failed: {exc}")
                    next_call = now + timedelta(seconds=rng.expovariate(rate / 60))
                room.follow_assignments(now)  # the patrols answer what the dispatcher sent them
                room.run_due(now)
                if not connection.in_atomic_block:  # a long run: drop a broken or aged connection
                    close_old_connections()
                due = min(filter(None, [next_call, room.next_due()]))
                wait = max(min((due - timezone.now()).total_seconds(), 0.5), 0.01)
                if duration:
                    wait = min(wait, max(duration - (time.monotonic() - started), 0.01))
                time.sleep(wait)
        except KeyboardInterrupt:
            pass
        if verbosity >= 1:
            c = room.counts
            self.stdout.write(
                f"simulate_calls: {c['calls']} calls, {c['incidents']} incidents, "
                f"{len(room._followed)} assignments followed, {c['resolved']} resolved in {room.wilaya.city}"
            )

    def sign_on(self, room: CommandRoom) -> None:
        """When nobody is available, the patrols on a shift now take the duty (the room starts staffed)."""
        patrols = Patrol.objects.filter(wilaya=room.wilaya, active=True)
        if patrols.filter(status="available").exists():
            return
        for patrol in patrols.filter(status="off_duty"):
            if current_shift(patrol) is not None:
                services.patrol_set_status(patrol=patrol, actor=room.operator, status="available")
