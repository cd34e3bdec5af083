"""A line-19 command room at work: calls at real places and patrols moving through their states.

Shared by the demo loader (past hours, replayed with the clock set to each moment) and
`simulate_calls` (live, at a given rate). The simulator plays the callers and the patrols, never the
dispatcher: live, the person at the board decides grouping and dispatch, and the simulator's patrols
only answer the assignments they get (acknowledge, en route, on scene, resolved). Calls are typed in
by the simulator's own named system user (`simulator_user`), never in a dispatcher's name; the
replay of past hours, with nobody at the board, also dispatches and closes as that user. Everything
goes through `emergency.services`; acts that became impossible meanwhile (a patrol taken off, an
incident closed) are skipped. Off in production (demo.checks, and the command refuses).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from core.errors import DomainError
from core.geo import in_morocco
from demo.data import PLACES
from emergency import services
from emergency.models import Assignment, CallCategory, Incident, Patrol
from emergency.selectors import current_shift
from emergency.workflow import OPEN_INCIDENT_STATES
from org.choices import Role
from org.models import Unit, User
from org.services import user_create

SIMULATOR_NAME = "Simulateur ligne 19"

# How often each category comes in on a city's line 19 (rough shares).
CATEGORY_WEIGHTS = {
    "fight": 14,
    "violence_in_progress": 8,
    "street_robbery": 10,
    "domestic_violence": 9,
    "burglary_in_progress": 6,
    "suspicious_person": 9,
    "traffic_accident_injuries": 7,
    "traffic_accident": 11,
    "lost_child": 3,
    "noise": 15,
    "fire_medical": 5,
}
DESCRIPTIONS = {
    "fight": "شجار بين عدة أشخاص في الشارع العام",
    "violence_in_progress": "شخص يعتدي على آخر بالضرب",
    "street_robbery": "سرقة هاتف بالخطف من طرف شخصين على دراجة نارية",
    "domestic_violence": "امرأة تستغيث من تعنيف زوجها",
    "burglary_in_progress": "أشخاص يكسرون باب محل تجاري",
    "suspicious_person": "شخص يتجول بين السيارات ويحاول فتحها",
    "traffic_accident_injuries": "اصطدام سيارة بدراجة نارية وإصابة السائق",
    "traffic_accident": "اصطدام بين سيارتين دون إصابات",
    "lost_child": "طفل تائه يبحث عن والديه",
    "noise": "موسيقى صاخبة وإزعاج للجيران",
    "fire_medical": "شخص فاقد للوعي في الشارع",
}
OUTCOMES = ("handled", "handled", "handled", "arrest", "referred", "nothing_found", "assistance")


def jitter(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point within `metres` of (lat, lon), kept inside Morocco."""
    for _ in range(10):
        r = metres * math.sqrt(rng.random())
        a = rng.random() * 2 * math.pi
        dlat = r * math.cos(a) / 111_195
        dlon = r * math.sin(a) / (111_195 * math.cos(math.radians(lat)))
        p = (round(lat + dlat, 6), round(lon + dlon, 6))
        if in_morocco(*p):
            return p
    return lat, lon


@transaction.atomic
def simulator_user(room: Unit) -> User:
    """The simulator's own named system user in a command room (created once, no usable password):
    the calls it plays are typed in under this name, so nothing is recorded as a dispatcher's act."""
    username = f"simulateur19.{room.code.lower()}"
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = user_create(
        actor=None,
        username=username,
        password=secrets.token_urlsafe(32),
        unit=room,
        roles=[Role.DISPATCHER],
        first_name=SIMULATOR_NAME,
    )
    user.set_unusable_password()  # nobody signs in as the simulator
    user.save(update_fields=["password"])
    return user


