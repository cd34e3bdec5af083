"""The permanent interlocutor's annual report: figures computed from the records of one year.

`annual_figures(year)` returns plain JSON (counts, days, shares), stored on the report when it is
generated, so that a frozen report keeps its figures whatever happens to the records later. The
trend against the previous years is a measured statement: the counts of each year, the change
against the previous year, and the direction ("fewer", "more", "as many").
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.utils import timezone

from cases.judicial import percentile
from org.choices import UnitKind
from org.models import Unit
from oversight.models import Allegation, Grievance, OfficerComplaint

TREND_YEARS = 4  # the year and the three before it


def _bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _wilaya_of(path: str, wilayas: list[Unit]) -> Unit | None:
    for w in wilayas:
        if path.startswith(w.path):
            return w
    return None


def _direction(now: int, before: int | None) -> str:
    if before is None:
        return "none"
    return "fewer" if now < before else "more" if now > before else "same"


def _officer_path(oc: OfficerComplaint) -> str:
    unit = oc.officer_unit or (oc.officer.unit if oc.officer else None)
    return unit.path if unit else ""


def _trend(year: int) -> list[dict[str, int]]:
    """Grievances and complaints against officers received in each of the TREND_YEARS up to `year`."""
    trend = []
    for y in range(year - TREND_YEARS + 1, year + 1):
        s, e = _bounds(y)
        trend.append(
            {
                "year": y,
                "grievances": Grievance.objects.filter(received_at__gte=s, received_at__lt=e).count(),
                "officer_complaints": OfficerComplaint.objects.filter(
                    case__created_at__gte=s, case__created_at__lt=e
                ).count(),
            }
        )
    return trend


def _wilaya_page(
    w: Unit, grievances: list[Grievance], officer: list[OfficerComplaint], allegations: list[Allegation]
) -> dict[str, Any]:
    """One wilaya's figures: the grievances its units inquired into, the complaints against its officers."""
    g_in = [g for g in grievances if g.inquiry_unit is not None and g.inquiry_unit.path.startswith(w.path)]
    o_in = [oc for oc in officer if _officer_path(oc).startswith(w.path)]
    ids = {oc.pk for oc in o_in}
    return {
        "code": w.code,
        "name_ar": w.name_ar,
        "name_fr": w.name_fr,
        "grievances": len(g_in),
        "answered": sum(1 for g in g_in if g.sent_at is not None),
        "officer_complaints": len(o_in),
        "sustained": sum(1 for a in allegations if a.finding == "sustained" and a.complaint_id in ids),
    }


def annual_figures(year: int) -> dict[str, Any]:
    """Every figure of the report for `year`, as JSON."""
    start, end = _bounds(year)
    grievances = list(
        Grievance.objects.filter(received_at__gte=start, received_at__lt=end).select_related("inquiry_unit")
    )
    wilayas = list(Unit.objects.filter(kind=UnitKind.WILAYA).order_by("code"))
    answered = [g for g in grievances if g.sent_at is not None]
    days = [round((g.sent_at - g.received_at).total_seconds() / 86400, 1) for g in answered]  # type: ignore[operator]
    outcomes = Counter(g.closure or "open" for g in grievances)
    by_unit = Counter(g.inquiry_unit.code for g in grievances if g.inquiry_unit is not None)

    officer = list(
        OfficerComplaint.objects.filter(case__created_at__gte=start, case__created_at__lt=end).select_related(
            "case", "officer__unit", "officer_unit"
        )
    )
    allegations = list(Allegation.objects.filter(complaint__in=officer))

    trend = _trend(year)
    previous = trend[-2] if len(trend) > 1 else None
    per_wilaya = [_wilaya_page(w, grievances, officer, allegations) for w in wilayas]
    return {
        "year": year,
        "grievances": {
            "total": len(grievances),
            "by_body": dict(sorted(Counter(g.body for g in grievances).items())),
            "by_topic": dict(sorted(Counter(g.topic for g in grievances).items())),
            "by_unit": dict(sorted(by_unit.items())),
            "by_outcome": dict(sorted(outcomes.items())),
            "answered": len(answered),
            "answer_days_median": percentile(days, 50),
            "answer_days_p90": percentile(days, 90),
            "answered_within_deadline": sum(1 for g in answered if g.answered_within_deadline),
        },
        "officers": {
            "total": len(officer),
            "by_allegation": dict(sorted(Counter(a.kind for a in allegations).items())),
            "by_finding": dict(sorted(Counter(a.finding or "pending" for a in allegations).items())),
            "by_outcome": dict(sorted(Counter(oc.outcome or "pending" for oc in officer).items())),
        },
        "trend": trend,
        "against_previous_year": {
            "grievances": _direction(len(grievances), previous["grievances"] if previous else None),
            "grievances_change": len(grievances) - previous["grievances"] if previous else None,
            "officer_complaints": _direction(len(officer), previous["officer_complaints"] if previous else None),
            "officer_complaints_change": len(officer) - previous["officer_complaints"] if previous else None,
        },
        "per_wilaya": per_wilaya,
    }
