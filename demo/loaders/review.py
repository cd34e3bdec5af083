"""The annual review for the demo: last year with national objectives, a project, validated
operational results and the wilayas' reviews frozen by the director; this year in progress (targets
with quarterly interim targets, results, Rabat's review being written, Casablanca's submitted).

Runs at the real time, after every other loader (the audit chain's times only grow): results of
last year are dated in its December, which the results' rule (no more than a year before the
complaint) allows for the demo's recent complaints. A director (central unit chief) is created
here: the level above the wilayas."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from analytics.review.services import objective_add_project, objective_set_target, review_freeze, review_save
from cases.choices import Sensitivity
from cases.models import Case
from cases.services import result_record, result_validate
from demo import data
from demo.loaders.organisation import Organisation
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.services import user_create

# National defaults (metric, comparator, target as typed: shares in per cent).
DEFAULTS = (
    ("within_deadline_share", "gte", "85"),
    ("under_target_share", "gte", "85"),
    ("backlog_over_90_share", "lte", "5"),
    ("mean_rating", "gte", "4"),
    ("result:arrests", "gte", "40"),
    ("result:psychotropic_tablets", "gte", "20000"),
    ("result:cannabis_resin", "gte", "150"),
)
# The roadmap of this year: cumulative interim targets at the end of each quarter.
QUARTERLY = {
    "result:arrests": ["10", "20", "30", "40"],
    "result:psychotropic_tablets": ["5000", "10000", "15000", "20000"],
}
QUANTITIES: dict[str, tuple[float, float, int]] = {
    "arrests": (1, 6, 0),
    "psychotropic_tablets": (300, 12000, 0),
    "cannabis_resin": (0.5, 60, 3),
    "cocaine": (5, 400, 1),
    "weapons": (1, 3, 0),
    "vehicles": (1, 2, 0),
    "cash": (500, 90000, 2),
}
TEXTS = {
    "achievements": "تقليص آجال معالجة الشكايات وتعميم التكفل الفوري بنداءات خط النجدة 19 في الدوائر الحضرية.",
    "challenges": "نقص الدوريات الليلية في الأحياء الهامشية، وتراكم الشكايات القديمة في دائرتين.",
    "constraints": "خصاص في الموارد البشرية خلال فصل الصيف وتقادم جزء من حظيرة السيارات.",
}


class ReviewLoader:
    def __init__(self, org: Organisation, rng: random.Random) -> None:
        self.org, self.rng = org, rng
        self.today = timezone.localdate()
        self.year = self.today.year

    def load(self) -> dict[str, Any]:
        central = Unit.objects.get(code=data.CENTRAL.code)
        director = user_create(
            actor=self.org.admin,
            username="director",
            password=data.DEMO_PASSWORD,
            unit=central,
            roles=[Role.UNIT_CHIEF],
            first_name="سعيد",
            last_name="الإدريسي",
            email=f"director@{data.DEMO_EMAIL_DOMAIN}",
        )
        for year in (self.year - 1, self.year):
            for metric, comparator, target in DEFAULTS:
                quarterly = QUARTERLY.get(metric) if year == self.year else None
                objective_set_target(
                    actor=director,
                    unit=central,
                    year=year,
                    metric=metric,
                    comparator=comparator,
                    target=target,
                    quarterly=quarterly,
                )
        self._projects(director)
        results = self._results()
        reviews = self._reviews(director)
        return {"results": results, "reviews": reviews}

    def _projects(self, director: User) -> None:
        casa = Unit.objects.get(code="CAS", kind=UnitKind.WILAYA)
        objective_add_project(
            actor=director,
            unit=casa,
            year=self.year - 1,
            title="فتح مصلحة للمداومة بسيدي مومن",
            milestones=[
                ("اختيار المقر وتجهيزه", date(self.year - 1, 4, 30)),
                ("تعيين الطاقم وبدء العمل", date(self.year - 1, 10, 31)),
            ],
        )
        objective_add_project(
            actor=director,
            unit=casa,
            year=self.year,
            title="تعميم الدوريات الراجلة بمحيط المؤسسات التعليمية",
            milestones=[
                ("خطة الانتشار", date(self.year, 3, 31)),
                ("التعميم على جميع المناطق", date(self.year, 12, 15)),
            ],
        )

    def _results(self) -> int:
        """Results on the demo's normal complaints, by the district chief (validated), a few left
        waiting for validation this year."""
        staff = self.org.staff
        cases = list(
            Case.objects.filter(sensitivity=Sensitivity.NORMAL, assigned_unit_id__in=list(staff)).order_by("id")[:60]
        )
        count = 0
        for i, case in enumerate(cases):
            chief = staff[case.assigned_unit_id].chief
            last_year = i % 2 == 0
            day = self._last_year_day(case, i) if last_year else self._this_year_day(case)
            kind = self.rng.choice(list(QUANTITIES))
            low, high, decimals = QUANTITIES[kind]
            quantity = (
                round(self.rng.uniform(low, high), decimals) if decimals else self.rng.randint(int(low), int(high))
            )
            result = result_record(case=case, actor=chief, kind=kind, quantity=str(quantity), occurred_on=day)
            if last_year or i % 7:
                result_validate(result=result, actor=chief)
            count += 1
        return count

    def _last_year_day(self, case: Case, i: int) -> date:
        """A day of last December, no earlier than a year before the complaint (the results' rule)."""
        earliest = timezone.localtime(case.created_at).date() - timedelta(days=365)
        return min(max(date(self.year - 1, 12, 1 + i % 28), earliest), date(self.year - 1, 12, 31))

    def _this_year_day(self, case: Case) -> date:
        created = timezone.localtime(case.created_at).date()
        return created if created.year == self.year else self.today

    def _reviews(self, director: User) -> int:
        """Every wilaya's review of last year, submitted by its chief and frozen by the director;
        this year: Casablanca's submitted, Rabat's being written."""
        n = 0
        for w in data.WILAYAS:
            unit = Unit.objects.get(code=w.code, kind=UnitKind.WILAYA)
            chief = self.org.wilaya_staff[w.code]["chief"]
            review_save(actor=chief, unit=unit, year=self.year - 1, texts=TEXTS, submit=True)
            review_freeze(
                actor=director,
                unit=unit,
                year=self.year - 1,
                comment="نثمن المجهودات المبذولة، مع ضرورة تدارك النقص في التغطية الليلية خلال السنة المقبلة.",
            )
            n += 1
        casa = Unit.objects.get(code="CAS", kind=UnitKind.WILAYA)
        review_save(actor=self.org.wilaya_staff["CAS"]["chief"], unit=casa, year=self.year, texts=TEXTS, submit=True)
        rabat = Unit.objects.get(code="RBT", kind=UnitKind.WILAYA)
        review_save(
            actor=self.org.wilaya_staff["RBT"]["chief"],
            unit=rabat,
            year=self.year,
            texts={"achievements": TEXTS["achievements"]},
        )
        return n + 2
