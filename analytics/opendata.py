"""Open data: monthly counts of complaints by category and province, for anyone.

Read from the `ComplaintDay` rollup. Only complete months are published. A province is the
area / provincial security (الأمن الإقليمي) that holds the complaints (a wilaya's own records count
under the wilaya). Nothing personal, and never a protected category (domestic violence, sexual
offences, minors) nor a complaint against an officer: both the category's and the complaint's
sensitivity must be normal. Any count below `SMALL_CELL` (1 to 4) is suppressed: published as
empty (CSV) or null (JSON) with `suppressed` true, so that a rare event in a small place cannot
point to a person.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import ComplaintDay
from analytics.periods import Period, parse_period
from cases.choices import Sensitivity
from cases.models import Category
from core.errors import ValidationFailed
from org.choices import UnitKind
from org.models import Unit

SMALL_CELL = 5
MAX_MONTHS = 36
COUNTS = ("received", "closed")
# The documented schema of a row (the page shows it; the JSON carries it).
SCHEMA = [
    ("month", "string", _("Month: the year then the month in digits, e.g. 2025-03 (Morocco's calendar).")),
    ("province_code", "string", _("Code of the provincial security (area) or wilaya that holds the complaints.")),
    ("province_ar", "string", _("Its name in Arabic.")),
    ("province_fr", "string", _("Its name in French.")),
    ("category", "string", _("Code of the complaint category.")),
    ("category_ar", "string", _("Category in Arabic.")),
    ("category_fr", "string", _("Category in French.")),
    ("received", "integer or empty", _("Complaints registered that month; empty when fewer than 5.")),
    ("closed", "integer or empty", _("Complaints closed that month; empty when fewer than 5.")),
    ("suppressed", "boolean", _("True when a count of the row was withheld (between 1 and 4).")),
]


def months_between(first: str | None, last: str | None) -> list[Period]:
    """The complete months asked for (default: the last twelve); bad input is a translated 422."""
    this_month = Period(timezone.localdate().year, timezone.localdate().month)
    end = parse_period(last) if last else this_month.previous()
    start = parse_period(first) if first else Period(end.year - 1, end.month)
    if start.month is None or end.month is None:
        raise ValidationFailed(_("Open data is published by month (YYYY-MM)."), fields={"from": _("A month.")})
    if end.start >= this_month.start:
        end = this_month.previous()
    months: list[Period] = []
    cursor = end
    while cursor.start >= start.start and len(months) < MAX_MONTHS:
        months.append(cursor)
        cursor = cursor.previous()
    return list(reversed(months))


def _province(unit_path: str, by_id: dict[int, Unit]) -> Unit | None:
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    chain = [by_id[i] for i in ids if i in by_id]
    for kind in (UnitKind.AREA, UnitKind.WILAYA):
        found = next((u for u in chain if u.kind == kind), None)
        if found is not None:
            return found
    return None


def monthly_rows(months: list[Period]) -> list[dict[str, Any]]:
    """One row per month × province × category with at least one complaint, cells suppressed."""
    if not months:
        return []
    public = Category.objects.filter(sensitivity=Sensitivity.NORMAL)
    rows = (
        ComplaintDay.objects.filter(
            day__gte=months[0].start,
            day__lt=months[-1].end,
            sensitivity=Sensitivity.NORMAL,
            category__in=public,
        )
        .values("unit_path", "category_id", "day__year", "day__month")
        .annotate(received=Sum("received"), closed=Sum("closed"))
        .order_by()
    )
    by_id = {u.pk: u for u in Unit.objects.filter(kind__in=(UnitKind.AREA, UnitKind.WILAYA))}
    categories = {c.pk: c for c in public}
    cells: dict[tuple[str, int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for r in rows:
        province = _province(r["unit_path"], by_id)
        if province is None:
            continue
        key = (f"{r['day__year']:04d}-{r['day__month']:02d}", province.pk, r["category_id"])
        cells[key]["received"] += r["received"] or 0
        cells[key]["closed"] += r["closed"] or 0
    out = []
    for (month, province_id, category_id), counts in sorted(
        cells.items(), key=lambda kv: (kv[0][0], by_id[kv[0][1]].code, categories[kv[0][2]].code)
    ):
        if not any(counts.values()):
            continue
        p, cat = by_id[province_id], categories[category_id]
        small = {c: 0 < counts[c] < SMALL_CELL for c in COUNTS}
        out.append(
            {
                "month": month,
                "province_code": p.code,
                "province_ar": p.name_ar,
                "province_fr": p.name_fr,
                "category": cat.code,
                "category_ar": cat.name_ar,
                "category_fr": cat.name_fr,
                **{c: None if small[c] else counts[c] for c in COUNTS},
                "suppressed": any(small.values()),
            }
        )
    return out
