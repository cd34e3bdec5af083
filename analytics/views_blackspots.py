"""Pages of the black spots (/blackspots/): the map for chiefs and directors, one cell's counts, the
shift's printable patrol plan with its presence indicator, and the plan's layer for the board.

Thin: parse, call `analytics.blackspots` / `analytics.patrol_plan`, render. Every read starts from
the reader's jurisdiction (`region_for`); a refusal is a translated 4xx page (`page_errors`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from analytics import blackspots, patrol_plan
from analytics import plan_pdf as plan_pdf_module
from core.errors import DomainError
from core.http import json_error, page_errors, role_required
from org import access

MAP_ROLES = access.roles_for(access.BLACKSPOTS)
PLAN_ROLES = access.roles_for(access.PATROL_PLAN)


def _labels() -> dict[str, Any]:
    """Every word the map's script shows (the script holds no text)."""
    return {
        "bin": {
            # xgettext:no-python-format
            "3": str(_("Hot spot, 99 % confidence")),
            # xgettext:no-python-format
            "2": str(_("Hot spot, 95 % confidence")),
            # xgettext:no-python-format
            "1": str(_("Hot spot, 90 % confidence")),
            "0": str(_("Not significant")),
            # xgettext:no-python-format
            "-1": str(_("Cold spot, 90 % confidence")),
            # xgettext:no-python-format
            "-2": str(_("Cold spot, 95 % confidence")),
            # xgettext:no-python-format
            "-3": str(_("Cold spot, 99 % confidence")),
        },
        "trend": {
            "new": str(_("New")),
            "persistent": str(_("Persistent")),
            "intensifying": str(_("Intensifying")),
            "diminishing": str(_("Diminishing")),
            "gone": str(_("Gone")),
            "none": str(_("No hot spot")),
        },
        "count": str(_("Incidents this period")),
        "previous": str(_("Previous period")),
        "forecast": str(_("Forecast score")),
        "top": str(_("Forecast black spot")),
        "rank": str(_("Plan rank")),
        "loading": str(_("Loading…")),
    }


@login_required
@page_errors
@role_required(*MAP_ROLES)
@require_GET
def spot_map(request: HttpRequest) -> HttpResponse:
    """The black-spot map: Gi* bins, the comparison with the previous period, the forecast."""
    period = blackspots.parse_period(request.GET.get("period"))
    resolution = blackspots.parse_resolution(request.GET.get("res"))
    result = blackspots.spot_map(request.user, period=period, resolution=resolution)  # type: ignore[arg-type]
    unit = request.user.unit  # type: ignore[union-attr]
    centre = result.centre or ((unit.latitude, unit.longitude) if unit and unit.latitude else (31.8, -7.1))
    context = {
        "result": result,
        "hot_percent": round(result.hot_share * 100),
        "map_data": {"cells": result.cells, "centre": centre, "period": period},
        "labels": _labels(),
        "periods": [(k, PERIOD_LABELS[k]) for k in blackspots.PERIODS],
        "resolutions": blackspots.RESOLUTIONS,
        "map_tiles": settings.MAP_TILE_URL,
        "can_plan": request.user.has_role(*PLAN_ROLES),  # type: ignore[union-attr]
    }
    return render(request, "analytics/blackspots/map.html", context)


PERIOD_LABELS = {"week": _("Week"), "month": _("4 weeks"), "quarter": _("Quarter"), "year": _("Year")}


@login_required
@page_errors
@role_required(*MAP_ROLES)
@require_GET
def cell(request: HttpRequest, cell_id: str) -> HttpResponse:
    """One cell's counts by category and by hour of the week (a fragment for the map's side panel)."""
    period = blackspots.parse_period(request.GET.get("period"))
    detail = blackspots.cell_detail(request.user, cell=blackspots.parse_cell(cell_id), period=period)  # type: ignore[arg-type]
    rows = [{"day": day, "hours": hours} for day, hours in zip(WEEKDAYS, detail.hour_of_week, strict=True)]
    peak = max((max(r) for r in detail.hour_of_week), default=0)
    return render(request, "analytics/blackspots/_cell.html", {"detail": detail, "rows": rows, "peak": peak})


WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


def plan_context(request: HttpRequest) -> dict[str, Any]:
    """Parse the plan's query (area, day, shift, size) and compute the plan and its presence."""
    now = timezone.now()
    unit = patrol_plan.plan_unit(request.user, request.GET.get("unit"))  # type: ignore[arg-type]
    shift = patrol_plan.parse_shift(request.GET.get("date"), request.GET.get("shift"), now)
    size = patrol_plan.parse_size(request.GET.get("cells"))
    result = patrol_plan.patrol_plan(unit, shift, size=size)
    seen = patrol_plan.presence(result, now=now)
    return {
        "plan": result,
        "presence": seen,
        "size": size,
        "share_percent": round(result.last_period_share * 100),
        "presence_percent": round(seen.share * 100) if seen else None,
        "cells": [{**asdict(c), "minutes": seen.per_cell.get(c.cell, 0.0) if seen else None} for c in result.cells],
        "printed_at": now,
    }


@login_required
@page_errors
@role_required(*PLAN_ROLES)
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    """The shift's patrol plan for one area: the cells to cover, printable, and after the shift the
    patrols' presence in them."""
    context = plan_context(request)
    context.update(
        {
            "units": patrol_plan.plan_units(request.user),  # type: ignore[arg-type]
            "shifts": list(patrol_plan.SHIFT_LABELS.items()),
            "sizes": patrol_plan.PLAN_SIZES,
            "map_data": {"cells": context["cells"]},
            "map_tiles": settings.MAP_TILE_URL,
            "pdf_query": request.GET.urlencode(),
        }
    )
    return render(request, "analytics/blackspots/plan.html", context)


@login_required
@page_errors
@role_required(*PLAN_ROLES)
@require_GET
def plan_pdf(request: HttpRequest) -> HttpResponse:
    """The same plan as an A4 PDF in the reader's language (Arabic or French)."""
    response = HttpResponse(plan_pdf_module.render_plan_pdf(plan_context(request)), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="patrol-plan.pdf"'
    return response


@login_required
@require_GET
def board_layer(request: HttpRequest) -> HttpResponse:
    """The current shift's plan cells of the reader's areas, as GeoJSON, for the board's toggle."""
    try:
        return JsonResponse(role_required(*PLAN_ROLES)(_layer)(request))
    except DomainError as exc:
        return json_error(exc)


def _layer(request: HttpRequest) -> Any:
    return patrol_plan.board_layer(request.user)  # type: ignore[arg-type]
