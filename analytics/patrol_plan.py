"""From black spots to patrols: per area (or district) and shift, the cells to cover and, after the
shift, how much of it the patrols spent there (the presence indicator of the 2018 directive).

The plan is computed, not stored: the forecast at the shift's start from the incidents received
before it, in the shift's hours of the day (a night plan learns from night incidents), so printing it
again later gives the same cells unless incidents were back-dated into the past since.

Presence comes from what line 19 records: a patrol's last reported position only (no trail), and
every mission's times on scene at the incident's place (`emergency.Assignment`). So the indicator is
the share of the plan's time (each cell for the whole shift) during which a patrol was on scene
inside the cell; time spent patrolling there between missions is not recorded anywhere yet and is
not counted, so the figure is a floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

import h3
import numpy as np
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.blackspots import (
    DEFAULT_RESOLUTION,
    HISTORY_DAYS,
    Points,
    Region,
    boundary,
    days,
    forecast_scores,
    gather,
    region_for,
    top_cells,
)
from analytics.spatial.grid import h3_cells, h3_study_area, index_in
from core.errors import NotFound, ValidationFailed
from emergency.models import Assignment
from org import access
from org.choices import UnitKind
from org.models import Unit, User

# Local 8-hour shifts, as the roster of line 19 runs them.
SHIFTS: dict[str, tuple[int, int]] = {"morning": (6, 14), "afternoon": (14, 22), "night": (22, 6)}
SHIFT_LABELS = {"morning": _("Morning (06–14)"), "afternoon": _("Afternoon (14–22)"), "night": _("Night (22–06)")}
PLAN_SIZES = range(1, 21)
DEFAULT_SIZE = 5
LAST_PERIOD_DAYS = 28
PLAN_UNIT_KINDS = (UnitKind.AREA, UnitKind.DISTRICT)


@dataclass(frozen=True)
class Shift:
    name: str
    start: datetime
    end: datetime

    @property
    def hours(self) -> tuple[int, int]:
        return SHIFTS[self.name]

    @property
    def label(self) -> Any:
        return SHIFT_LABELS[self.name]

    def holds_hour(self, hour: np.ndarray) -> np.ndarray:
        lo, hi = self.hours
        return (hour >= lo) & (hour < hi) if lo < hi else (hour >= lo) | (hour < hi)


def shift_of(day: date, name: str) -> Shift:
    lo, hi = SHIFTS[name]
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(lo), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1 if hi <= lo else 0), time(hi), tzinfo=tz)
    return Shift(name=name, start=start, end=end)


def shift_at(moment: datetime) -> Shift:
    """The shift running at `moment` (a night shift belongs to the day it starts)."""
    local = timezone.localtime(moment)
    for name, (lo, hi) in SHIFTS.items():
        if lo < hi and lo <= local.hour < hi:
            return shift_of(local.date(), name)
    day = local.date() if local.hour >= SHIFTS["night"][0] else local.date() - timedelta(days=1)
    return shift_of(day, "night")


def parse_shift(day_raw: str | None, name_raw: str | None, now: datetime) -> Shift:
    if not day_raw and not name_raw:
        return shift_at(now)
    name = (name_raw or "").strip()
    if name not in SHIFTS:
        raise ValidationFailed(_("Unknown shift."), fields={"shift": _("Unknown value.")})
    try:
        day = date.fromisoformat((day_raw or "").strip())
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), fields={"date": _("Not a date.")}) from None
    if not 2000 <= day.year <= 2199:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), fields={"date": _("Not a date.")})
    return shift_of(day, name)


def parse_size(raw: str | None) -> int:
    text = (raw or str(DEFAULT_SIZE)).strip()
    if not text.isdigit() or int(text) not in PLAN_SIZES:
        raise ValidationFailed(_("Choose between 1 and 20 cells."), fields={"cells": _("Out of range.")})
    return int(text)


# ---------------------------------------------------------------- which units


def plan_units(user: User) -> list[Unit]:
    """The areas and districts of the reader's jurisdiction a plan can be drawn for."""
    region = region_for(user, access.PATROL_PLAN)
    qs = Unit.objects.filter(kind__in=PLAN_UNIT_KINDS)
    if region.path:
        qs = qs.filter(path__startswith=region.path)
    return list(qs.order_by("path"))


def plan_unit(user: User, raw: str | None) -> Unit:
    """The unit asked for (by id), or the reader's own when it is an area or district, else the first."""
    units = plan_units(user)
    if not units:
        raise NotFound(_("No area to plan for in your jurisdiction."))
    if raw:
        found = next((u for u in units if str(u.pk) == raw.strip()), None)
        if found is None:
            raise NotFound(_("No such area."))
        return found
    own = user.unit
    return next((u for u in units if own is not None and u.pk == own.pk), units[0])


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlanCell:
    rank: int
    cell: str
    boundary: list[list[float]]
    centre: tuple[float, float]
    score: float  # expected incidents of the shift's hours over the next week (model scale)
    last_period: int  # incidents in the cell over the last 28 days, shift hours
    minutes_present: float | None = None


@dataclass(frozen=True)
class Plan:
    unit: Unit
    shift: Shift
    resolution: int
    cells: list[PlanCell]
    study_cells: int
    last_period_total: int  # the unit's incidents over the last 28 days, shift hours
    last_period_share: float  # ...inside the plan's cells
    history: int  # incidents the forecast learnt from