@dataclass
class CommandRoom:
    """One wilaya's line 19 driven by the simulation: where calls come from, the simulator's user
    (`operator`), and whether it also dispatches (`dispatches`: only when replaying past hours)."""

    wilaya: Unit
    operator: User
    city: str
    rng: random.Random
    say: Callable[[str], None]
    # Delays are divided by this factor (a faster-than-life demo).
    time_scale: float = 1.0
    skip_probability: float = 0.04
    duplicate_probability: float = 0.15
    dispatches: bool = False
    _queue: list = field(default_factory=list)
    _followed: set = field(default_factory=set)
    _seq: Any = field(default_factory=itertools.count)
    _recent: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"calls": 0, "incidents": 0, "dispatches": 0, "resolved": 0})

    def __post_init__(self) -> None:
        self.places = PLACES.get(self.city) or ()
        self.categories = {c.code: c for c in CallCategory.objects.filter(active=True)}
        codes = [c for c in CATEGORY_WEIGHTS if c in self.categories]
        self._codes, self._weights = codes, [CATEGORY_WEIGHTS[c] for c in codes]

    # ------------------------------------------------------------------ queue

    def schedule(self, at: datetime, act: Callable[[datetime], None]) -> None:
        heapq.heappush(self._queue, (at, next(self._seq), act))

    def next_due(self) -> datetime | None:
        return self._queue[0][0] if self._queue else None

    def run_due(self, now: datetime, *, clock: Callable[[datetime], Any] | None = None) -> int:
        """Run every act due by `now`; `clock(at)` is a context manager that sets the time (demo)."""
        done = 0
        while self._queue and self._queue[0][0] <= now:
            at, _seq, act = heapq.heappop(self._queue)
            try:
                if clock is None:
                    act(at)
                else:
                    with clock(at):
                        act(at)
            except DomainError as exc:
                self.say(f"  skipped: {exc.message}")
            done += 1
        return done

    def later(self, seconds: float) -> timedelta:
        return timedelta(seconds=seconds / max(self.time_scale, 0.001))

    # ------------------------------------------------------------------ acts

    def place(self) -> tuple[str, float, float]:
        if self.places:
            address, lat, lon = self.rng.choice(self.places)
        else:
            address, lat, lon = self.wilaya.name_ar, self.wilaya.latitude, self.wilaya.longitude
        lat, lon = jitter(self.rng, lat, lon, 250)
        return address, lat, lon

    def new_call(self, at: datetime) -> None:
        rng = self.rng
        recent = [r for r in self._recent if at - r[0] < timedelta(minutes=10)]
        self._recent = recent
        if recent and rng.random() < self.duplicate_probability:
            # Another witness of an event already reported.
            _, code, address, lat, lon = rng.choice(recent)
            lat, lon = jitter(rng, lat, lon, 80)
        else:
            code = rng.choices(self._codes, self._weights)[0]
            address, lat, lon = self.place()
        category = self.categories[code]
        # Questions whose "no" lowers the priority (is it still going on?) are mostly answered yes.
        answers = {
            q["code"]: rng.random() < (0.8 if q.get("no", 0) > 0 else 0.3)
            for q in category.questions
            if rng.random() < 0.8
        }
        number = f"06{rng.randrange(10_000_000, 99_999_999)}"
        call = services.call_receive(
            actor=self.operator,
            caller_number=number,
            language=rng.choices(["ar", "fr", "zgh"], [85, 10, 5])[0],
            category=category,
            answers=answers,
            description=DESCRIPTIONS.get(code, ""),
            address=address,
            latitude=lat,
            longitude=lon,
            received_at=at,
        )
        self.counts["calls"] += 1
        incident = call.incident
        self._recent.append((at, code, address, lat, lon))
        proposed = incident.proposal.get("reference")
        self.say(
            f"call {call.reference} {code} {call.priority} → {incident.reference}"
            + (f" (~{proposed})" if proposed else "")
        )
        self.counts["incidents"] += 1
        if not self.dispatches:
            return  # the dispatcher at the board decides
        if proposed:
            # Replaying the past: the simulator's user confirms a proposal of the same kind of event.
            if incident.proposal.get("compatible"):
                services.incident_merge(incident=incident, into=incident.proposed_merge, actor=self.operator)
                return
            services.incident_keep_apart(incident=incident, actor=self.operator)
        if rng.random() < self.skip_probability:
            self.schedule(at + self.later(rng.uniform(30, 90)), lambda t, c=call: self.end_call(c, t))
            return
        self.schedule(at + self.later(rng.uniform(20, 90)), lambda t, i=incident.pk: self.dispatch(i, t))

    def end_call(self, call, at: datetime) -> None:
        services.call_close_without_dispatch(call=call, actor=self.operator, outcome="information_only")
        self.say(f"call {call.reference} ended: information only")

    def _open(self, incident_id: int) -> Incident | None:
        incident = Incident.objects.select_related("category", "patrol").get(pk=incident_id)
        return incident if incident.state in OPEN_INCIDENT_STATES else None

    def dispatch(self, incident_id: int, at: datetime, tries: int = 0) -> None:
        incident = self._open(incident_id)
        if incident is None:
            return
        suggestions = services.dispatch_suggestions(incident=incident, at=at)
        if not suggestions:
            if tries < 20:
                self.schedule(at + self.later(60), lambda t: self.dispatch(incident_id, t, tries + 1))
            else:
                services.call_close_without_dispatch(
                    call=incident.calls.order_by("id").first(), actor=self.operator, outcome="no_action_needed"
                )
            return
        best = suggestions[0]
        assignment = services.incident_dispatch(incident=incident, patrol=best.patrol, actor=self.operator)
        self.counts["dispatches"] += 1
        self.say(f"dispatch {best.patrol.call_sign} → {incident.reference} (ETA {best.eta_seconds or 0} s)")
        self.follow(assignment, at)

    def follow_assignments(self, now: datetime) -> int:
        """The patrols answer the assignments the dispatcher gave them since the last look."""
        fresh = (
            Assignment.objects.filter(patrol__wilaya=self.wilaya, active=True)
            .exclude(pk__in=self._followed)
            .select_related("incident", "patrol")
        )
        found = 0
        for assignment in fresh:
            self.follow(assignment, now)
            found += 1
        return found

    def follow(self, assignment: Assignment, at: datetime) -> None:
        """The patrol's part of one assignment, with realistic delays: acknowledge, leave, arrive,
        resolve (and, replaying the past, the simulator's user closes)."""
        self._followed.add(assignment.pk)
        a = assignment.pk
        eta = assignment.eta_seconds or 300
        ack = self.rng.uniform(5, 40)
        turnout = ack + self.rng.uniform(10, 45)
        travel = max(eta * self.rng.uniform(0.7, 1.5), 30)
        on_scene = self.rng.uniform(4 * 60, 25 * 60)
        self.schedule(at + self.later(ack), lambda t: self.report(a, "acknowledged", t))
        self.schedule(at + self.later(turnout), lambda t: self.report(a, "en_route", t))
        self.schedule(at + self.later(turnout + travel), lambda t: self.report(a, "on_scene", t))
        self.schedule(at + self.later(turnout + travel + on_scene), lambda t: self.report(a, "resolved", t))
        if self.dispatches:
            i = assignment.incident_id
            self.schedule(
                at + self.later(turnout + travel + on_scene + self.rng.uniform(30, 180)), lambda t: self.close(i, t)
            )

    def _voice(self, patrol: Patrol, at: datetime) -> User:
        """Who reports for a patrol: an officer of its shift now, else the simulator's user (as the
        room relaying a radio report)."""
        shift = current_shift(patrol, at)
        officer = shift.officers.order_by("id").first() if shift is not None else None
        return officer or self.operator

    def report(self, assignment_id: int, status: str, at: datetime) -> None:
        assignment = Assignment.objects.select_related("incident", "patrol").get(pk=assignment_id)
        if not assignment.active:
            return  # taken off (pre-empted, reassigned) meanwhile
        incident = assignment.incident
        kw: dict[str, Any] = {}
        if status == "on_scene" and incident.latitude is not None:
            kw = {"latitude": incident.latitude, "longitude": incident.longitude}
        if status == "resolved":
            kw["outcome"] = self.rng.choice(OUTCOMES)
            self.counts["resolved"] += 1
        voice = self._voice(assignment.patrol, at)
        services.patrol_report(actor=voice, incident=incident, status=status, **kw)
        self.say(f"{assignment.patrol.call_sign} {status} {incident.reference}")

    def close(self, incident_id: int, at: datetime) -> None:
        incident = Incident.objects.get(pk=incident_id)
        if incident.state == "resolved":
            services.incident_close(incident=incident, actor=self.operator)
            self.say(f"closed {incident.reference}")
