"""Line 19 in the demo: patrols, their roster and the past hours of calls.

For every wilaya: patrols (cars, motorbikes, on foot) placed near their districts, a roster of
8-hour shifts from yesterday to tomorrow, and the last hours of calls replayed through the services
with the clock set to each moment, so the board, the response-time panel and the readiness panel
have something to show.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from demo import data
from demo.clock import clock
from demo.simulation import CommandRoom, jitter, simulator_user
from emergency import services
from emergency.models import Patrol
from org.choices import UnitKind
from org.models import Unit, User

SEED = 1919
SHIFT_HOURS = 8
FIRST_SHIFT_HOUR = 6  # local shifts 06-14, 14-22, 22-06
CALLS_PER_HOUR = 1.0
SIGN_ON_SHARE = 0.9


def shift_starts(now: datetime) -> list[datetime]:
    """Local 8-hour shift starts covering now − 1 day to now + 1 day, in UTC."""
    local = timezone.localtime(now - timedelta(days=1))
    start = local.replace(hour=FIRST_SHIFT_HOUR, minute=0, second=0, microsecond=0)
    while start > local:
        start -= timedelta(hours=SHIFT_HOURS)
    out = []
    while start < now + timedelta(days=1):
        out.append(start.astimezone(UTC))
        start += timedelta(hours=SHIFT_HOURS)
    return out


class Line19Loader:
    """Patrols, roster and history of every demo wilaya (after the organisation is loaded)."""

    def load(self) -> dict[str, int]:
        rng = random.Random(SEED)
        now = timezone.now()
        starts = shift_starts(now)
        rooms = []
        with clock(starts[0] - timedelta(minutes=5)):
            for w in data.WILAYAS:
                room = Unit.objects.get(code=f"{w.code}-CMD", kind=UnitKind.COMMAND_ROOM)
                rooms.append((w, room, self.patrols(w, room, rng)))
        for w, room, patrols in rooms:
            self.roster(w, room, patrols, starts)
        totals = self.history(rooms, starts, now, rng)
        return {"patrols": Patrol.objects.count(), "wilayas": len(rooms), **totals}

    def patrols(self, w: data.Wilaya, room: Unit, rng: random.Random) -> list[Patrol]:
        out: list[Patrol] = []
        n = 10
        for area in w.areas:
            for i, d in enumerate(area.districts):
                kinds = (
                    ["car"] + (["motorbike"] if i == 0 else []) + (["foot"] if i == 0 and area is w.areas[0] else [])
                )
                for kind in kinds:
                    lat, lon = jitter(rng, d.lat, d.lon, 400)
                    n += 1
                    out.append(
                        services.patrol_create(
                            actor=None,
                            call_sign=f"{w.code}-{n}",
                            kind=kind,
                            home_unit=room,
                            latitude=lat,
                            longitude=lon,
                        )
                    )
        return out

    def roster(self, w, room: Unit, patrols: list[Patrol], starts: list[datetime]) -> None:
        """Every patrol on every shift; the wilaya's two patrol officers crew the first two patrols."""
        officers = [User.objects.filter(username=f"patrol.{w.slug}.{i}").first() for i in (1, 2)]
        with clock(starts[0] - timedelta(minutes=1)):
            for idx, patrol in enumerate(patrols):
                crew = [officers[idx]] if idx < len(officers) and officers[idx] is not None else []
                for start in starts:
                    services.roster_assign(
                        actor=None,
                        patrol=patrol,
                        starts_at=start,
                        ends_at=start + timedelta(hours=SHIFT_HOURS),
                        officers=crew,
                    )

    def shift_change(self, patrols: list[Patrol], at: datetime, rng: random.Random) -> None:
        """At a shift start most patrols sign on; a few do not (what readiness measures)."""
        for p in patrols:
            p.refresh_from_db()
            if p.status in ("assigned", "en_route", "on_scene"):
                continue  # still on the last mission
            status = "available" if rng.random() < SIGN_ON_SHARE else "off_duty"
            services.patrol_set_status(patrol=p, actor=None, status=status)

    def history(self, rooms, starts: list[datetime], now: datetime, rng: random.Random) -> dict[str, int]:
        """Replay the hours since the first shift, every room in one chronological queue (so the
        audit chain's timestamps keep increasing)."""
        t0 = starts[0]
        sims = []
        for w, room, patrols in rooms:
            # Nobody sits at the board in the past: the simulator's own named user plays the room too.
            sim = CommandRoom(
                wilaya=room.parent,
                operator=simulator_user(room),
                city=w.city,
                rng=rng,
                say=lambda s: None,
                dispatches=True,
            )
            sims.append(sim)
            for start in starts:
                if start <= now:
                    sim.schedule(start, lambda t, ps=patrols: self.shift_change(ps, t, rng))
            t = t0 + timedelta(minutes=10)
            while True:
                t += timedelta(hours=rng.expovariate(CALLS_PER_HOUR))
                if t >= now:
                    break
                sim.schedule(t, sim.new_call)
        while True:
            pending = [s for s in sims if s.next_due() is not None and s.next_due() <= now]
            if not pending:
                break
            sim = min(pending, key=lambda s: s.next_due())
            at = sim.next_due()
            sim.run_due(at, clock=clock)
        return {
            "calls": sum(s.counts["calls"] for s in sims),
            "incidents": sum(s.counts["incidents"] for s in sims),
        }
