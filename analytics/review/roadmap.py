"""The roadmap's quarterly follow-up: a target objective may carry four interim targets (the figure
expected from 1 January to the end of each quarter); each quarter is classified automatically.

- a quarter not started yet: pending;
- a quarter under way: on track when the figure so far meets its interim target, at risk otherwise;
- a quarter ended: on track when met, at risk when short by at most 10 % of the interim target
  (the review's amber band), missed beyond.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from analytics.review.choices import Follow, ObjectiveKind, Status
from analytics.review.display import value_text
from analytics.review.figures import Achieved, effective_objectives, metric_label, status_of
from org.models import Unit


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * (q - 1) + 1, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end


def classify(value: float | None, comparator: str, interim: float, *, started: bool, ended: bool) -> str:
    if not started:
        return Follow.PENDING
    status = status_of(value, comparator, interim)
    if status == Status.GREEN:
        return Follow.ON_TRACK
    if not ended or status == Status.AMBER:
        return Follow.AT_RISK
    return Follow.MISSED


def follow_up(unit: Unit, year: int, *, today: date | None = None) -> list[dict[str, Any]]:
    """Every target of the unit's year with interim targets, quarter by quarter."""
    today = today or timezone.localdate()
    objectives = [o for o in effective_objectives(unit, year) if o.kind == ObjectiveKind.TARGET and o.quarterly]
    if not objectives:
        return []
    figures: dict[int, Achieved] = {}
    out = []
    for obj in objectives:
        quarters = []
        for q, interim in enumerate(obj.quarterly, start=1):
            start, end = quarter_bounds(year, q)
            started, ended = today >= start, today >= end
            value = None
            if started:
                if q not in figures:
                    # Up to the quarter's end, or through today for the quarter under way.
                    figures[q] = Achieved(unit, year, until=min(end, today + timedelta(days=1)))
                value = figures[q].value(obj.metric)
            follow = classify(value, obj.comparator, interim, started=started, ended=ended)
            quarters.append(
                {
                    "quarter": q,
                    "interim": value_text(obj.metric, interim),
                    "value": value_text(obj.metric, value),
                    "follow": follow,
                    "follow_label": Follow(follow).label,
                }
            )
        out.append({"objective": obj, "label": metric_label(obj.metric), "quarters": quarters})
    return out


def last_ended_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the latest quarter already over on `today`."""
    q = (today.month - 1) // 3  # quarters fully over this year
    return (today.year, q) if q else (today.year - 1, 4)


def missed(unit: Unit, year: int, quarter: int) -> list[dict[str, Any]]:
    """The unit's objectives with interim targets missed at the end of `quarter` (raw values)."""
    objectives = [o for o in effective_objectives(unit, year) if o.kind == ObjectiveKind.TARGET and o.quarterly]
    if not objectives:
        return []
    figures = Achieved(unit, year, until=quarter_bounds(year, quarter)[1])
    out = []
    for obj in objectives:
        interim = obj.quarterly[quarter - 1]
        value = figures.value(obj.metric)
        if classify(value, obj.comparator, interim, started=True, ended=True) == Follow.MISSED:
            out.append({"objective": obj, "value": value, "interim": interim})
    return out