def _shift_points(unit: Unit, shift: Shift) -> Points:
    pts = gather(Region(path=unit.path, unit=unit), shift.start - timedelta(days=HISTORY_DAYS), shift.start)
    hours = (pts.hour_of_week % 24).astype(np.int64)
    return pts.take(shift.holds_hour(hours))


def patrol_plan(unit: Unit, shift: Shift, *, size: int = DEFAULT_SIZE, resolution: int = DEFAULT_RESOLUTION) -> Plan:
    """The `size` cells of `unit` with the highest forecast for the shift's hours, and the share of the
    last 28 days' incidents (same hours) they held. Callers check the unit is the reader's."""
    pts = _shift_points(unit, shift)
    ids = h3_cells(pts.lat, pts.lon, resolution)
    study = h3_study_area(ids, 1)
    scores = forecast_scores(study, ids, pts.at, days(shift.start), 7.0)
    top = top_cells(scores, size)
    pos = index_in(study, ids)
    recent = pts.at >= days(shift.start - timedelta(days=LAST_PERIOD_DAYS))
    last = np.bincount(pos[recent], minlength=study.size) if study.size else np.zeros(0, dtype=int)
    cells = []
    for rank, i in enumerate(top.tolist(), start=1):
        cell = int(study[i])
        lat, lon = h3.cell_to_latlng(h3.int_to_str(cell))
        cells.append(
            PlanCell(
                rank=rank,
                cell=h3.int_to_str(cell),
                boundary=boundary(cell),
                centre=(round(lat, 6), round(lon, 6)),
                score=round(float(scores[i]), 3),
                last_period=int(last[i]),
            )
        )
    total = int(recent.sum())
    held = int(sum(c.last_period for c in cells))
    return Plan(
        unit=unit,
        shift=shift,
        resolution=resolution,
        cells=cells,
        study_cells=int(study.size),
        last_period_total=total,
        last_period_share=held / total if total else 0.0,
        history=len(pts),
    )


# ---------------------------------------------------------------- presence after the shift


@dataclass(frozen=True)
class Presence:
    """How much of the plan's time (each cell × the shift, so far) a patrol was on scene in the cell."""

    until: datetime
    finished: bool
    minutes_in_plan: float  # cell-minutes with at least one patrol on scene
    minutes_planned: float  # cells × minutes of the shift elapsed
    share: float
    per_cell: dict[str, float]
    patrols: int


def _covered_minutes(spans: list[tuple[datetime, datetime]]) -> float:
    """Minutes of the union of the spans (two patrols at once count once)."""
    total, end = 0.0, None
    for lo, hi in sorted(spans):
        if end is not None and lo < end:
            lo = end
        if hi > lo:
            total += (hi - lo).total_seconds() / 60.0
            end = hi if end is None else max(end, hi)
    return total


def presence(plan: Plan, *, now: datetime | None = None) -> Presence | None:
    """None before the shift starts; else the patrols' time on scene in each plan cell during the shift
    (missions of any patrol, since any patrol sent there was present)."""
    now = now or timezone.now()
    if now <= plan.shift.start:
        return None
    until = min(now, plan.shift.end)
    corners = [p for c in plan.cells for p in c.boundary] or [[0.0, 0.0]]
    lats, lons = [p[0] for p in corners], [p[1] for p in corners]
    missions = Assignment.objects.filter(
        on_scene_at__isnull=False,
        on_scene_at__lt=until,
        incident__latitude__range=(min(lats), max(lats)),
        incident__longitude__range=(min(lons), max(lons)),
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=plan.shift.start))
    rows = cast(
        list[tuple[datetime, datetime | None, float, float, int]],  # on scene and place: non-null above
        list(missions.values_list("on_scene_at", "ended_at", "incident__latitude", "incident__longitude", "patrol_id")),
    )
    spans: dict[str, list[tuple[datetime, datetime]]] = {c.cell: [] for c in plan.cells}
    patrols: set[int] = set()
    if rows and spans:
        where = h3_cells([r[2] for r in rows], [r[3] for r in rows], plan.resolution)
        for (start, end, _lat, _lon, patrol_id), cell in zip(rows, where.tolist(), strict=True):
            key = h3.int_to_str(int(cell))
            lo, hi = max(start, plan.shift.start), min(end or until, until)
            if key in spans and hi > lo:
                spans[key].append((lo, hi))
                patrols.add(patrol_id)
    per_cell = {k: round(_covered_minutes(v), 1) for k, v in spans.items()}
    planned = len(spans) * (until - plan.shift.start).total_seconds() / 60.0
    covered = sum(per_cell.values())
    return Presence(
        until=until,
        finished=now >= plan.shift.end,
        minutes_in_plan=round(covered, 1),
        minutes_planned=round(planned, 1),
        share=covered / planned if planned else 0.0,
        per_cell=per_cell,
        patrols=len(patrols),
    )


def board_layer(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """The current shift's plan of every area of the reader's jurisdiction, as GeoJSON for the board."""
    now = now or timezone.now()
    shift = shift_at(now)
    features = []
    units = plan_units(user)
    areas = [u for u in units if u.kind == UnitKind.AREA] or units
    for unit in areas:
        plan = patrol_plan(unit, shift)
        for c in plan.cells:
            ring = [[lon, lat] for lat, lon in c.boundary]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                    "properties": {
                        "cell": c.cell,
                        "rank": c.rank,
                        "unit": unit.display_name,
                        "last_period": c.last_period,
                    },
                }
            )
    return {"type": "FeatureCollection", "shift": shift.name, "features": features}
