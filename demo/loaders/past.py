"""The demo's past: complaints from 1 January of last year up to the recent weeks, line-19
interventions with their response times and the citizens' survey answers, so that last year's review,
the annual communiqué and this year's quarters have figures.

What it is, said plainly: synthetic records, imported. They are drawn like `generate_history`'s
(demo/history: categories and districts in the demo's proportions, channels, lives with the demo's
delays, more in summer and on weekdays) and written in bulk with the ORM (demo/history/portable: on
SQLite as on PostgreSQL), not made by the services: a few thousand complaints replayed act by act
would add minutes to `make run`. So they are what records brought in from a previous system would
be: each complaint has its timeline, its tracking code is unusable (`generated`: no citizen was ever
given one), and no act of theirs has an audit record of its own.

The audit chain records the import itself, as one act (`history.import`): who, when, how many rows
of each kind, their id ranges and the period they cover. It is written at its moment in the
demo's replay (after the oversight year, before the recent complaints), so the chain's times keep
growing and `audit_verify` checks it like any other record. Forging a trail of per-act records
dated in the past, after records of later dates, would break that order and pretend the services
ran.

Complaints still open at the import keep their state but not the previous system's verdict on
their deadlines (not overdue, no escalation): the deadline sweep judges them like every other.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_record
from cases.choices import EventKind, Outcome, Sensitivity, State
from cases.models import Case, CaseEvent, Complainant, ReferenceCounter
from core.geo import in_morocco
from demo.history import portable
from demo.history.calls import CallRows
from demo.history.cases import CaseRows, Draft
from demo.history.columns import CALL_COLUMNS, CASE_COLUMNS, COMPLAINANT_COLUMNS, EVENT_COLUMNS, INCIDENT_COLUMNS
from demo.history.reference import Station, unit_tree_by_code
from demo.history.timeline import moments
from emergency.choices import InterventionOutcome
from emergency.models import Call, CallCategory, Incident
from org.models import User
from portal.models import Safer, SurveyResponse

# Share of complaints that stall open (the old backlog; `generate_history` stalls 6 %).
STALL = 0.012
# Share of complaints transferred to the district of the place by the neighbouring one that took them.
TRANSFERRED = 0.03
# Share of closed complaints whose complainant answered the survey, and the answers by outcome.
ANSWERED = 0.35
RATINGS = {Outcome.SOLVED: (3, 4, 10, 38, 45), "other": (12, 14, 24, 30, 20)}
SAFER = ((Safer.YES, 55), (Safer.UNCHANGED, 30), (Safer.NO, 15))
MODELS = {"case": Case, "complainant": Complainant, "event": CaseEvent}
COLUMNS = {"case": CASE_COLUMNS, "complainant": COMPLAINANT_COLUMNS, "event": EVENT_COLUMNS}


def first_day_of_last_year() -> datetime:
    """Midnight (Morocco) of 1 January of last year, where the demo's past begins, in UTC (the replay's
    clock gives UTC times, as `timezone.now()` does: the audit chain hashes the time as written)."""
    year = timezone.localdate().year - 1
    return datetime(year, 1, 1, tzinfo=timezone.get_current_timezone()).astimezone(UTC)


class PastLoader(CaseRows, CallRows):
    """Imports `cases` past complaints and `calls` past line-19 calls over [start, now)."""

    stall = STALL  # the backlog of old open complaints: a small part of the open ones, as targeted

    def __init__(self, *, rng: random.Random, start: datetime, now: datetime, actor: User) -> None:
        self.rng, self.start, self.now, self.actor = rng, start, now, actor
        self.audit, self.key, self.position, self.head = "none", b"", 0, ""  # no per-act records
        self._ref_base: dict[tuple[str, int], int] = {}

    @transaction.atomic
    def load(self, cases: int, calls: int) -> dict[str, Any]:
        """One import: the rows, then its audit record (at the replay's clock)."""
        self.total = cases
        self.load_reference_data()
        self.next_id = {name: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for name, model in MODELS.items()}
        self.counters = {(r.prefix, r.year): r.last for r in ReferenceCounter.objects.all()}
        first = dict(self.next_id)
        buffers = {name: io.StringIO() for name in MODELS}
        n_days = (self.now - self.start).days + 1
        for created in moments(self.rng, self.start, n_days, cases, self.now):
            self._generate(buffers, created)
        counts = {name: portable.write(MODELS[name], COLUMNS[name], buffers[name].getvalue()) for name in MODELS}
        Case.objects.filter(pk__gte=first["case"]).update(overdue=False, escalation_level=0)
        counts["survey_answers"] = self._survey_answers(first["case"])
        counts["calls"] = self._calls(calls)
        portable.reset_sequences(Case, CaseEvent, Complainant, Incident, Call, SurveyResponse)
        self._save_counters()
        audit_record(
            actor=self.actor,
            action="history.import",
            object_type="cases.case",
            after={
                "from": self.start,
                "to": self.now,
                "counts": counts,
                "first_ids": first,
                "note": "synthetic demo history, written in bulk without the services",
            },
        )
        return counts

    def _draft(self, created: datetime) -> Draft:
        """A few complaints were first taken at the counter of a neighbouring district of the wilaya,
        which transferred them to the district of the place (see `_timeline`)."""
        d = super()._draft(created)
        if d.cat.to_inspectorate or self.rng.random() >= TRANSFERRED:
            return d
        siblings = [s for s in self.stations if s.prefix == d.station.prefix and s.unit_id != d.unit_id]
        if siblings:
            d.station = self.rng.choice(siblings)
            d.registrar = self.rng.choice(d.station.desk) if d.station.desk else d.registrar
        return d

    def _timeline(self, buffers: dict[str, io.StringIO], d: Draft, anonymous: bool) -> None:
        super()._timeline(buffers, d, anonymous)
        if d.proposed_unit != d.unit_id:
            first_act = d.life.acts[0][0] if d.life.acts else self.now
            at = d.created + (first_act - d.created) * self.rng.uniform(0.2, 0.6)
            move = {"from_unit": d.proposed_unit, "to_unit": d.unit_id}
            self._event(
                buffers, d.case_id, EventKind.TRANSFER, at, d.registrar, "transfer", "received", "received", "", move
            )

    def _place(self, station: Station) -> tuple[float | None, float | None, str]:
        """Every demo complaint has a place (the black-spot map), within the Kingdom."""
        for _ in range(20):
            lat, lon, street = super()._place(station)
            if lat is not None and lon is not None and in_morocco(lat, lon):
                return lat, lon, street
        return station.lat, station.lon, self.rng.choice(station.streets)

    def _survey_answers(self, first_case: int) -> int:
        """Answers to the satisfaction survey a few days after closure, for some normal complaints."""
        rng = self.rng
        closed = Case.objects.filter(
            pk__gte=first_case, state=State.CLOSED, sensitivity=Sensitivity.NORMAL, closed_at__isnull=False
        ).values_list("pk", "outcome", "closed_at")
        answers = []
        for pk, outcome, closed_at in closed.order_by("pk"):
            at = closed_at + timedelta(hours=rng.uniform(2, 240))
            if rng.random() >= ANSWERED or at >= self.now:
                continue
            weights = RATINGS.get(outcome, RATINGS["other"])
            answers.append(
                SurveyResponse(
                    case_id=pk,
                    rating=rng.choices(range(1, 6), weights=weights)[0],
                    feels_safer=rng.choices([s for s, _w in SAFER], weights=[w for _s, w in SAFER])[0],
                    language="ar" if rng.random() < 0.8 else "fr",
                    created_at=at,
                )
            )
        SurveyResponse.objects.bulk_create(answers, batch_size=portable.BATCH)
        return len(answers)

    def _call_received(self) -> datetime:
        return self.start + (self.now - self.start) * self.rng.random()

    def _calls(self, n: int) -> int:
        """Line-19 calls, each its own closed incident with its response times (demo/history/calls)."""
        categories = list(CallCategory.objects.filter(active=True).values_list("id", "group", "base_priority"))
        if not n or not categories:
            return 0
        units = unit_tree_by_code()
        incident_id = (Incident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        call_id = (Call.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        incidents, rows = io.StringIO(), io.StringIO()
        outcomes = InterventionOutcome.values
        for i in range(n):
            incident, call = self._call_lines(units, categories, outcomes, incident_id + i, call_id + i)
            incidents.write(incident)
            rows.write(call)
        portable.write(Incident, INCIDENT_COLUMNS, incidents.getvalue())
        return portable.write(Call, CALL_COLUMNS, rows.getvalue())

    def _save_counters(self) -> None:
        """The reference numbers go on after the imported ones."""
        for (prefix, year), last in self.counters.items():
            row, _created = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            if row.last < last:
                ReferenceCounter.objects.filter(pk=row.pk).update(last=last)
