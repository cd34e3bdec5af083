"""`manage.py load_demo`: a demo organisation, its staff and a few hundred complaints.

Everything goes through the services (units, users, intake, workflow, notes, the deadline sweep),
so the demo data carries its timeline and its audit chain like real data. Past events are made by
running the services with `django.utils.timezone.now` patched to the planned moment, in
chronological order, so the audit timestamps keep increasing. Idempotent: when the central unit
exists, nothing is done.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.geo import in_morocco
from org import demo_data as data
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.services import unit_create, user_create

SEED = 2026
WINDOW_DAYS = 60
MAIN_LOGINS = (
    ("desk.rabat", "front-desk officer, Hassan district (Rabat)"),
    ("inv.rabat", "investigator, same district"),
    ("chief.rabat", "chief of that district"),
    ("chief.wilaya.rabat", "chief of the Rabat wilaya"),
    ("inspector", "Inspectorate (complaints against officers)"),
    ("oversight", "oversight liaison (Ombudsman, INPPLC, CNDH)"),
    ("dispatch.rabat", "dispatcher, Rabat command room"),
    ("analyst", "analyst, central directorate"),
    ("admin", "administrator"),
)

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
class Staff:
    chief: User
    inv: User
    desk: User | None = None


@dataclass
class Step:
    at: datetime
    case_no: int
    order: int
    act: str
    args: dict = field(default_factory=dict)


class Clock:
    """Stands in for `django.utils.timezone.now` while the past is replayed; never goes backwards."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.last: datetime | None = None

    def __call__(self) -> datetime:
        t = self.at
        if self.last is not None and t <= self.last:
            t = self.last + timedelta(microseconds=1)
        self.last = t
        return t


