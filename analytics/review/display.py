"""How the review's figures read on the page: labels in the reader's language (stored figures
keep codes, never translated text), values in their metric's unit, the target with its comparator,
the colour and the trend against last year."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format

from analytics.indicators import INDICATORS
from analytics.indicators.registry import COUNT
from analytics.review.choices import Comparator, Status
from analytics.review.figures import RESULT_PREFIX, Row, metric_label
from analytics.templatetags.analytics_tags import indicator_value
from cases.choices import RESULT_UNITS, MeasureUnit
from org.models import Unit


def value_text(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    if metric.startswith(RESULT_PREFIX):
        kind = metric[len(RESULT_PREFIX) :]
        measure, decimals = RESULT_UNITS.get(kind, ("", 0))
        shown = f"{value:.{decimals}f}".rstrip("0").partition(".")[2] if decimals else ""
        number = number_format(value, len(shown), force_grouping=True)
        return f"{number} {MeasureUnit(measure).label}" if measure else number
    ind = INDICATORS.get(metric)
    return indicator_value(value, ind.kind if ind else COUNT)


def trend(row: Row) -> str:
    """ "better", "worse", "same" against last year, in the objective's direction; "" without both."""
    if row.value is None or row.last_year is None:
        return ""
    if row.value == row.last_year:
        return "same"
    up = row.value > row.last_year
    return "better" if up == (row.comparator != Comparator.AT_MOST) else "worse"


def rows_for_page(rows: list[Row]) -> dict[str, list[dict[str, Any]]]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.inherited_from for r in rows if r.inherited_from})}
    targets, projects = [], []
    for r in rows:
        common = {
            "row": r,
            "status": r.status,
            "status_label": Status(r.status).label,
            "inherited": units.get(r.inherited_from) if r.inherited_from else None,
        }
        if r.kind == "project":
            projects.append({**common, "title": r.title, "milestones": r.milestones})
            continue
        targets.append(
            {
                **common,
                "label": metric_label(r.metric),
                "explanation": INDICATORS[r.metric].explanation if r.metric in INDICATORS else "",
                # In words: a "≥" would be mirrored on a right-to-left page.
                "target": f"{Comparator(r.comparator or Comparator.AT_LEAST).label} {value_text(r.metric, r.target)}",
                "value": value_text(r.metric, r.value),
                "last_year": value_text(r.metric, r.last_year),
                "trend": trend(r),
            }
        )
    return {"targets": targets, "projects": projects}


def results_for_page(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "label": metric_label(f"{RESULT_PREFIX}{r['kind']}"),
            "value": value_text(f"{RESULT_PREFIX}{r['kind']}", r["value"]),
            "last_year": value_text(f"{RESULT_PREFIX}{r['kind']}", r["last_year"]),
        }
        for r in results
    ]
