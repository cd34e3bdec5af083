"""The rows of one generated complaint: the case, its complainant, its timeline and the audit record
of every act, keyed and chained as the sealer does."""

from __future__ import annotations

import bisect
import hashlib
import hmac
import io
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from audit.chain import _ENTRY as ENTRY_DOMAIN
from audit.chain import chain_mac
from cases.choices import Channel, EventKind, Priority, State
from cases.references import CHECK_ALPHABET, _value
from demo import data
from demo.history.columns import ACTOR_SUFFIX, GENERATED, esc, opt, ts
from demo.history.lives import STALL, Life, draw_life
from demo.history.reference import Cat, Person, Station, load_categories, load_stations, make_population, unit_members
from org.choices import Role, UnitKind
from org.models import Unit, User

ANONYMOUS = 0.12


@dataclass
class Draft:
    """One complaint as drawn, before its rows are written."""

    case_id: int
    reference: str
    created: datetime
    cat: Cat
    station: Station
    channel: str
    unit_id: int
    registrar: int | None
    life: Life
    street: str
    lat: float | None
    lon: float | None
    description: str
    priority: str

    @property
    def proposed_unit(self) -> int:
        return self.station.unit_id if not self.cat.to_inspectorate else self.unit_id


class Clock(NamedTuple):
    """Where the complaint's deadlines stand now."""

    budget: int
    running: bool
    state_due: datetime | None
    closure_due: datetime
    overdue: bool
    escalation: int
    elapsed_before: int
    total_elapsed: int


def clock(d: Draft, now: datetime) -> Clock:
    cat, life, created, state = d.cat, d.life, d.created, d.life.state
    closure_due = created + timedelta(days=cat.closure_days)
    running = state not in (State.AWAITING_COMPLAINANT, State.REFERRED, State.CLOSED)
    until = now if running else (life.closed_at or life.state_entered)
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
    overdue = running and ((state_due is not None and state_due < now) or closure_due < now)
    late_days = (now - min(due for due in (state_due, closure_due) if due is not None)).days if overdue else 0
    escalation = 0 if not overdue else (3 if late_days > 30 else 2 if late_days > 7 else 1)
    total_elapsed = max(0, int((until - created).total_seconds() - life.paused))
    return Clock(
        cat.closure_days * 86400, running, state_due, closure_due, overdue, escalation, elapsed_before, total_elapsed
    )


def case_line(d: Draft, c: Clock) -> str:
    """The case row, in COPY's text format."""
    life = d.life
    prosecutor_ref = next((a[3]["prosecutor_reference"] for a in life.acts if a[1] == "refer"), "")
    fields = (
        str(d.case_id),
        d.reference,
        "",
        GENERATED,
        d.channel,
        "",
        str(d.cat.id),
        d.cat.sensitivity,
        d.description,
        esc(d.street),
        opt(d.lat),
        opt(d.lon),
        d.priority,
        life.state,
        str(d.unit_id),
        opt(life.officer),
        str(d.proposed_unit),
        opt(d.registrar),
        ts(d.created),
        ts(life.acts[-1][0] if life.acts else d.created),
        ts(life.state_entered),
        ts(c.state_due),
        "\\N",
        str(c.budget),
        str(c.elapsed_before if c.running else c.total_elapsed),
        ts(life.state_entered if c.running else None),
        ts(c.closure_due if c.running else None),
        "t" if c.overdue else "f",
        str(c.escalation),
        ts(life.first_action_at),
        "",
        prosecutor_ref,
        ts(life.referred_at),
        ts(life.instructions_at),
        life.outcome,
        ts(life.closed_at),
        "\\N" if life.closed_at is None else ("t" if c.total_elapsed <= c.budget else "f"),
        "0",
        str(1 + len(life.acts)),
        "",
    )
    return "\t".join(fields) + "\n"


