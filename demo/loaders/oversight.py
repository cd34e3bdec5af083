"""A year of oversight for the demo: grievances from the Ombudsman, the CNDH and the INPPLC, and
complaints against officers across the demo wilayas, made through the services in time order (the
clock set to each moment), so that the annual report and the indicators have something to show.

Proportions (fictional, plausible): most grievances come from the Ombudsman; most are answered
within the 60 days; about one allegation in five against an officer is sustained.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from cases import services as case_services
from cases.models import Case, Category
from demo import data
from demo.clock import clock
from demo.loaders.organisation import Organisation
from org.choices import Role
from org.models import User
from org.services import user_create
from oversight import services
from oversight.models import Grievance
from oversight.officers import OfficerInput, officer_complaint_conclude, officer_complaint_record

DAYS = 365
GRIEVANCES = 120
OFFICER_COMPLAINTS = 40
BODIES = [("ombudsman", 60), ("cndh", 25), ("inpplc", 15)]
TOPICS = [
    ("delay", 35),
    ("conduct", 20),
    ("refusal", 12),
    ("custody", 10),
    ("documents", 13),
    ("corruption", 5),
    ("other", 5),
]
SUBJECTS = {
    "delay": "تأخر في معالجة شكاية",
    "conduct": "سوء معاملة من طرف موظف شرطة",
    "refusal": "رفض تسلم شكاية بالدائرة الأمنية",
    "custody": "ظروف الحراسة النظرية",
    "documents": "تأخر تسليم البطاقة الوطنية للتعريف",
    "corruption": "طلب رشوة مزعوم",
    "other": "طلب معلومات حول مآل مسطرة",
}
BODY_PREFIX = {"ombudsman": "MR", "cndh": "CNDH", "inpplc": "INPPLC"}
ALLEGATIONS = [
    ("discourtesy", 35),
    ("force", 20),
    ("abuse", 15),
    ("neglect", 15),
    ("corruption", 8),
    ("discrimination", 7),
]
FINDINGS = [("sustained", 20), ("not_sustained", 35), ("unfounded", 30), ("exonerated", 15)]
SANCTIONS = [("training", 50), ("disciplinary", 35), ("judicial", 15)]
ANSWERS = (
    "بعد البحث الذي أجرته المصلحة المختصة، تبين أن الشكاية عولجت وأحيلت على النيابة العامة المختصة.\n"
    "وتبقى مصالح الأمن الوطني رهن إشارة المشتكي لأي معلومة إضافية."
)


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


class OversightLoader:
    def __init__(self, org: Organisation, rng: random.Random, real_now: datetime) -> None:
        self.org, self.rng, self.now = org, rng, real_now
        self.actions: list[tuple[datetime, int, Callable[[], Any]]] = []

    def at(self, when: datetime, action: Callable[[], Any]) -> None:
        if when < self.now:
            self.actions.append((when, len(self.actions), action))

    def load(self) -> dict[str, int]:
        start = self.now - timedelta(days=DAYS)
        with clock(start):
            second = user_create(
                actor=self.org.admin,
                username="oversight.2",
                password=data.DEMO_PASSWORD,
                unit=self.org.oversight.unit,
                roles=[Role.OVERSIGHT],
                first_name="Nadia",
                last_name="El Amrani",
                email=f"oversight.2@{data.DEMO_EMAIL_DOMAIN}",
            )
            head = user_create(
                actor=self.org.admin,
                username="oversight.head",
                password=data.DEMO_PASSWORD,
                unit=self.org.oversight.unit,
                roles=[Role.OVERSIGHT, Role.UNIT_CHIEF],
                first_name="Hicham",
                last_name="Bennani",
                email=f"oversight.head@{data.DEMO_EMAIL_DOMAIN}",
            )
        for i in range(GRIEVANCES):
            self._grievance(i, start + timedelta(days=self.rng.uniform(0, DAYS - 1)), second, head)
        for _i in range(OFFICER_COMPLAINTS):
            self._officer_complaint(start + timedelta(days=self.rng.uniform(0, DAYS - 5)))
        # Grievance registrations and officer complaints first at equal times, then the acts.
        for when, _order, action in sorted(self.actions, key=lambda a: (a[0], a[1])):
            with clock(when):
                action()
        return {"grievances": Grievance.objects.count(), "officer_complaints": OFFICER_COMPLAINTS}

    # ------------------------------------------------------------------ grievances

    def _grievance(self, i: int, received: datetime, second: User, head: User) -> None:
        rng, liaison = self.rng, self.org.oversight
        body, topic = pick(rng, BODIES), pick(rng, TOPICS)
        _w, _a, _d, district = rng.choice(self.org.districts)
        ref = f"{BODY_PREFIX[body]}/{received.year}/{1000 + i}"
        box: dict[str, Grievance] = {}

        def register() -> None:
            box["g"] = services.grievance_register(
                actor=liaison,
                data=services.GrievanceInput(
                    body=body,
                    body_reference=ref,
                    received_at=received,
                    subject=SUBJECTS[topic],
                    topic=topic,
                    citizen_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
                    letter_language="fr" if rng.random() < 0.15 else "ar",
                    units=[district],
                ),
            )

        def act(name: str, actor: User, **kw: Any) -> Callable[[], None]:
            def run() -> None:
                g = Grievance.objects.get(pk=box["g"].pk)
                services.grievance_transition(
                    grievance=g, actor=actor, transition=name, data=services.GrievanceAction(**kw)
                )

            return run

        self.at(received, register)
        t = received + timedelta(days=rng.uniform(2, 18))
        if rng.random() < 0.1:
            closure = "outside_remit" if rng.random() < 0.6 else "redirected"
            self.at(t, act("close_unanswered", liaison, closure=closure, note="خارج اختصاص المصالح الأمنية"))
            return
        self.at(t, act("assign_inquiry", liaison, unit=district))
        # Most answers within 60 days, a tail beyond.
        t += timedelta(days=rng.uniform(15, 45) if rng.random() < 0.8 else rng.uniform(50, 90))
        self.at(t, act("draft", liaison, answer_text=ANSWERS, note="تم الاستماع إلى الأطراف."))
        t += timedelta(days=rng.uniform(0.5, 3))
        self.at(t, act("review", second))
        t += timedelta(days=rng.uniform(0.5, 3))
        self.at(t, act("approve", head))
        t += timedelta(days=rng.uniform(0.2, 2))
        self.at(t, act("send", liaison))
        t += timedelta(days=rng.uniform(1, 7))
        self.at(t, act("close", liaison, closure="answered"))

    # ------------------------------------------------------------------ complaints against officers

    def _officer_complaint(self, at: datetime) -> None:
        rng, org = self.rng, self.org
        _wilaya, _area, place, district = rng.choice(org.districts)
        staff = org.staff.get(district.pk)
        inspector = User.objects.get(username="inspector")
        box: dict[str, Case] = {}
        kinds = list(dict.fromkeys(pick(rng, ALLEGATIONS) for _ in range(rng.choice((1, 1, 2)))))

        def register() -> None:
            desk = staff.desk if staff and staff.desk else (staff.inv if staff else org.oversight)
            box["case"] = case_services.complaint_register(
                actor=desk,
                data=case_services.IntakeInput(
                    channel="counter",
                    category=Category.objects.get(code="officer_misconduct"),
                    description="يشتكي المواطن من سلوك موظف شرطة أثناء مراقبة طرقية.",
                    complainant=case_services.ComplainantInput(anonymous=True),
                    latitude=place.lat,
                    longitude=place.lon,
                ),
            )

        def record() -> None:
            officers = list(User.objects.filter(unit=district, is_active=True))
            officer = rng.choice(officers) if officers and rng.random() < 0.7 else None
            officer_complaint_record(
                case=box["case"],
                actor=inspector,
                data=OfficerInput(
                    officer=officer,
                    officer_unit=None if officer else district,
                    allegations=kinds,
                    place=place.name_ar,
                    description="" if officer else "شرطي بزي رسمي، سيارة نجدة",
                    vehicle_number="" if officer else f"{rng.randint(10000, 99999)}-ش-{rng.randint(1, 80)}",
                ),
            )

        def conclude() -> None:
            from oversight.models import OfficerComplaint

            oc = OfficerComplaint.objects.get(case=box["case"])
            findings = {a.pk: pick(rng, FINDINGS) for a in oc.allegations.all()}
            sustained = "sustained" in findings.values()
            officer_complaint_conclude(
                case=Case.objects.get(pk=box["case"].pk),
                actor=inspector,
                findings=findings,
                outcome=pick(rng, SANCTIONS) if sustained else "none",
            )

        self.at(at, register)
        self.at(at + timedelta(days=rng.uniform(1, 10)), record)
        self.at(at + timedelta(days=rng.uniform(30, 120)), conclude)