class Command(BaseCommand):
    help = "Load the demo organisation, staff and sample complaints (does nothing if already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="Number of sample complaints (default 300).")

    def handle(self, *args, cases: int, verbosity: int = 1, **options):
        self.verbosity = verbosity
        if Unit.objects.filter(code=data.CENTRAL.code).exists():
            self.say("demo data already loaded")
            return
        started = time.monotonic()
        self.rng = random.Random(SEED)
        self.real_now = timezone.now()
        self.clock = Clock(self.real_now - timedelta(days=WINDOW_DAYS + 2))
        hashed = make_password(data.DEMO_PASSWORD)

        def demo_password_hash(raw, *a, **kw):
            # PBKDF2 takes ~0.5 s per user; every demo user has the same published password.
            return hashed if raw == data.DEMO_PASSWORD and not a and not kw else make_password(raw, *a, **kw)

        with (
            mock.patch("django.utils.timezone.now", new=self.clock),
            mock.patch("django.contrib.auth.base_user.make_password", new=demo_password_hash),
        ):
            self.build_org()
            self.say(
                f"demo: {Unit.objects.count()} units, {User.objects.count()} staff ({time.monotonic() - started:.1f} s)"
            )
            t = time.monotonic()
            n_acts = self.build_cases(cases)
            self.say(f"demo: {cases} complaints, {n_acts} acts over {WINDOW_DAYS} days ({time.monotonic() - t:.1f} s)")
        from cases.services import deadlines_sweep

        stats = deadlines_sweep()
        self.say(f"demo: deadline sweep, {stats['overdue']} overdue, {stats['escalations']} escalations")
        self.say(
            f"demo: loaded in {time.monotonic() - started:.1f} s; password for every demo login: {data.DEMO_PASSWORD}"
        )
        self.print_logins()

    def say(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(line)

    # ------------------------------------------------------------------ organisation

    def unit(self, parent: Unit | None, kind: str, place: data.Place, city: str, **kw) -> Unit:
        return unit_create(
            actor=None,
            parent=parent,
            kind=kind,
            code=place.code,
            name_ar=place.name_ar,
            name_fr=place.name_fr,
            city=city,
            latitude=place.lat,
            longitude=place.lon,
            **kw,
        )

    def user(self, username: str, unit: Unit, *roles: str, is_staff: bool = False) -> User:
        i = self._people
        self._people += 1
        first = data.FIRST_NAMES[i % len(data.FIRST_NAMES)]
        last = data.LAST_NAMES[(i * 7 + i // len(data.LAST_NAMES)) % len(data.LAST_NAMES)]
        return user_create(
            actor=self.admin_user,
            username=username,
            password=data.DEMO_PASSWORD,
            unit=unit,
            roles=list(roles),
            first_name=first,
            last_name=last,
            email=f"{username}@demo.amane.invalid",
            is_staff=is_staff,
        )

    def build_org(self) -> None:
        self._people = 0
        self.admin_user: User | None = None
        self.staff: dict[int, Staff] = {}
        self.districts: list[tuple[data.Wilaya, data.Area, data.District, Unit]] = []
        self.area_units: dict[str, Unit] = {}
        self.wilaya_staff: dict[str, dict[str, User]] = {}

        central = self.unit(None, UnitKind.CENTRAL, data.CENTRAL, "Rabat")
        self.admin_user = self.user("admin", central, Role.ADMINISTRATOR, is_staff=True)
        self.user("analyst", central, Role.ANALYST)
        self.oversight = self.user("oversight", central, Role.OVERSIGHT)
        igsn = self.unit(central, UnitKind.INSPECTORATE, data.INSPECTORATE, "Rabat")
        inspector = self.user("inspector", igsn, Role.INSPECTOR)
        self.staff[igsn.pk] = Staff(chief=inspector, inv=self.user("inspector.2", igsn, Role.INSPECTOR))
        com = self.unit(central, UnitKind.COMMUNICATION, data.CENTRAL_COMMUNICATION, "Rabat")
        self.user("com.dgsn", com, Role.COMMUNICATION)

        for w in data.WILAYAS:
            wu = self.unit(central, UnitKind.WILAYA, w, w.city)
            ws = {"chief": self.user(f"chief.wilaya.{w.slug}", wu, Role.UNIT_CHIEF)}
            self.user(f"analyst.{w.slug}", wu, Role.ANALYST)
            for kind, suffix, ar, fr, dlat in (
                (UnitKind.DUTY, "PERM", "مصلحة المداومة", "Service de permanence", 0.0008),
                (
                    UnitKind.COMMAND_ROOM,
                    "CMD",
                    "قاعة القيادة والتنسيق",
                    "Salle de commandement et de coordination",
                    0.0012,
                ),
                (UnitKind.COMMUNICATION, "COM", "خلية التواصل الجهوية", "Cellule régionale de communication", 0.0016),
            ):
                place = data.Place(
                    f"{w.code}-{suffix}",
                    f"{ar} - {w.name_ar}",
                    f"{fr} - {w.city}",
                    round(w.lat + dlat, 4),
                    round(w.lon - dlat, 4),
                )
                u = self.unit(wu, kind, place, w.city)
                if kind == UnitKind.DUTY:
                    ws["duty"] = self.user(f"duty.{w.slug}", u, Role.FRONT_DESK)
                elif kind == UnitKind.COMMAND_ROOM:
                    ws["dispatcher"] = self.user(f"dispatch.{w.slug}", u, Role.DISPATCHER)
                    self.user(f"patrol.{w.slug}.1", u, Role.PATROL)
                    self.user(f"patrol.{w.slug}.2", u, Role.PATROL)
                else:
                    self.user(f"com.{w.slug}", u, Role.COMMUNICATION)
            self.wilaya_staff[w.code] = ws
            for a in w.areas:
                au = self.unit(wu, UnitKind.AREA, a, w.city)
                self.area_units[a.code] = au
                ws[f"chief.{a.code}"] = self.user(f"chief.{a.code.lower()}", au, Role.UNIT_CHIEF)
                for d in a.districts:
                    polygon = None
                    if d.polygon:
                        polygon = {
                            "type": "Feature",
                            "properties": {"name": d.name_fr},
                            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in d.polygon]]},
                        }
                    du = self.unit(au, UnitKind.DISTRICT, d, w.city, area_geojson=polygon)
                    name = "rabat" if d.code == "RBT-RB-D1" else d.code.lower()
                    self.staff[du.pk] = Staff(
                        desk=self.user(f"desk.{name}", du, Role.FRONT_DESK),
                        inv=self.user(f"inv.{name}", du, Role.INVESTIGATOR),
                        chief=self.user(f"chief.{name}", du, Role.UNIT_CHIEF),
                    )
                    self.districts.append((w, a, d, du))

    # ------------------------------------------------------------------ complaints

    def pick(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def build_cases(self, n: int) -> int:
        from cases.models import Category

        self.categories = {c.code: c for c in Category.objects.filter(active=True)}
        steps: list[Step] = []
        self.plans: dict[int, dict] = {}
        for i in range(n):
            steps.extend(self.plan_case(i))
        steps.sort(key=lambda s: (s.at, s.case_no, s.order))
        self.cases: dict = {}
        for step in steps:
            self.clock.at = step.at
            self.apply(step)
        return len(steps)

    def plan_case(self, i: int) -> list[Step]:
        rng = self.rng
        scenario = SCENARIO_CYCLE[i % len(SCENARIO_CYCLE)]
        if i % 25 == 7:
            code = "officer_misconduct"
        elif i % 25 == 19:
            code = "domestic_violence"
        else:
            code = self.pick(CATEGORY_WEIGHTS)
        if code not in self.categories:
            code = "theft"
        category = self.categories[code]
        if code == "officer_misconduct" and scenario == "transferred":
            scenario = "investigating"
        channel_table = "protected" if code in PROTECTED else code
        channel = self.pick(CHANNEL_WEIGHTS.get(channel_table, CHANNEL_WEIGHTS["default"]))
        wilaya_code = self.pick(WILAYA_WEIGHTS)
        choices = [row for row in self.districts if row[0].code == wilaya_code]
        w, a, d, du = rng.choice(choices)

        # When: open early-state complaints are recent, the others anywhere in the window.
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
            # District counters take complaints in the daytime (local time).
            local = timezone.localtime(created)
            if not 8 <= local.hour < 19:
                created -= timedelta(hours=(local.hour - 8 - rng.uniform(0, 9)) % 24)
        created = min(created, self.real_now - timedelta(minutes=20))

        french = rng.random() < 0.22
        lang = "fr" if french else "ar"
        place_name = d.name_fr.replace("Arrondissement de police ", "") if french else d.name_ar.split(" ", 2)[-1]
        street_ar, street_fr = rng.choice(d.streets)
        street = street_fr if french else street_ar
        templates = data.DESCRIPTIONS[code]
        template = templates[rng.randrange(len(templates))][1 if french else 0]
        item = rng.choice(data.ITEMS)[1 if french else 0]
        when = rng.choice(data.TIMES)[1 if french else 0]
        amount = f"{rng.randrange(2, 60) * 1000:,}".replace(",", " ")
        description = template.format(place=place_name, street=street, item=item, when=when, amount=amount)
        lat, lon = self.jitter(d.lat, d.lon)

        anonymous = category.allows_anonymous and (
            (channel in ("online", "line19") and rng.random() < 0.4)
            or (code == "drugs" and rng.random() < 0.6)
            or (code == "officer_misconduct" and rng.random() < 0.3)
        )
        complainant = {"anonymous": anonymous, "language": lang}
        if not anonymous:
            prefix = rng.choice(data.CNIE_PREFIXES[w.code])
            complainant.update(
                full_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
                cnie=f"{prefix}{rng.randrange(100000, 1000000)}",
                phone="" if rng.random() < 0.08 else f"+212{rng.choice('67')}{rng.randrange(10**8):08d}",
            )
        external = ""
        year = timezone.localtime(created).year
        if channel == "ombudsman":
            external = f"MDR/{year}/{rng.randrange(1000, 99999)}"
        elif channel == "inpplc":
            external = f"INPPLC-{year}-{rng.randrange(100, 9999):04d}"
        elif channel == "cndh":
            external = f"CNDH/{year}/{rng.randrange(100, 9999)}"
        self.plans[i] = {
            "wilaya": w,
            "area": a,
            "district": d,
            "district_unit": du,
            "category": category,
            "channel": channel,
            "description": description,
            "address": street,
            "lat": lat,
            "lon": lon,
            "complainant": complainant,
            "external": external,
        }

        acts = self.scenario_acts(scenario, category, i)
        # Urgent categories are picked up faster.
        urgency = min(1.0, category.first_action_hours / 24)
        delays = []
        for act, _args in acts:
            lo, hi = DELAYS.get(act, (1, 24))
            if act in ("assign", "qualify"):
                lo, hi = lo * urgency, hi * urgency
            delays.append(rng.uniform(lo, hi))
        available_h = (self.real_now - timedelta(minutes=10) - created).total_seconds() / 3600
        total = sum(delays)
        if total > available_h * 0.95:
            scale = available_h * 0.95 / total
            delays = [x * scale for x in delays]
        steps = [Step(created, i, 0, "register")]
        at = created
        for order, ((act, args), delay) in enumerate(zip(acts, delays, strict=True), start=1):
            at = at + timedelta(hours=delay)
            steps.append(Step(at, i, order, act, args))
        return steps

    def scenario_acts(self, scenario: str, category, i: int) -> list[tuple[str, dict]]:
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
        from cases import services

        plan = self.plans[step.case_no]
        if step.act == "register":
            self.cases[step.case_no] = self.register(plan)
            return
        case = self.cases[step.case_no]
        staff = self.staff[case.assigned_unit_id]
        if step.act == "assign":
            case = services.case_assign(case=case, actor=staff.chief, officer=staff.inv)
        elif step.act == "note":
            services.case_add_note(case=case, actor=staff.inv, note=step.args["note"])
        elif step.act == "transfer":
            siblings = [
                row[3]
                for row in self.districts
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
            if step.act == "refer":
                year = timezone.localtime(step.at).year
                tdata.prosecutor_office = plan["wilaya"].prosecutor_ar
                tdata.prosecutor_reference = (
                    f"{self.rng.randrange(100, 9999)}/{self.rng.choice(('3101', '2101'))}/{year}"
                )
            case = services.case_transition(case=case, actor=actor, transition=step.act, data=tdata)
        self.cases[step.case_no] = case

    def register(self, plan: dict):
        from cases import services

        channel = plan["channel"]
        w = plan["wilaya"]
        ws = self.wilaya_staff[w.code]
        if channel == "duty":
            actor = ws["duty"]
        elif channel == "line19":
            actor = ws["dispatcher"]
        elif channel == "press":
            actor = ws[f"chief.{plan['area'].code}"]
        elif channel in ("ombudsman", "inpplc", "cndh"):
            actor = self.oversight
        else:
            actor = self.staff[plan["district_unit"].pk].desk
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

    # ------------------------------------------------------------------ summary

    def print_logins(self) -> None:
        if self.verbosity < 1:
            return
        users = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in MAIN_LOGINS])}
        self.stdout.write("")
        self.stdout.write(f"  {'login':<20} {'who':<46} unit")
        for username, who in MAIN_LOGINS:
            u = users.get(username)
            if u is not None:
                self.stdout.write(f"  {username:<20} {who:<46} {u.unit.code if u.unit else ''}")
        self.stdout.write(f"  password: {data.DEMO_PASSWORD}")
