"""A line-19 command room at work: calls at real places and patrols moving through their states.

Shared by `load_emergency_demo` (past hours, replayed with the clock set to each moment) and
`simulate_calls` (live, at a given rate). Everything goes through `emergency.services`; acts that
became impossible meanwhile (a patrol taken, an incident closed) are skipped, as a dispatcher would.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.errors import DomainError
from core.geo import in_morocco
from demo.data import PLACES
from emergency import services
from emergency.models import CallCategory, Incident
from emergency.workflow import OPEN_INCIDENT_STATES
from org.models import Unit, User

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


@dataclass
class CommandRoom:
    """One wilaya's line 19 driven by the simulation: who answers, where calls come from."""

    wilaya: Unit
    dispatcher: User
    city: str
    rng: random.Random
    say: Callable[[str], None]
    # Delays are divided by this factor (a faster-than-life demo).
    time_scale: float = 1.0
    skip_probability: float = 0.04
    duplicate_probability: float = 0.15
    _queue: list = field(default_factory=list)
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
            actor=self.dispatcher,
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
        self.say(f"call {call.reference} {code} {call.priority} → {incident.reference} ({incident.call_count} call(s))")
        if incident.call_count > 1:
            return
        self.counts["incidents"] += 1
        if rng.random() < self.skip_probability:
            self.schedule(at + self.later(rng.uniform(30, 90)), lambda t, c=call: self.end_call(c, t))
            return
        self.schedule(at + self.later(rng.uniform(20, 90)), lambda t, i=incident.pk: self.dispatch(i, t))

    def end_call(self, call, at: datetime) -> None:
        services.call_close_without_dispatch(call=call, actor=self.dispatcher, outcome="information_only")
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
                    call=incident.calls.order_by("id").first(), actor=self.dispatcher, outcome="no_action_needed"
                )
            return
        best = suggestions[0]
        services.incident_dispatch(incident=incident, patrol=best.patrol, actor=self.dispatcher)
        self.counts["dispatches"] += 1
        self.say(f"dispatch {best.patrol.call_sign} → {incident.reference} (ETA {best.eta_seconds or 0} s)")
        eta = best.eta_seconds or 300
        turnout = self.rng.uniform(15, 75)
        travel = max(eta * self.rng.uniform(0.7, 1.5), 30)
        on_scene = self.rng.uniform(4 * 60, 25 * 60)
        self.schedule(at + self.later(turnout), lambda t: self.report(incident_id, "en_route", t))
        self.schedule(at + self.later(turnout + travel), lambda t: self.report(incident_id, "on_scene", t))
        self.schedule(at + self.later(turnout + travel + on_scene), lambda t: self.report(incident_id, "resolved", t))
        self.schedule(
            at + self.later(turnout + travel + on_scene + self.rng.uniform(30, 180)),
            lambda t: self.close(incident_id, t),
        )

    def report(self, incident_id: int, status: str, at: datetime) -> None:
        incident = Incident.objects.select_related("category", "patrol").get(pk=incident_id)
        if incident.patrol is None:
            return
        kw: dict[str, Any] = {}
        if status == "on_scene" and incident.latitude is not None:
            kw = {"latitude": incident.latitude, "longitude": incident.longitude}
        if status == "resolved":
            kw["outcome"] = self.rng.choice(OUTCOMES)
            self.counts["resolved"] += 1
        services.patrol_report(actor=self.dispatcher, incident=incident, status=status, **kw)
        self.say(f"{incident.patrol.call_sign} {status} {incident.reference}")

    def close(self, incident_id: int, at: datetime) -> None:
        incident = Incident.objects.get(pk=incident_id)
        if incident.state == "resolved":
            services.incident_close(incident=incident, actor=self.dispatcher)
            self.say(f"closed {incident.reference}")
