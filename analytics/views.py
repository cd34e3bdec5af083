"""Dashboards of a unit's jurisdiction (the chief's home, the director's drill-down), the records
behind a figure, and the exports of every table shown (CSV, XLSX, the monthly PDF)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from analytics import exports, reports
from analytics.indicators import INDICATORS
from analytics.indicators.registry import BACKLOG, COMPLAINTS, FAMILY_LABELS, LINE19, OVERSIGHT, READINESS, SATISFACTION
from analytics.periods import parse_period, trailing_months
from analytics.selectors import (
    CHILD_COLUMNS,
    child_table,
    dashboard_unit,
    indicator_table,
    priority_table,
    records_behind,
    sees_records,
    today,
    trail,
    trend,
)
from core.errors import NotFound
from core.http import page_errors, role_required
from org import access
from org.models import User

INDICATOR_ROLES = access.roles_for(access.INDICATORS)
SECTIONS = (BACKLOG, COMPLAINTS, LINE19, READINESS, SATISFACTION, OVERSIGHT)


def viewer(request: HttpRequest) -> User:
    """The signed-in member of staff (the decorators have checked the session and the role)."""
    return cast(User, request.user)


def _figures_by_family(request: HttpRequest, unit: Any, period: Any) -> list[tuple[str, Any, list[Any]]]:
    figures = indicator_table(viewer(request), unit, period)
    out = [(fam, FAMILY_LABELS[fam], [f for f in figures if f.indicator.family == fam]) for fam in SECTIONS]
    return [s for s in out if s[2]]


def _map_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": r["unit"].display_name,
            "lat": r["unit"].latitude,
            "lon": r["unit"].longitude,
            "received": r["cells"]["received"] or 0,
            "kind": r["unit"].kind,
            "url": reverse("analytics:unit", args=[r["unit"].pk]),
        }
        for r in rows
        if r["unit"].latitude is not None and not r["own"]
    ]


def _dashboard(request: HttpRequest, unit_id: int | None) -> HttpResponse:
    user = viewer(request)
    unit = dashboard_unit(user, unit_id)
    period = parse_period(request.GET.get("period"))
    rows = child_table(user, unit, period)
    months = trailing_months(period)
    context = {
        "unit": unit,
        "trail": trail(user, unit),
        "period": period,
        "sections": _figures_by_family(request, unit, period),
        "children": rows,
        "child_columns": [INDICATORS[c] for c in CHILD_COLUMNS],
        "priorities": priority_table(user, unit, period),
        "line19_indicators": [INDICATORS[c] for c in INDICATORS if INDICATORS[c].family == LINE19],
        "today": today(user, unit),
        "records": sees_records(user),
        "chart": {
            "trend": trend(user, unit, months),
            "children": {
                "names": [r["unit"].display_name for r in rows],
                "received": [r["cells"]["received"] or 0 for r in rows],
                "overdue": [r["cells"]["overdue"] or 0 for r in rows],
            },
            "map": _map_points(rows),
            "labels": {"received": str(_("Received")), "closed": str(_("Closed")), "overdue": str(_("Overdue"))},
        },
        "map_tiles": settings.MAP_TILE_URL,
        "tables": exports.TABLES,
    }
    return render(request, "analytics/dashboard.html", context)


@login_required
@page_errors
@role_required(*INDICATOR_ROLES)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The chief's home: their own unit's dashboard."""
    return _dashboard(request, None)


@login_required
@page_errors
@role_required(*INDICATOR_ROLES)
@require_GET
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit of the viewer's jurisdiction (the drill-down)."""
    return _dashboard(request, unit_id)


@login_required
@page_errors
@role_required(*INDICATOR_ROLES)
@require_GET
def records(request: HttpRequest, unit_id: int, name: str) -> HttpResponse:
    """The complaints behind a figure, as the viewer may list them (never for analysts)."""
    user = viewer(request)
    target = dashboard_unit(user, unit_id)
    period = parse_period(request.GET.get("period"))
    qs = records_behind(user, target, name, period)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    label = next((i.label for i in INDICATORS.values() if i.records == name), "")
    return render(
        request,
        "analytics/records.html",
        {"unit": target, "period": period, "page": page, "name": name, "label": label, "trail": trail(user, target)},
    )


@login_required
@page_errors
@role_required(*INDICATOR_ROLES)
@require_GET
def export(request: HttpRequest, unit_id: int, table: str, fmt: str) -> HttpResponse:
    """A table of the dashboard (or the records behind a figure) as CSV or XLSX, filters applied."""
    user = viewer(request)
    target = dashboard_unit(user, unit_id)
    period = parse_period(request.GET.get("period"))
    if fmt not in exports.FORMATS:
        raise NotFound(_("No such export."))
    header, rows, title = exports.table(user, target, period, table, request.GET.get("name", ""))
    return exports.respond(fmt, header, rows, f"{target.code}-{table}-{period.key}", title)


@login_required
@page_errors
@role_required(*INDICATOR_ROLES)
@require_GET
def report(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The monthly summary of a unit as a PDF, in Arabic or French (`?lang=`)."""
    target = dashboard_unit(viewer(request), unit_id)
    period = parse_period(request.GET.get("period"))
    pdf = reports.monthly_pdf(viewer(request), target, period, reports.report_language(request.GET.get("lang")))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{target.code}-{period.key}.pdf"'
    return response