class CaseRows:
    """Writes the rows of generated complaints into per-table buffers (mixed into the generator)."""

    rng: random.Random
    now: datetime
    total: int
    stall: float = STALL  # share of complaints that stall open
    audit: str
    key: bytes
    position: int
    head: str
    users: dict[int, str]
    portal: int | None
    stations: list[Station]
    station_cum: list[float]
    inspectorate: tuple[int, list[int], list[int]]
    cats: list[Cat]
    cat_cum: list[float]
    population: list[Person]
    counters: dict[tuple[str, int], int]
    next_id: dict[str, int]
    _ref_base: dict[tuple[str, int], int]

    def load_reference_data(self) -> None:
        """The districts with who works there, the Inspectorate, the categories and the population."""
        units = {u.id: u for u in Unit.objects.all()}
        inspectorate = next((u for u in units.values() if u.kind == UnitKind.INSPECTORATE), None)
        if inspectorate is None or not any(u.kind == UnitKind.DISTRICT for u in units.values()):
            raise RuntimeError("No demo organisation: run `manage.py load_demo` first.")
        members = unit_members()
        accounts = list(User.objects.values_list("id", "username", "roles"))
        self.portal = next((pk for pk, _name, roles in accounts if Role.PORTAL in roles), None)
        self.users = {pk: name for pk, name, _roles in accounts}
        self.stations, self.station_cum = load_stations(units, members)
        if not self.stations:
            raise RuntimeError("No demo district found: run `manage.py load_demo` first.")
        inspect = members.get(inspectorate.id, {"desk": [], "workers": [], "chiefs": []})
        self.inspectorate = (inspectorate.id, inspect["workers"] or inspect["chiefs"], inspect["chiefs"])
        self.cats, self.cat_cum = load_categories()
        self.population = make_population(self.rng, self.total)

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
        draft = self._draft(created)
        buffers["case"].write(case_line(draft, clock(draft, self.now)))
        anonymous = self._complainant(buffers, draft)
        self._timeline(buffers, draft, anonymous)

    def _draft(self, created: datetime) -> Draft:
        """Draw a complaint: category, district, channel, who handles it, its life, place and text."""
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
        life = draw_life(rng, self.now, cat, created, workers, chiefs, self.stall)
        year = created.year
        number = self.counters.get((station.prefix, year), 0) + 1
        self.counters[(station.prefix, year)] = number
        reference = self._reference(station.prefix, year, number)
        case_id = self.next_id["case"]
        self.next_id["case"] += 1
        lat, lon, street = self._place(station)
        description = esc(
            rng.choice(cat.descriptions).format(
                place=station.places[0],
                street=street or station.places[0],
                when=rng.choice(data.TIMES)[0],
                item=rng.choice(data.ITEMS)[0],
                amount=rng.randrange(2, 60) * 1000,
            )
        )
        priority = cat.priority if rng.random() < 0.85 else rng.choice(Priority.values)
        return Draft(
            case_id, reference, created, cat, station, channel, unit_id, registrar, life, street, lat, lon,
            description, priority,
        )  # fmt: skip

    def _place(self, station: Station) -> tuple[float | None, float | None, str]:
        """Where it happened: around the district's station, one complaint in ten without a place."""
        rng = self.rng
        if rng.random() < 0.9:
            return (
                round(station.lat + rng.gauss(0, 0.008), 6),
                round(station.lon + rng.gauss(0, 0.009), 6),
                (rng.choice(station.streets)),
            )
        return None, None, ""

    def _complainant(self, buffers: dict[str, io.StringIO], d: Draft) -> bool:
        """Write the complainant of the complaint; whether anonymous."""
        rng = self.rng
        anonymous = d.cat.anonymous_ok and rng.random() < ANONYMOUS
        # Skewed draw: the first people of the population complain more often.
        person = ("", "", "", "", "") if anonymous else self.population[int(len(self.population) * rng.random() ** 1.6)]
        cid = self.next_id["complainant"]
        self.next_id["complainant"] += 1
        buffers["complainant"].write(
            f"{cid}\t{d.case_id}\t{'t' if anonymous else 'f'}\t{person[0]}\t{person[1]}\t{person[2]}\t"
            f"{person[3]}\t{person[4]}\t{'ar' if rng.random() < 0.8 else 'fr'}\t\tf\t\n"
        )
        return anonymous

    def _timeline(self, buffers: dict[str, io.StringIO], d: Draft, anonymous: bool) -> None:
        """The timeline of the complaint, and an audit record for each act."""
        rng, case_id, created, registrar = self.rng, d.case_id, d.created, d.registrar
        routing = {"proposed_unit": d.proposed_unit, "assigned_unit": d.unit_id}
        self._event(buffers, case_id, EventKind.CREATED, created, registrar, "", "", State.RECEIVED, "", routing)
        snap: dict[str, Any] = {
            "reference": d.reference,
            "state": State.RECEIVED,
            "category": d.cat.id,
            "priority": d.priority,
            "assigned_unit": d.unit_id,
            "assigned_officer": None,
            "outcome": "",
            "prosecutor_office": "",
            "prosecutor_reference": "",
            "version": 1,
        }
        self._audit(
            buffers, created, registrar, "case.create", case_id, None,
            {**snap, "channel": d.channel, "anonymous": anonymous, **routing},
        )  # fmt: skip
        if d.channel in (Channel.COUNTER, Channel.DUTY) and rng.random() < 0.3:
            at = created + timedelta(minutes=rng.uniform(1, 15))
            if at <= self.now:
                self._event(buffers, case_id, EventKind.RECEIPT, at, registrar, "", "", "", "", {})
        for at, act, actor, extra in d.life.acts:
            before = dict(snap)
            snap["version"] += 1
            if act == "assign":
                snap["assigned_officer"] = extra["officer"]
                self._event(
                    buffers, case_id, EventKind.ASSIGNMENT, at, actor, "", "", "", "", {"officer": extra["officer"]}
                )
                self._audit(buffers, at, actor, "case.assign", case_id, before, dict(snap))
            elif act == "note":
                self._event(buffers, case_id, EventKind.NOTE, at, actor, "", "", "", esc(rng.choice(data.NOTES)[0]), {})
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
            f"{eid}\t{case_id}\t{kind}\t{ts(at)}\t{opt(actor)}\t{transition}\t{from_state}\t{to_state}\t{note}\t"
            f"{esc(json.dumps(payload)) if payload else '{}'}\n"
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
            f"{aid}\t{ts(at)}\t{opt(actor)}\t{esc(label)}\t{action}\tcases.case\t{case_id}\t"
            f"{esc(json.dumps(before)) if before is not None else chr(92) + 'N'}\t{esc(json.dumps(after))}\t"
            f"{nonce}\t{entry}\t{self.position}\t{self.head}\t{mac}\n"
        )
        self.head = mac
