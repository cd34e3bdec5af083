"""Sample complaints for the demo: a few hundred over the last weeks, in every state.

Each complaint is planned (place, category, channel, complainant, the acts that follow and their
delays), then every act of every complaint is replayed in chronological order through the services
with the clock set to its moment, so timelines, deadlines and the audit chain look like real ones.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from cases import services
from cases.models import Case, Category, Offence, ProsecutorOffice
from core.geo import in_morocco
from demo import data
from demo.clock import Clock
from demo.loaders.organisation import SHOWCASE_DISTRICT, Organisation

WINDOW_DAYS = 60
# How the demo complaints end up; cycled so that even a small demo shows every state.
SCENARIO_CYCLE = (
    "closed_solved",
    "investigating",
    "received",
    "referred",
    "closed_unfounded",
    "awaiting",
    "instructions",
    "qualified",
    "closed_solved",
    "investigating",
    "closed_withdrawn",
    "transferred",
    "closed_competent",
    "received",
    "reopened",
    "investigating",
    "awaiting_resumed",
    "closed_solved",
    "referred",
    "closed_unfounded",
)
CATEGORY_WEIGHTS = {
    "theft": 24,
    "assault": 8,
    "fraud": 8,
    "cybercrime": 7,
    "threats": 6,
    "domestic_violence": 4,
    "sexual_offence": 1,
    "minors": 2,
    "officer_misconduct": 2,
    "missing_person": 2,
    "drugs": 5,
    "traffic_accident": 8,
    "nuisance": 10,
    "lost_documents": 9,
    "abandoned_vehicle": 4,
    "public_space_obstruction": 4,
}
PROTECTED = ("domestic_violence", "sexual_offence", "minors")
CHANNEL_WEIGHTS = {
    "default": {"counter": 56, "duty": 12, "online": 15, "line19": 8, "press": 3, "ombudsman": 4},
    "officer_misconduct": {"counter": 20, "online": 25, "ombudsman": 25, "inpplc": 15, "cndh": 15},
    "traffic_accident": {"line19": 45, "counter": 40, "duty": 15},
    "missing_person": {"line19": 35, "counter": 40, "duty": 25},
    "nuisance": {"line19": 35, "online": 35, "counter": 30},
    "cybercrime": {"online": 50, "counter": 50},
    "protected": {"counter": 60, "duty": 25, "line19": 15},
}
SHOWCASE_EVERY = 7  # coprime with the scenario cycle, so the showcase district sees every state
WILAYA_WEIGHTS = {"CAS": 3.0, "RBT": 2.0, "FES": 1.5, "MRK": 1.5, "TNG": 1.2, "AGA": 1.0}
# Delays between acts, in hours (min, max).
DELAYS = {
    "assign": (0.3, 6),
    "qualify": (1, 20),
    "investigate": (2, 48),
    "note": (4, 72),
    "request_information": (24, 120),
    "information_received": (48, 192),
    "refer": (48, 288),
    "record_instructions": (72, 360),
    "close": (24, 192),
    "reopen": (48, 240),
    "transfer": (1, 20),
}
OUTCOMES = {
    "closed_solved": "solved",
    "closed_unfounded": "unfounded",
    "closed_withdrawn": "withdrawn",
    "closed_competent": "referred_competent",
}


@dataclass
class Step:
    """One act of one complaint at its moment."""

    at: datetime
    case_no: int
    order: int
    act: str
    args: dict = field(default_factory=dict)


class ComplaintLoader:
    """Plans `n` complaints over the window and replays them through the services."""

    def __init__(self, org: Organisation, rng: random.Random, clock: Clock, real_now: datetime) -> None:
        self.org = org
        self.rng = rng
        self.clock = clock
        self.real_now = real_now
        self.categories = {c.code: c for c in Category.objects.filter(active=True)}
        self.plans: dict[int, dict[str, Any]] = {}
        self.cases: dict[int, Case] = {}

    def load(self, n: int) -> int:
        """Register and work `n` complaints; returns the number of acts replayed."""
        steps: list[Step] = []
        for i in range(n):
            steps.extend(self.plan_case(i))
        steps.sort(key=lambda s: (s.at, s.case_no, s.order))
        for step in steps:
            self.clock.at = step.at
            self.apply(step)
        return len(steps)

    def pick(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def plan_case(self, i: int) -> list[Step]:
        """The complaint's facts and the dated acts that will be made on it."""
        scenario = SCENARIO_CYCLE[i % len(SCENARIO_CYCLE)]
        code = self._category_code(i)
        category = self.categories[code]
        if code == "officer_misconduct" and scenario == "transferred":
            scenario = "investigating"
        channel = self.pick(CHANNEL_WEIGHTS.get("protected" if code in PROTECTED else code, CHANNEL_WEIGHTS["default"]))
        if i % SHOWCASE_EVERY == 4:
            # The district the banner's first logins work in (desk.rabat, chief.rabat…) is never quiet.
            w, a, d, du = next(row for row in self.org.districts if row[2].code == SHOWCASE_DISTRICT)
        else:
            w, a, d, du = self.rng.choice(
                [row for row in self.org.districts if row[0].code == self.pick(WILAYA_WEIGHTS)]
            )
        created = self._created_at(scenario, channel)
        french = self.rng.random() < 0.22
        lat, lon = self.jitter(d.lat, d.lon)
        street = self.rng.choice(d.streets)[1 if french else 0]
        self.plans[i] = {
            "wilaya": w,
            "area": a,
            "district": d,
            "district_unit": du,
            "category": category,
            "channel": channel,
            "description": self._description(code, d, street, french),
            "address": street,
            "lat": lat,
            "lon": lon,
            "complainant": self._complainant(category, channel, w, "fr" if french else "ar"),
            "external": self._external_reference(channel, created),
        }
        return self._schedule(i, category, scenario, created)

    def _category_code(self, i: int) -> str:
        if i % 25 == 7:
            code = "officer_misconduct"
        elif i % 25 == 19:
            code = "domestic_violence"
        else:
            code = self.pick(CATEGORY_WEIGHTS)
        return code if code in self.categories else "theft"

    def _created_at(self, scenario: str, channel: str) -> datetime:
        """Open early-state complaints are recent, the others anywhere in the window; counters
        take complaints in the daytime (local time)."""
        rng = self.rng
        if scenario == "received":
            age_days = rng.uniform(0.02, 2)
        elif scenario == "qualified":
            age_days = rng.uniform(0.2, 2.5)
        elif scenario.startswith("closed") or scenario == "reopened":
            age_days = rng.uniform(2, WINDOW_DAYS)
        else:
            age_days = rng.uniform(2, WINDOW_DAYS * 0.7)
        created = self.real_now - timedelta(days=age_days)
        if channel == "counter":
            local = timezone.localtime(created)
            if not 8 <= local.hour < 19:
                created -= timedelta(hours=(local.hour - 8 - rng.uniform(0, 9)) % 24)
        return min(created, self.real_now - timedelta(minutes=20))

    def _description(self, code: str, d: data.District, street: str, french: bool) -> str:
        rng = self.rng
        place_name = d.name_fr.replace("Arrondissement de police ", "") if french else d.name_ar.split(" ", 2)[-1]
        templates = data.DESCRIPTIONS[code]
        template = templates[rng.randrange(len(templates))][1 if french else 0]
        return template.format(
            place=place_name,
            street=street,
            item=rng.choice(data.ITEMS)[1 if french else 0],
            when=rng.choice(data.TIMES)[1 if french else 0],
            amount=f"{rng.randrange(2, 60) * 1000:,}".replace(",", " "),
        )

    def _complainant(self, category: Category, channel: str, w: data.Wilaya, lang: str) -> dict[str, Any]:
        """An invented person (or nobody, where the category allows anonymous complaints)."""
        rng = self.rng
        code = category.code
        anonymous = category.allows_anonymous and (
            (channel in ("online", "line19") and rng.random() < 0.4)
            or (code == "drugs" and rng.random() < 0.6)
            or (code == "officer_misconduct" and rng.random() < 0.3)
        )
        complainant: dict[str, Any] = {"anonymous": anonymous, "language": lang}
        if not anonymous:
            prefix = rng.choice(data.CNIE_PREFIXES[w.code])
            complainant.update(
                full_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
                cnie=f"{prefix}{rng.randrange(100000, 1000000)}",
                phone="" if rng.random() < 0.08 else f"+212{rng.choice('67')}{rng.randrange(10**8):08d}",
            )
        return complainant

    def _external_reference(self, channel: str, created: datetime) -> str:
        """The reference an oversight body gives its own file."""
        year = timezone.localtime(created).year
        if channel == "ombudsman":
            return f"MDR/{year}/{self.rng.randrange(1000, 99999)}"
        if channel == "inpplc":
            return f"INPPLC-{year}-{self.rng.randrange(100, 9999):04d}"
        if channel == "cndh":
            return f"CNDH/{year}/{self.rng.randrange(100, 9999)}"
        return ""

    def _schedule(self, i: int, category: Category, scenario: str, created: datetime) -> list[Step]:
        """The acts of the scenario with plausible delays, squeezed into the time left until now."""
        acts = self.scenario_acts(scenario, category, i)
        urgency = min(1.0, category.first_action_hours / 24)  # urgent categories are picked up faster
        delays = []
        for act, _args in acts:
            lo, hi = DELAYS.get(act, (1, 24))
            if act in ("assign", "qualify"):
                lo, hi = lo * urgency, hi * urgency
            delays.append(self.rng.uniform(lo, hi))
        available_h = (self.real_now - timedelta(minutes=10) - created).total_seconds() / 3600
        total = sum(delays)
        if total > available_h * 0.95:
            delays = [x * available_h * 0.95 / total for x in delays]
        steps = [Step(created, i, 0, "register")]
        at = created
        for order, ((act, args), delay) in enumerate(zip(acts, delays, strict=True), start=1):
            at = at + timedelta(hours=delay)
            steps.append(Step(at, i, order, act, args))
        return steps

    def scenario_acts(self, scenario: str, category: Category, i: int) -> list[tuple[str, dict]]:
        rng = self.rng
        note = {"note": rng.choice(data.NOTES)[0]}
        start = [("assign", {}), ("qualify", {})]
        investigate = [*start, ("investigate", {}), ("note", note)]
        refer = [("refer", {})]
        instructions = [*refer, ("record_instructions", {"note": rng.choice(data.INSTRUCTION_NOTES)})]
        if scenario == "received":
            return [("assign", {})] if rng.random() < 0.5 else []
        if scenario == "qualified":
            return start
        if scenario == "investigating":
            return investigate
        if scenario == "awaiting":
            return [*investigate, ("request_information", {"note": rng.choice(data.REQUEST_NOTES)})]
        if scenario == "awaiting_resumed":
            tail = [("close", {"outcome": "withdrawn"})] if rng.random() < 0.5 else []
            return [
                *investigate,
                ("request_information", {"note": rng.choice(data.REQUEST_NOTES)}),
                ("information_received", {}),
                *tail,
            ]
        if scenario == "referred":
            return [*investigate, *refer]
        if scenario == "instructions":
            return [*investigate, *instructions]
        if scenario == "transferred":
            return [
                ("transfer", {"note": rng.choice(data.TRANSFER_NOTES)}),
                ("assign", {}),
                ("qualify", {}),
                ("investigate", {}),
            ]
        if scenario == "reopened":
            return [
                *investigate,
                ("close", {"outcome": "unfounded"}),
                ("reopen", {"note": rng.choice(data.REOPEN_NOTES)}),
                ("note", {"note": rng.choice(data.NOTES)[0]}),
            ]
        outcome = OUTCOMES[scenario]
        if outcome == "solved":
            if category.prosecutor_mandatory:
                return [*investigate, *instructions, ("close", {"outcome": outcome})]
            return [*investigate, ("close", {"outcome": outcome})]
        if outcome == "referred_competent":
            return [*start, ("close", {"outcome": outcome})]
        return [*investigate, ("close", {"outcome": outcome})]

    def jitter(self, lat: float, lon: float) -> tuple[float, float]:
        """A place within about a kilometre of the district station, always inside the Kingdom."""
        for _ in range(20):
            dlat = max(-0.009, min(0.009, self.rng.gauss(0, 0.0035)))
            dlon = max(-0.011, min(0.011, self.rng.gauss(0, 0.0035) / math.cos(math.radians(lat))))
            p = (round(lat + dlat, 6), round(lon + dlon, 6))
            if in_morocco(*p):
                return p
        return lat, lon

    # ------------------------------------------------------------------ replay

    def apply(self, step: Step) -> None:
        plan = self.plans[step.case_no]
        if step.act == "register":
            self.cases[step.case_no] = self.register(plan)
            return
        case = self.cases[step.case_no]
        staff = self.org.staff[case.assigned_unit_id]
        if step.act == "assign":
            case = services.case_assign(case=case, actor=staff.chief, officer=staff.inv)
        elif step.act == "note":
            services.case_add_note(case=case, actor=staff.inv, note=step.args["note"])
        elif step.act == "transfer":
            siblings = [
                row[3]
                for row in self.org.districts
                if row[1].code == plan["area"].code and row[3].pk != case.assigned_unit_id
            ]
            target = self.rng.choice(siblings)
            case = services.case_transition(
                case=case,
                actor=staff.chief,
                transition="transfer",
                data=services.TransitionInput(note=step.args["note"], unit=target),
            )
        else:
            actor = staff.chief if step.act == "reopen" else staff.inv
            tdata = services.TransitionInput(note=step.args.get("note", ""), outcome=step.args.get("outcome", ""))
            if step.act == "qualify":
                code = data.OFFENCE_OF_CATEGORY.get(case.category.code, "no_offence")
                tdata.offence = Offence.objects.get(code=code)
            if step.act == "close":
                tdata.report = data.CLOSING_REPORTS[tdata.outcome]
            if step.act == "refer":
                year = timezone.localtime(step.at).year
                tdata.prosecutor_office = plan["wilaya"].prosecutor_ar
                tdata.office = ProsecutorOffice.objects.filter(name_ar=plan["wilaya"].prosecutor_ar).first()
                tdata.prosecutor_reference = (
                    f"{self.rng.randrange(100, 9999)}/{self.rng.choice(('3101', '2101'))}/{year}"
                )
            case = services.case_transition(case=case, actor=actor, transition=step.act, data=tdata)
        self.cases[step.case_no] = case

    def register(self, plan: dict) -> Case:
        channel = plan["channel"]
        w = plan["wilaya"]
        ws = self.org.wilaya_staff[w.code]
        if channel == "duty":
            actor = ws["duty"]
        elif channel == "line19":
            actor = ws["dispatcher"]
        elif channel == "press":
            actor = ws[f"chief.{plan['area'].code}"]
        elif channel in ("ombudsman", "inpplc", "cndh"):
            actor = self.org.oversight
        else:
            actor = self.org.staff[plan["district_unit"].pk].desk
        c = plan["complainant"]
        return services.complaint_register(
            actor=actor,
            data=services.IntakeInput(
                channel=channel,
                category=plan["category"],
                description=plan["description"],
                complainant=services.ComplainantInput(
                    anonymous=c["anonymous"],
                    full_name=c.get("full_name", ""),
                    cnie=c.get("cnie", ""),
                    phone=c.get("phone", ""),
                    language=c["language"],
                ),
                address=plan["address"],
                latitude=plan["lat"],
                longitude=plan["lon"],
                external_reference=plan["external"],
            ),
        )
