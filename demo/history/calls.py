"""Line 19's past: generated calls, each its own closed incident, written with COPY."""

from __future__ import annotations

import bisect
import io
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import connection

from demo.history.columns import CALL_COLUMNS, CHUNK, GENERATED, INCIDENT_COLUMNS, esc, opt, ts
from demo.history.reference import Station, unit_tree_by_code
from emergency.choices import CallState, IncidentState, InterventionOutcome
from emergency.models import Call, CallCategory, Incident

# A line-19 category: (id, group, priority).
CategoryRow = tuple[int, str, str]


class CallRows:
    """Generates past line-19 calls (mixed into the generator, after it has loaded its stations)."""

    rng: random.Random
    now: datetime
    years: int
    stations: list[Station]
    station_cum: list[float]

    def generate_calls(self, calls: int) -> int:
        """`calls` past line-19 calls, each its own closed incident, over the same years, with the
        response times of the demo (no patrol named: generated calls carry no assignment). Marked
        by the caller-number hash `generated`. Call after `run` (it reuses its stations)."""
        if not calls:
            return 0
        categories = list(CallCategory.objects.filter(active=True).values_list("id", "group", "base_priority"))
        if not categories:
            raise RuntimeError("No line-19 call categories: migrate first.")
        units = unit_tree_by_code()
        tables = (Incident._meta.db_table, Call._meta.db_table)
        with connection.cursor() as cur:
            next_ids = []
            for table in tables:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model table names)
                next_ids.append(cur.fetchone()[0] + 1)
        incident_id, call_id = next_ids
        outcomes = InterventionOutcome.values
        done = 0
        while done < calls:
            batch = min(CHUNK, calls - done)
            incidents, rows = io.StringIO(), io.StringIO()
            for _ in range(batch):
                incident, call = self._call_lines(units, categories, outcomes, incident_id, call_id)
                incidents.write(incident)
                rows.write(call)
                incident_id += 1
                call_id += 1
            _copy(((tables[0], INCIDENT_COLUMNS, incidents.getvalue()), (tables[1], CALL_COLUMNS, rows.getvalue())))
            done += batch
        with connection.cursor() as cur:
            for table in tables:
                sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                cur.execute(sql, [table])
        return done

    def _call_received(self) -> datetime:
        """When a generated call came in: any moment of the years ending now."""
        return self.now - timedelta(days=365 * self.years) * self.rng.random()

    def _call_lines(
        self, units: dict[str, dict[int, Any]], categories: list[CategoryRow], outcomes: list[str],
        incident_id: int, call_id: int,
    ) -> tuple[str, str]:  # fmt: skip
        """The incident row and the call row of one generated call, in COPY's text format."""
        rng = self.rng
        station = self.stations[bisect.bisect(self.station_cum, rng.random() * self.station_cum[-1])]
        district = units["id"][station.unit_id]
        area_id = district.parent_id
        wilaya_id = units["wilaya"][station.unit_id]
        cat_id, group, priority = rng.choice(categories)
        received = self._call_received()
        triaged = received + timedelta(seconds=rng.uniform(30, 150))
        dispatched = triaged + timedelta(seconds=rng.uniform(40, 400))
        en_route = dispatched + timedelta(seconds=rng.uniform(10, 90))
        on_scene = en_route + timedelta(seconds=rng.uniform(240, 1200))
        resolved = on_scene + timedelta(seconds=rng.uniform(300, 2400))
        closed = resolved + timedelta(seconds=rng.uniform(60, 600))
        lat = round(station.lat + rng.gauss(0, 0.008), 6)
        lon = round(station.lon + rng.gauss(0, 0.009), 6)
        street = esc(rng.choice(station.streets))
        stamps = "\t".join(ts(t) for t in (received, triaged, dispatched, en_route, on_scene, resolved, closed))
        year = received.year
        prefix = station.prefix
        incident = (
            f"{incident_id}\t{stamps}\t{prefix}-19-{year}-{incident_id:06d}\t{cat_id}\t{group}\t{priority}\t"
            f"{IncidentState.CLOSED}\t{wilaya_id}\t{opt(area_id)}\t{district.pk}\t{lat}\t{lon}\t{street}\t\t"
            f"\\N\t{rng.choice(outcomes)}\t\t\\N\t1\t{ts(received)}\t\\N\t1\t{{}}\t\n"
        )
        call = (
            f"{call_id}\t{stamps}\t{prefix}-C-{year}-{call_id:07d}\t{incident_id}\t{wilaya_id}\t\t{GENERATED}\t"
            f"ar\t{cat_id}\t{{}}\t{priority}\t\t{street}\t{lat}\t{lon}\t{CallState.CLOSED}\t\\N\t\\N\n"
        )
        return incident, call


def _copy(batches: tuple[tuple[str, list[str], str], ...]) -> None:
    """COPY each (table, columns, text) on the default connection."""
    with connection.cursor() as cur:
        for table, columns, text in batches:
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                copy.write(text)
