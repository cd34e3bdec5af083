"""A synthetic national history of complaints, written with PostgreSQL COPY (`manage.py generate_history`).

Why not the services: they make one complaint in ~13 queries, 10 million would take days. The rows
are built here in memory, in the shapes the services write, and streamed with `COPY ... FROM STDIN`
(psycopg 3): complaints, complainants, their timeline and the audit records of every act. What they
look like:

- units: the districts of the demo organisation, weighted like the wilayas of the demo (Casablanca
  first); complaints against officers go to the Inspectorate, numbered with the wilaya of the place;
- categories and channels in the demo's proportions; a place clustered around the district's
  station (about a kilometre), an address on one of its real streets;
- time: spread over whole years up to now, more in summer and on weekdays, by hour of day (peaks late
  morning and evening), more each year;
- lives: assignment, qualification, investigation, sometimes a request to the complainant or a
  referral to the prosecutor, then closure with an outcome, with the demo's delays; a small share of
  complaints stalls and stays open past its deadline (overdue, escalated): the backlog every queue
  holds;
- complainants: one in eight anonymous; the others drawn from a population where some people
  complain several times (so the "same person" suggestion finds earlier complaints).

Generated history is marked as such: the tracking code hash is `generated` (no citizen can track a
generated complaint: no code was ever handed out) and every audit record's `actor_label` ends with
`(generated)`. Audit records are nonetheless keyed and chained exactly as the sealer does, from the
head of the existing chain, so `audit_verify` checks them like any other (a signed checkpoint is
appended at the end).
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import io
import itertools
import json
import math
import queue
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from django.db import connection
from django.utils import timezone

from audit.chain import _ENTRY as ENTRY_DOMAIN
from audit.chain import GENESIS, audit_key, chain_mac
from audit.checkpoints import append_checkpoint
from audit.models import AuditRecord
from audit.services import seal_pending
from audit.services.seal import SEALER_LOCK
from cases.choices import Channel, EventKind, Outcome, Priority, State
from cases.models import Case, CaseEvent, Category, Complainant, ReferenceCounter
from cases.references import CHECK_ALPHABET, _value
from core import crypto
from demo import data
from demo.loaders.complaints import CATEGORY_WEIGHTS, CHANNEL_WEIGHTS, DELAYS, PROTECTED, WILAYA_WEIGHTS
from org.choices import Role, UnitKind
from org.models import Unit, User

GENERATED = "generated"
ACTOR_SUFFIX = " (generated)"
# Hour-of-day profile of complaints (0 h .. 23 h): quiet nights, late-morning and evening peaks.
HOURS = (2, 1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 10, 9, 9, 10, 10, 11, 11, 10, 8, 6, 4, 3)
# Share of complaints that stall in an open state whatever their age (the backlog of overdue cases).
STALL = 0.06
ANONYMOUS = 0.12
CHUNK = 20_000  # complaints per COPY batch (and per progress step)

CASE_COLUMNS = [
    "id",
    "reference",
    "tracking_code_enc",
    "tracking_code_hash",
    "channel",
    "external_reference",
    "category_id",
    "sensitivity",
    "description",
    "address",
    "latitude",
    "longitude",
    "priority",
    "state",
    "assigned_unit_id",
    "assigned_officer_id",
    "proposed_unit_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "state_entered_at",
    "state_due_at",
    "paused_state_remaining",
    "clock_budget",
    "clock_elapsed",
    "clock_running_since",
    "closure_due_at",
    "overdue",
    "escalation_level",
    "first_action_at",
    "prosecutor_office",
    "prosecutor_reference",
    "referred_at",
    "instructions_at",
    "outcome",
    "closed_at",
    "closed_within_deadline",
    "reopen_count",
    "version",
]
EVENT_COLUMNS = ["id", "case_id", "kind", "at", "actor_id", "transition", "from_state", "to_state", "note", "data"]
COMPLAINANT_COLUMNS = [
    "id",
    "case_id",
    "anonymous",
    "full_name_enc",
    "cnie_enc",
    "cnie_hash",
    "phone_enc",
    "phone_hash",
    "language",
]
AUDIT_COLUMNS = [
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "nonce",
    "entry_mac",
    "position",
    "prev_mac",
    "mac",
]
TABLES = {
    "case": Case._meta.db_table,
    "event": CaseEvent._meta.db_table,
    "complainant": Complainant._meta.db_table,
    "audit": AuditRecord._meta.db_table,
}


def _esc(value: str) -> str:
    """A text value in COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _ts(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat(" ")


def _n(value: Any) -> str:
    return "\\N" if value is None else str(value)


@dataclass
class Station:
    """A district complaints are placed in, with who works there."""

    unit_id: int
    lat: float
    lon: float
    prefix: str
    streets: tuple[str, ...]
    places: tuple[str, ...]
    desk: list[int]
    workers: list[int]
    chiefs: list[int]


@dataclass
class Cat:
    id: int
    code: str
    sensitivity: str
    to_inspectorate: bool
    first_action_h: int
    closure_days: int
    prosecutor: bool
    priority: str
    anonymous_ok: bool
    descriptions: list[str] = field(default_factory=list)
    channels: tuple[list[str], list[float]] = ([], [])


@dataclass
class Stats:
    cases: int = 0
    events: int = 0
    complainants: int = 0
    audit: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0


@dataclass
class Life:
    """What happened to one complaint: its acts (time, act, actor, extra) and where it stands."""

    acts: list[tuple[datetime, str, int | None, dict[str, Any]]]
    state: str
    state_entered: datetime
    officer: int | None
    outcome: str = ""
    referred_at: datetime | None = None
    instructions_at: datetime | None = None
    first_action_at: datetime | None = None
    closed_at: datetime | None = None
    paused: float = 0.0  # seconds the clock stood still before the current state


class HistoryGenerator:
    """Generate `cases` complaints over `years` years ending now, into the current database."""

    def __init__(
        self,
        *,
        cases: int,
        seed: int = 2026,
        years: int | None = None,
        audit: str = "create",
        rebuild_indexes: bool | None = None,
        progress: Callable[[int, int, float], None] | None = None,
    ) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_history writes with PostgreSQL COPY: run it against PostgreSQL.")
        self.total = cases
        self.rng = random.Random(seed)
        # A reference number has six digits: keep every (wilaya, year) under a million.
        self.years = years or max(1, math.ceil(cases / 2_500_000))
        self.audit = audit
        self.rebuild_indexes = cases >= 200_000 if rebuild_indexes is None else rebuild_indexes
        self.progress = progress
        self.now = timezone.now().astimezone(UTC).replace(microsecond=0)
        self.key = audit_key()
        self.stats = Stats()
        self._ref_base: dict[tuple[str, int], int] = {}

    # ------------------------------------------------------------ set-up

    def _load_reference_data(self) -> None:
        units = {u.id: u for u in Unit.objects.all()}
        by_code = {u.code: u for u in units.values()}
        inspectorate = next((u for u in units.values() if u.kind == UnitKind.INSPECTORATE), None)
        if inspectorate is None or not any(u.kind == UnitKind.DISTRICT for u in units.values()):
            raise RuntimeError("No demo organisation: run `manage.py load_demo` first.")
        members: dict[int, dict[str, list[int]]] = {}
        for user_id, unit_id, roles in User.objects.filter(is_active=True, unit__isnull=False).values_list(
            "id", "unit_id", "roles"
        ):
            slot = members.setdefault(unit_id, {"desk": [], "workers": [], "chiefs": []})
            if Role.FRONT_DESK in roles:
                slot["desk"].append(user_id)
            if Role.INVESTIGATOR in roles:
                slot["workers"].append(user_id)
            if Role.UNIT_CHIEF in roles:
                slot["chiefs"].append(user_id)
        self.portal = User.objects.filter(roles__contains=[Role.PORTAL]).values_list("id", flat=True).first()
        self.users = dict(User.objects.values_list("id", "username"))

        def wilaya_prefix(unit: Unit) -> str:
            for uid in [int(p) for p in unit.path.strip("/").split("/") if p]:
                if units[uid].kind == UnitKind.WILAYA:
                    return units[uid].reference_prefix
            return unit.reference_prefix

        self.stations: list[Station] = []
        weights: list[float] = []
        for wilaya in data.WILAYAS:
            for area in wilaya.areas:
                for district in area.districts:
                    unit = by_code.get(district.code)
                    if unit is None:
                        continue
                    m = members.get(unit.id, {"desk": [], "workers": [], "chiefs": []})
                    chiefs = m["chiefs"] or members.get(unit.parent_id or 0, {}).get("chiefs", [])
                    self.stations.append(
                        Station(
                            unit_id=unit.id,
                            lat=district.lat,
                            lon=district.lon,
                            prefix=wilaya_prefix(unit),
                            streets=tuple(ar for ar, _fr in district.streets) or (district.name_ar,),
                            places=(district.name_ar.replace("الدائرة الأمنية ", ""),),
                            desk=m["desk"] or chiefs,
                            workers=m["workers"] or chiefs,
                            chiefs=chiefs,
                        )
                    )
                    # Busier districts first within a wilaya (a gentle Zipf).
                    rank = len([s for s in self.stations if s.prefix == self.stations[-1].prefix])
                    weights.append(WILAYA_WEIGHTS.get(self.stations[-1].prefix, 1.0) / (rank**0.5))
        if not self.stations:
            raise RuntimeError("No demo district found: run `manage.py load_demo` first.")
        self.station_cum = list(itertools.accumulate(weights))
        inspect = members.get(inspectorate.id, {"desk": [], "workers": [], "chiefs": []})
        self.inspectorate = (inspectorate.id, inspect["workers"] or inspect["chiefs"], inspect["chiefs"])

        self.cats: list[Cat] = []
        cat_weights: list[float] = []
        for c in Category.objects.filter(active=True).order_by("code"):
            key = "protected" if c.code in PROTECTED else c.code
            channels = CHANNEL_WEIGHTS.get(key, CHANNEL_WEIGHTS["default"])
            templates = data.DESCRIPTIONS.get(c.code) or data.DESCRIPTIONS.get("theft") or (("{place}", "{place}"),)
            cat = Cat(
                id=c.id,
                code=c.code,
                sensitivity=c.sensitivity,
                to_inspectorate=c.route_to == "inspectorate",
                first_action_h=c.first_action_hours,
                closure_days=c.closure_days,
                prosecutor=c.prosecutor_mandatory,
                priority=c.default_priority,
                anonymous_ok=c.allows_anonymous,
                channels=(list(channels), list(itertools.accumulate(channels.values()))),
            )
            for ar, _fr in templates:
                cat.descriptions.append(ar)
            self.cats.append(cat)
            cat_weights.append(CATEGORY_WEIGHTS.get(c.code, 2))
        self.cat_cum = list(itertools.accumulate(cat_weights))
        self._people()

    def _people(self) -> None:
        """A population of complainants (encrypted once each): some complain several times."""
        size = max(50, min(self.total // 3, 100_000))
        rng = self.rng
        self.population: list[tuple[str, str, str, str, str]] = []
        for i in range(size):
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
            prefix = rng.choice(("A", "AB", "BE", "BH", "C", "E", "J", "K"))
            cnie = f"{prefix}{100000 + i * 7 % 900000}"
            phone = f"+2126{rng.randrange(10_000_000, 99_999_999)}"
            self.population.append(
                (
                    crypto.encrypt(name),
                    crypto.encrypt(cnie),
                    crypto.keyed_hash("cnie", cnie),
                    crypto.encrypt(phone),
                    crypto.keyed_hash("phone", phone),
                )
            )

    def _ids(self) -> None:
        with connection.cursor() as cur:
            self.next_id: dict[str, int] = {}
            for name, table in TABLES.items():
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model table names)
                self.next_id[name] = cur.fetchone()[0] + 1
        self.counters = {(r.prefix, r.year): r.last for r in ReferenceCounter.objects.all()}

    # ------------------------------------------------------------ time

    def _days(self) -> Iterator[tuple[datetime, int]]:
        """(midnight UTC, complaints that day), oldest first, summing exactly to the total."""
        end = self.now.replace(hour=0, minute=0, second=0)
        n_days = 365 * self.years
        start = end - timedelta(days=n_days - 1)
        weights = []
        for d in range(n_days):
            day = start + timedelta(days=d)
            doy = day.timetuple().tm_yday
            season = 1 + 0.18 * math.sin(2 * math.pi * (doy - 110) / 365)  # summer peak
            weekday = 0.85 if day.weekday() == 6 else 1.0  # quieter Sundays
            growth = 1 + 0.08 * d / 365  # more each year
            weights.append(season * weekday * growth)
        scale = self.total / sum(weights)
        carry = 0.0
        given = 0
        for d, w in enumerate(weights):
            carry += w * scale
            count = int(carry) if d < n_days - 1 else self.total - given
            carry -= count
            given += count
            yield start + timedelta(days=d), count

    # ------------------------------------------------------------ one complaint

    def _delay(self, act: str) -> timedelta:
        lo, hi = DELAYS[act]
        return timedelta(hours=self.rng.uniform(lo, hi))

    def _life(self, cat: Cat, created: datetime, workers: list[int], chiefs: list[int]) -> Life:
        rng, now = self.rng, self.now
        officer = rng.choice(workers) if workers else None
        chief = rng.choice(chiefs) if chiefs else officer
        life = Life(acts=[], state=State.RECEIVED, state_entered=created, officer=None)
        stall_at = rng.randrange(1, 6) if rng.random() < STALL else 99
        t = created
        steps: list[tuple[str, str | None]] = [("assign", None), ("qualify", State.QUALIFIED)]
        steps.append(("investigate", State.UNDER_INVESTIGATION))
        if rng.random() < 0.2:
            steps.append(("note", None))
        if rng.random() < 0.1:
            steps += [
                ("request_information", State.AWAITING_COMPLAINANT),
                ("information_received", State.UNDER_INVESTIGATION),
            ]
        if cat.prosecutor or rng.random() < 0.12:
            steps += [("refer", State.REFERRED), ("record_instructions", State.INSTRUCTIONS_RECEIVED)]
        steps.append(("close", State.CLOSED))
        for n, (act, to_state) in enumerate(steps, start=1):
            if n >= stall_at:
                break
            t = t + self._delay(act)
            if t > now:
                break
            actor = chief if act in ("assign", "close") else officer
            extra: dict[str, Any] = {}
            if act == "assign":
                life.officer = officer
                extra = {"officer": officer}
            elif act == "close":
                life.outcome = rng.choices(
                    (Outcome.SOLVED, Outcome.UNFOUNDED, Outcome.WITHDRAWN, Outcome.REFERRED_COMPETENT), (55, 20, 15, 10)
                )[0]
                extra = {"outcome": life.outcome}
            elif act == "refer":
                life.referred_at = t
                extra = {"prosecutor_reference": f"{rng.randrange(1, 9999)}/{t.year}"}
            elif act == "record_instructions":
                life.instructions_at = t
            if to_state is not None:
                if life.state in (State.AWAITING_COMPLAINANT, State.REFERRED):
                    life.paused += (t - life.state_entered).total_seconds()
                if life.first_action_at is None:
                    life.first_action_at = t
                life.acts.append((t, act, actor, {"from": life.state, "to": to_state, **extra}))
                life.state, life.state_entered = to_state, t
            else:
                life.acts.append((t, act, actor, extra))
        if life.state == State.CLOSED:
            life.closed_at = life.state_entered
        return life

    # ------------------------------------------------------------ rows

    def _reference(self, prefix: str, year: int, number: int) -> str:
        """`cases.references.format_reference`, with the check sum of prefix and year computed once."""
        base = self._ref_base.get((prefix, year))
        if base is None:
            head = f"{prefix}{year:04d}"
            base = self._ref_base[(prefix, year)] = sum((i + 1) * _value(c) for i, c in enumerate(head))
        digits = f"{number:06d}"
        total = base + sum((8 + i) * (ord(c) - 48) for i, c in enumerate(digits))
        return f"{prefix}-{year:04d}-{digits}-{CHECK_ALPHABET[total % 23]}"

    def _generate(self, buffers: dict[str, io.StringIO], created: datetime) -> None:
        rng = self.rng
        cat = self.cats[bisect.bisect(self.cat_cum, rng.random() * self.cat_cum[-1])]
        station = self.stations[bisect.bisect(self.station_cum, rng.random() * self.station_cum[-1])]
        channels, cum = cat.channels
        channel = channels[bisect.bisect(cum, rng.random() * cum[-1])]
        if cat.to_inspectorate:
            unit_id, workers, chiefs = self.inspectorate
        else:
            unit_id, workers, chiefs = station.unit_id, station.workers, station.chiefs
        registrar = (
            self.portal
            if channel == Channel.ONLINE and self.portal
            else (rng.choice(station.desk) if station.desk else None)
        )
        life = self._life(cat, created, workers, chiefs)
        year = created.year
        number = self.counters.get((station.prefix, year), 0) + 1
        self.counters[(station.prefix, year)] = number
        reference = self._reference(station.prefix, year, number)
        case_id = self.next_id["case"]
        self.next_id["case"] += 1
        if rng.random() < 0.9:
            lat = round(station.lat + rng.gauss(0, 0.008), 6)
            lon = round(station.lon + rng.gauss(0, 0.009), 6)
            street = rng.choice(station.streets)
        else:
            lat = lon = None
            street = ""
        description = _esc(
            rng.choice(cat.descriptions).format(
                place=station.places[0],
                street=street or station.places[0],
                when=rng.choice(data.TIMES)[0],
                item=rng.choice(data.ITEMS)[0],
                amount=rng.randrange(2, 60) * 1000,
            )
        )
        priority = cat.priority if rng.random() < 0.85 else rng.choice(Priority.values)
        budget = cat.closure_days * 86400
        state = life.state
        closure_due = created + timedelta(days=cat.closure_days)
        running = state not in (State.AWAITING_COMPLAINANT, State.REFERRED, State.CLOSED)
        until = self.now if running else (life.closed_at or life.state_entered)
        elapsed_before = max(0, int((life.state_entered - created).total_seconds() - life.paused))
        state_due = None
        if state == State.RECEIVED:
            state_due = life.state_entered + timedelta(hours=cat.first_action_h)
        elif state == State.QUALIFIED:
            state_due = life.state_entered + timedelta(hours=max(cat.first_action_h, 24))
        elif state == State.UNDER_INVESTIGATION:
            state_due = life.state_entered + timedelta(days=cat.closure_days)
        elif state == State.INSTRUCTIONS_RECEIVED:
            state_due = life.state_entered + timedelta(days=max(cat.closure_days // 2, 2))
        overdue = running and ((state_due is not None and state_due < self.now) or closure_due < self.now)
        late_days = (self.now - min(d for d in (state_due, closure_due) if d is not None)).days if overdue else 0
        escalation = 0 if not overdue else (3 if late_days > 30 else 2 if late_days > 7 else 1)
        total_elapsed = max(0, int((until - created).total_seconds() - life.paused))
        prosecutor_ref = next((a[3]["prosecutor_reference"] for a in life.acts if a[1] == "refer"), "")
        officer = life.officer
        version = 1 + len(life.acts)
        buffers["case"].write(
            "\t".join(
                (
                    str(case_id),
                    reference,
                    "",
                    GENERATED,
                    channel,
                    "",
                    str(cat.id),
                    cat.sensitivity,
                    description,
                    _esc(street),
                    _n(lat),
                    _n(lon),
                    priority,
                    state,
                    str(unit_id),
                    _n(officer),
                    str(station.unit_id if not cat.to_inspectorate else unit_id),
                    _n(registrar),
                    _ts(created),
                    _ts(life.acts[-1][0] if life.acts else created),
                    _ts(life.state_entered),
                    _ts(state_due),
                    "\\N",
                    str(budget),
                    str(elapsed_before if running else total_elapsed),
                    _ts(life.state_entered if running else None),
                    _ts(closure_due if running else None),
                    "t" if overdue else "f",
                    str(escalation),
                    _ts(life.first_action_at),
                    "",
                    prosecutor_ref,
                    _ts(life.referred_at),
                    _ts(life.instructions_at),
                    life.outcome,
                    _ts(life.closed_at),
                    "\\N" if life.closed_at is None else ("t" if total_elapsed <= budget else "f"),
                    "0",
                    str(version),
                )
            )
            + "\n"
        )
        # The complainant.
        anonymous = cat.anonymous_ok and rng.random() < ANONYMOUS
        # Skewed draw: the first people of the population complain more often.
        person = ("", "", "", "", "") if anonymous else self.population[int(len(self.population) * rng.random() ** 1.6)]
        cid = self.next_id["complainant"]
        self.next_id["complainant"] += 1
        buffers["complainant"].write(
            f"{cid}\t{case_id}\t{'t' if anonymous else 'f'}\t{person[0]}\t{person[1]}\t{person[2]}\t"
            f"{person[3]}\t{person[4]}\t{'ar' if rng.random() < 0.8 else 'fr'}\n"
        )
        # The timeline, and an audit record for each act.
        routing = {"proposed_unit": station.unit_id if not cat.to_inspectorate else unit_id, "assigned_unit": unit_id}
        self._event(buffers, case_id, EventKind.CREATED, created, registrar, "", "", State.RECEIVED, "", routing)
        snap = {
            "reference": reference,
            "state": State.RECEIVED,
            "category": cat.id,
            "priority": priority,
            "assigned_unit": unit_id,
            "assigned_officer": None,
            "outcome": "",
            "prosecutor_office": "",
            "prosecutor_reference": "",
            "version": 1,
        }
        self._audit(
            buffers, created, registrar, "case.create", case_id, None,
            {**snap, "channel": channel, "anonymous": anonymous, **routing},
        )  # fmt: skip
        if channel in (Channel.COUNTER, Channel.DUTY) and rng.random() < 0.3:
            at = created + timedelta(minutes=rng.uniform(1, 15))
            if at <= self.now:
                self._event(buffers, case_id, EventKind.RECEIPT, at, registrar, "", "", "", "", {})
        for at, act, actor, extra in life.acts:
            before = dict(snap)
            snap["version"] += 1
            if act == "assign":
                snap["assigned_officer"] = extra["officer"]
                self._event(
                    buffers, case_id, EventKind.ASSIGNMENT, at, actor, "", "", "", "", {"officer": extra["officer"]}
                )
                self._audit(buffers, at, actor, "case.assign", case_id, before, dict(snap))
            elif act == "note":
                self._event(
                    buffers, case_id, EventKind.NOTE, at, actor, "", "", "", _esc(rng.choice(data.NOTES)[0]), {}
                )
            else:
                snap["state"] = extra["to"]
                snap["outcome"] = extra.get("outcome", snap["outcome"])
                snap["prosecutor_reference"] = extra.get("prosecutor_reference", snap["prosecutor_reference"])
                self._event(buffers, case_id, EventKind.TRANSITION, at, actor, act, extra["from"], extra["to"], "", {})
                self._audit(buffers, at, actor, f"case.{act}", case_id, before, dict(snap))

    def _event(
        self, buffers: dict[str, io.StringIO], case_id: int, kind: str, at: datetime, actor: int | None,
        transition: str, from_state: str, to_state: str, note: str, payload: dict[str, Any],
    ) -> None:  # fmt: skip
        eid = self.next_id["event"]
        self.next_id["event"] += 1
        buffers["event"].write(
            f"{eid}\t{case_id}\t{kind}\t{_ts(at)}\t{_n(actor)}\t{transition}\t{from_state}\t{to_state}\t{note}\t"
            f"{_esc(json.dumps(payload)) if payload else '{}'}\n"
        )

    def _audit(
        self, buffers: dict[str, io.StringIO], at: datetime, actor: int | None, action: str, case_id: int,
        before: dict[str, Any] | None, after: dict[str, Any],
    ) -> None:  # fmt: skip
        if self.audit == "none" or (self.audit == "create" and action != "case.create"):
            return
        label = (self.users.get(actor, "") if actor else "system") + ACTOR_SUFFIX
        nonce = f"{self.rng.getrandbits(96):024x}"
        # `audit.chain.canonical` of `record_content(...)`, spelt out: the values here are plain
        # strings, integers, booleans and None, so the general normalisation is not needed (a test
        # checks that audit_verify accepts the result).
        content = {
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "actor_label": label,
            "action": action,
            "object": f"cases.case:{case_id}",
            "before": before,
            "after": after,
            "nonce": nonce,
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        entry = hmac.new(self.key, ENTRY_DOMAIN + canonical, hashlib.sha256).hexdigest()
        self.position += 1
        mac = chain_mac(self.key, self.head, self.position, entry)
        aid = self.next_id["audit"]
        self.next_id["audit"] += 1
        buffers["audit"].write(
            f"{aid}\t{_ts(at)}\t{_n(actor)}\t{_esc(label)}\t{action}\tcases.case\t{case_id}\t"
            f"{_esc(json.dumps(before)) if before is not None else chr(92) + 'N'}\t{_esc(json.dumps(after))}\t"
            f"{nonce}\t{entry}\t{self.position}\t{self.head}\t{mac}\n"
        )
        self.head = mac

    # ------------------------------------------------------------ writing

    def _secondary_indexes(self) -> list[tuple[str, str]]:
        """(name, definition) of the indexes of the loaded tables that no constraint owns."""
        with connection.cursor() as cur:
            cur.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [list(TABLES.values())],
            )
            return list(cur.fetchall())

    def run(self) -> Stats:
        started = time.monotonic()
        # Nothing pending may be sealed after our rows with positions taken before them.
        seal_pending(limit=10**9, checkpoint=False)
        self._load_reference_data()
        self._ids()
        last = AuditRecord.objects.filter(position__isnull=False).order_by("-position").values_list("position", "mac")
        row = last.first()
        self.position, self.head = (row[0], row[1]) if row else (0, GENESIS)
        dropped: list[tuple[str, str]] = []
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            self.superuser = bool(cur.fetchone()[0])
            # The sealer waits while generated records take the next positions.
            cur.execute("SELECT pg_advisory_lock(%s)", [SEALER_LOCK])
        try:
            if self.rebuild_indexes:
                dropped = self._secondary_indexes()
                with connection.cursor() as cur:
                    for name, _definition in dropped:
                        cur.execute(f'DROP INDEX IF EXISTS "{name}"')
            self._write_all()
            index_started = time.monotonic()
            with connection.cursor() as cur:
                cur.execute("SET maintenance_work_mem = '512MB'")
                for _name, definition in dropped:
                    cur.execute(definition)
                dropped = []
                # VACUUM (outside a transaction) also sets the visibility map, without which the
                # capped counts could not be index-only scans; inside one (the tests), ANALYZE.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for table in TABLES.values():
                    cur.execute(f"{verb} {table}")
            self.stats.index_seconds = time.monotonic() - index_started
        finally:
            with connection.cursor() as cur:
                for _name, definition in dropped:  # a failure half-way still gets its indexes back
                    cur.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
                cur.execute("SELECT pg_advisory_unlock(%s)", [SEALER_LOCK])
        if self.stats.audit:
            append_checkpoint(position=self.position, head=self.head, force=True)
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def _write_all(self) -> None:
        done = 0
        buffers = {name: io.StringIO() for name in TABLES}
        pending = 0
        # Outside a transaction, a second connection writes one batch while this one builds the
        # next (psycopg waits for the server without holding the GIL): about twice as fast.
        # Inside one (the tests), batches are written in it, in turn.
        writer = None if connection.in_atomic_block else _Writer(self)
        if writer is not None:
            writer.start()

        def flush() -> None:
            nonlocal pending, buffers
            texts = {name: buffers[name].getvalue() for name in TABLES}
            self.stats.events += texts["event"].count("\n")
            self.stats.audit += texts["audit"].count("\n")
            if writer is not None:
                writer.put(texts)
            else:
                with connection.cursor() as cur:
                    self._copy_batch(cur.cursor, texts)
            buffers = {name: io.StringIO() for name in TABLES}
            pending = 0

        hours_cum = list(itertools.accumulate(HOURS))
        try:
            for day, count in self._days():
                seconds = sorted(
                    bisect.bisect(hours_cum, self.rng.random() * hours_cum[-1]) * 3600 + self.rng.randrange(3600)
                    for _ in range(count)
                )
                for s in seconds:
                    created = day + timedelta(seconds=s, microseconds=self.rng.randrange(1_000_000))
                    if created > self.now:
                        created = self.now - timedelta(seconds=self.rng.randrange(1, 3600))
                    self._generate(buffers, created)
                    pending += 1
                    done += 1
                    if pending >= CHUNK:
                        flush()
                        if self.progress:
                            self.progress(done, self.total, time.monotonic())
            flush()
        finally:
            if writer is not None:
                writer.finish()
            # Whatever was written (all, or what an interruption left) keeps its numbers and ids:
            # the next intake continues after them.
            with connection.cursor() as cur:
                self._save_counters(cur)
                for table in TABLES.values():
                    cur.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 (model table names)
                    last = cur.fetchone()[0]
                    if last:
                        cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
        if self.progress:
            self.progress(done, self.total, time.monotonic())
        self.stats.cases = done
        self.stats.complainants = done

    def _copy_batch(self, cur: Any, texts: dict[str, str]) -> None:
        for name, columns in (
            ("case", CASE_COLUMNS),
            ("complainant", COMPLAINANT_COLUMNS),
            ("event", EVENT_COLUMNS),
            ("audit", AUDIT_COLUMNS),
        ):
            if texts[name]:
                cols = ", ".join(connection.ops.quote_name(c) for c in columns)
                with cur.copy(f"COPY {TABLES[name]} ({cols}) FROM STDIN") as copy:
                    copy.write(texts[name])

    # ------------------------------------------------------------ line 19

    def generate_calls(self, calls: int) -> int:
        """`calls` past line-19 calls, each its own closed incident, over the same years, with the
        response times of the demo (no patrol named: generated calls carry no assignment). Marked
        by the caller-number hash `generated`. Call after `run` (it reuses its stations)."""
        from emergency.choices import CallState, IncidentState, InterventionOutcome
        from emergency.models import Call, CallCategory, Incident

        if not calls:
            return 0
        categories = list(CallCategory.objects.filter(active=True).values_list("id", "group", "base_priority"))
        if not categories:
            raise RuntimeError("No line-19 call categories: migrate first.")
        units = unit_tree_by_code()
        rng = self.rng
        tables = (Incident._meta.db_table, Call._meta.db_table)
        with connection.cursor() as cur:
            next_ids = []
            for table in tables:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model table names)
                next_ids.append(cur.fetchone()[0] + 1)
        incident_id, call_id = next_ids
        span = timedelta(days=365 * self.years)
        outcomes = InterventionOutcome.values
        done = 0
        while done < calls:
            batch = min(CHUNK, calls - done)
            incidents, rows = io.StringIO(), io.StringIO()
            for _ in range(batch):
                station = self.stations[bisect.bisect(self.station_cum, rng.random() * self.station_cum[-1])]
                district = units["id"][station.unit_id]
                area_id = district.parent_id
                wilaya_id = units["wilaya"][station.unit_id]
                cat_id, group, priority = rng.choice(categories)
                received = self.now - span * rng.random()
                triaged = received + timedelta(seconds=rng.uniform(30, 150))
                dispatched = triaged + timedelta(seconds=rng.uniform(40, 400))
                en_route = dispatched + timedelta(seconds=rng.uniform(10, 90))
                on_scene = en_route + timedelta(seconds=rng.uniform(240, 1200))
                resolved = on_scene + timedelta(seconds=rng.uniform(300, 2400))
                closed = resolved + timedelta(seconds=rng.uniform(60, 600))
                lat = round(station.lat + rng.gauss(0, 0.008), 6)
                lon = round(station.lon + rng.gauss(0, 0.009), 6)
                street = _esc(rng.choice(station.streets))
                stamps = "\t".join(
                    _ts(t) for t in (received, triaged, dispatched, en_route, on_scene, resolved, closed)
                )
                year = received.year
                prefix = station.prefix
                incidents.write(
                    f"{incident_id}\t{stamps}\t{prefix}-19-{year}-{incident_id:06d}\t{cat_id}\t{group}\t{priority}\t"
                    f"{IncidentState.CLOSED}\t{wilaya_id}\t{_n(area_id)}\t{district.pk}\t{lat}\t{lon}\t{street}\t\t"
                    f"\\N\t{rng.choice(outcomes)}\t\t\\N\t1\t{_ts(received)}\t\\N\t1\n"
                )
                rows.write(
                    f"{call_id}\t{stamps}\t{prefix}-C-{year}-{call_id:07d}\t{incident_id}\t{wilaya_id}\t\t{GENERATED}\t"
                    f"ar\t{cat_id}\t{{}}\t{priority}\t\t{street}\t{lat}\t{lon}\t{CallState.CLOSED}\t\\N\t\\N\n"
                )
                incident_id += 1
                call_id += 1
            with connection.cursor() as cur:
                for table, columns, text in (
                    (tables[0], INCIDENT_COLUMNS, incidents.getvalue()),
                    (tables[1], CALL_COLUMNS, rows.getvalue()),
                ):
                    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
                    with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        copy.write(text)
            done += batch
        with connection.cursor() as cur:
            for table in tables:
                sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                cur.execute(sql, [table])
        return done

    def _save_counters(self, cur: Any) -> None:
        table = ReferenceCounter._meta.db_table
        cur.executemany(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, %s) "  # noqa: S608 (model table name)
            "ON CONFLICT (prefix, year) DO UPDATE SET last = GREATEST(EXCLUDED.last, " + table + ".last)",
            [(p, y, last) for (p, y), last in self.counters.items()],
        )


TIMESTAMP_COLUMNS = [
    "received_at",
    "triaged_at",
    "dispatched_at",
    "en_route_at",
    "on_scene_at",
    "resolved_at",
    "closed_at",
]
INCIDENT_COLUMNS = [
    "id", *TIMESTAMP_COLUMNS, "reference", "category_id", "group", "priority", "state", "wilaya_id", "area_id",
    "district_id", "latitude", "longitude", "address", "description", "patrol_id", "outcome", "outcome_note", "case_id",
    "call_count", "last_call_at", "created_by_id", "version",
]  # fmt: skip
CALL_COLUMNS = [
    "id", *TIMESTAMP_COLUMNS, "reference", "incident_id", "wilaya_id", "caller_number_enc", "caller_number_hash",
    "language", "category_id", "answers", "priority", "description", "address", "latitude", "longitude", "state",
    "received_by_id", "case_id",
]  # fmt: skip


def unit_tree_by_code() -> dict[str, dict[int, Any]]:
    """Units by id, and the wilaya id of every unit (from the materialised path)."""
    units = {u.pk: u for u in Unit.objects.all()}
    wilaya: dict[int, int] = {}
    for u in units.values():
        ids = [int(p) for p in u.path.strip("/").split("/") if p]
        wilaya[u.pk] = next((i for i in ids if units[i].kind == UnitKind.WILAYA), u.pk)
    return {"id": units, "wilaya": wilaya}


class _Writer(threading.Thread):
    """Writes the batches it is handed on a connection of its own, each batch in one transaction."""

    def __init__(self, generator: HistoryGenerator) -> None:
        super().__init__(name="generate-history-writer", daemon=True)
        self.generator = generator
        self.batches: queue.Queue[dict[str, str] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        s = connection.settings_dict
        self.conn = psycopg.connect(
            dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or None
        )
        self.superuser = generator.superuser

    def put(self, texts: dict[str, str]) -> None:
        if self.error is not None:
            raise RuntimeError("writing the generated history failed") from self.error
        self.batches.put(texts)

    def run(self) -> None:
        while (texts := self.batches.get()) is not None:
            if self.error is not None:
                continue
            try:
                with self.conn.transaction(), self.conn.cursor() as cur:
                    cur.execute("SET LOCAL synchronous_commit = off")
                    if self.superuser:
                        # Rows are consistent by construction: no per-row foreign-key trigger.
                        cur.execute("SET LOCAL session_replication_role = replica")
                    self.generator._copy_batch(cur, texts)
            except BaseException as exc:  # reported to the generating thread
                self.error = exc

    def finish(self) -> None:
        self.batches.put(None)
        self.join()
        self.conn.close()
        if self.error is not None:
            raise RuntimeError("writing the generated history failed") from self.error


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int, float], None]:
    """A one-line progress bar with rate and time left."""
    started = time.monotonic()

    def show(done: int, total: int, now: float) -> None:
        elapsed = max(now - started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / max(total, 1))
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>11,}/{total:,} complaints "
            f"{rate:,.0f}/s, {elapsed:,.0f} s, ~{left:,.0f} s left "
        )
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
