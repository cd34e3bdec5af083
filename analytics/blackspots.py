"""Black spots of a jurisdiction: the incidents a reader may count, on H3 cells, with Gi* bins, the
two-period comparison and the forecast (selectors: every read starts from the reader).

What is counted (DESIGN.md, "Access: need to know"): complaints with a place and line-19 incidents
with a place, inside the reader's jurisdiction (`org.access` acts BLACKSPOTS and PATROL_PLAN). Only
aggregates leave this module: counts per cell, per category and per hour of the week, never a row.
Protected complaints (domestic violence, sexual offences, minors) and complaints against officers
are left out for every reader, chiefs included, and so are line-19 incidents of a category whose
complaint would be protected or that led to such a complaint: a 0.1 km² cell with its hour of the
week could point at one household. Complaints opened from a line-19 call are counted once, as the
incident.

The statistics are `analytics.spatial` (pure NumPy); this module only gathers the points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import h3
import h3.api.basic_int as h3i
import numpy as np
import numpy.typing as npt
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from analytics.spatial.forecast import Events, ForecastParams, Kernels, fit, predict
from analytics.spatial.grid import h3_cells, h3_kernel, h3_neighbours, h3_study_area, index_in
from analytics.spatial.hotspots import compare_periods
from cases.choices import Channel, Sensitivity
from cases.models import Case, Category
from core.errors import NotFound, ValidationFailed
from emergency.models import CallCategory, Incident
from org import access
from org.choices import UnitKind
from org.models import Unit, User
from org.selectors import wilaya_of

# Period of the map → its length in days (the previous period is the same length just before).
PERIODS: dict[str, int] = {"week": 7, "month": 28, "quarter": 91, "year": 364}
DEFAULT_PERIOD = "month"
RESOLUTIONS = (7, 8, 9, 10)  # H3: 7 ≈ 5 km², 8 ≈ 0.7 km², 9 ≈ 0.1 km², 10 ≈ 0.015 km²
DEFAULT_RESOLUTION = 9
HISTORY_DAYS = 730  # what the forecast learns from
FORECAST_HORIZONS = {"week": 7.0, "month": 28.0}
FORECAST_COVERAGE = 0.05  # the forecast's black spots: the top 5 % of the study area's cells
WILAYA_WIDE_KINDS = frozenset({UnitKind.COMMAND_ROOM, UnitKind.DUTY, UnitKind.COMMUNICATION})
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
SECONDS_PER_DAY = 86400.0


def days(moment: datetime) -> float:
    """A moment as days since 2000-01-01 UTC (the forecast's time axis)."""
    return (moment - EPOCH).total_seconds() / SECONDS_PER_DAY


# ---------------------------------------------------------------- input


def parse_period(raw: str | None) -> str:
    value = (raw or DEFAULT_PERIOD).strip()
    if value not in PERIODS:
        raise ValidationFailed(
            _("Unknown period: choose a week, a month, a quarter or a year."), fields={"period": _("Unknown value.")}
        )
    return value


def parse_resolution(raw: str | None) -> int:
    text = (raw or str(DEFAULT_RESOLUTION)).strip()
    if not text.isdigit() or int(text) not in RESOLUTIONS:
        raise ValidationFailed(
            _("Unknown resolution: choose between 7 (large cells) and 10 (small cells)."),
            fields={"res": _("Unknown value.")},
        )
    return int(text)


def parse_cell(raw: str) -> int:
    """An H3 cell id as written in the address (15 hexadecimal digits); 404 for anything else."""
    text = (raw or "").strip().lower()
    if len(text) != 15 or not all(c in "0123456789abcdef" for c in text) or not h3.is_valid_cell(text):
        raise NotFound(_("No such cell."))
    cell = h3.str_to_int(text)
    if h3i.get_resolution(cell) not in RESOLUTIONS:
        raise NotFound(_("No such cell."))
    return int(cell)


# ---------------------------------------------------------------- who counts what


@dataclass(frozen=True)
class Region:
    """Where a reader's counts come from: a unit subtree (`path`), or the whole country (path "")."""

    path: str
    unit: Unit | None

    def cases_q(self) -> Q:
        return Q(assigned_unit__path__startswith=self.path) if self.path else Q()

    def incidents_q(self) -> Q:
        if not self.path:
            return Q()
        p = self.path
        return Q(wilaya__path__startswith=p) | Q(area__path__startswith=p) | Q(district__path__startswith=p)


def region_for(user: User, act: str) -> Region:
    """The reader's jurisdiction for `act`; NotFound-like refusal for a user without the act."""
    unit = user.unit if getattr(user, "is_authenticated", False) else None
    scopes = access.scopes_for(list(user.roles or []), act) if unit is not None else set()
    if unit is None or not scopes:
        raise NotFound(_("No such page."))
    if unit.kind == UnitKind.CENTRAL or access.NATIONAL in scopes:
        return Region(path="", unit=unit)
    if access.WILAYA in scopes or unit.kind in WILAYA_WIDE_KINDS:
        wilaya = wilaya_of(unit)
        if wilaya is None:
            raise NotFound(_("No such page."))
        return Region(path=wilaya.path, unit=wilaya)
    return Region(path=unit.path, unit=unit)


def unit_region(unit: Unit) -> Region:
    return Region(path=unit.path, unit=unit)


@dataclass(frozen=True)
class Points:
    """Countable incidents, sorted by time: when (days), where, and the category's label key."""

    at: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    category: list[str]  # "c:<code>" complaint category, "i:<code>" line-19 category
    hour_of_week: npt.NDArray[np.int64]  # 0 = Monday 00h … 167 = Sunday 23h, local time

    def __len__(self) -> int:
        return int(self.at.size)

    def take(self, keep: npt.NDArray[np.bool_]) -> Points:
        idx = np.flatnonzero(keep)
        return Points(
            self.at[idx], self.lat[idx], self.lon[idx], [self.category[i] for i in idx], self.hour_of_week[idx]
        )


def _protected_call_categories() -> list[str]:
    sensitive = Category.objects.exclude(sensitivity=Sensitivity.NORMAL).values_list("code", flat=True)
    return list(CallCategory.objects.filter(case_category_code__in=list(sensitive)).values_list("code", flat=True))


def gather(region: Region, since: datetime, until: datetime, box: tuple[float, ...] | None = None) -> Points:
    """Every countable incident of the region in [since, until) (optionally inside a lat/lon box)."""
    cases = Case.objects.filter(
        region.cases_q(),
        sensitivity=Sensitivity.NORMAL,
        latitude__isnull=False,
        longitude__isnull=False,
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(channel=Channel.LINE19)
    incidents = (
        Incident.objects.filter(
            region.incidents_q(),
            latitude__isnull=False,
            longitude__isnull=False,
            received_at__gte=since,
            received_at__lt=until,
        )
        .exclude(category__code__in=_protected_call_categories())
        .exclude(case__sensitivity__in=[Sensitivity.PROTECTED, Sensitivity.AGAINST_OFFICER])
    )
    if box is not None:
        s, w, n, e = box
        cases = cases.filter(latitude__range=(s, n), longitude__range=(w, e))
        incidents = incidents.filter(latitude__range=(s, n), longitude__range=(w, e))
    rows = [
        (t, la, lo, f"c:{code}")
        for t, la, lo, code in cases.values_list("created_at", "latitude", "longitude", "category__code")
    ]
    rows += [
        (t, la, lo, f"i:{code}")
        for t, la, lo, code in incidents.values_list("received_at", "latitude", "longitude", "category__code")
    ]
    rows.sort(key=lambda r: r[0])
    local = [timezone.localtime(r[0]) for r in rows]
    return Points(
        at=np.array([days(r[0]) for r in rows], dtype=np.float64),
        lat=np.array([r[1] for r in rows], dtype=np.float64),
        lon=np.array([r[2] for r in rows], dtype=np.float64),
        category=[r[3] for r in rows],
        hour_of_week=np.array([m.weekday() * 24 + m.hour for m in local], dtype=np.int64),
    )


def category_labels() -> dict[str, str]:
    """Label of every category key of `Points.category`, in the active language."""
    lang = (get_language() or "ar")[:2]
    field = f"name_{lang}" if lang in ("ar", "fr", "en") else "name_ar"
    labels = {f"c:{code}": name for code, name in Category.objects.values_list("code", field)}
    labels.update({f"i:{code}": name for code, name in CallCategory.objects.values_list("code", field)})
    return labels


# ---------------------------------------------------------------- the forecast on H3 cells


def forecast_scores(
    study: npt.NDArray[np.uint64], ids: npt.NDArray[np.uint64], at: npt.NDArray[np.float64], now: float, horizon: float
) -> npt.NDArray[np.float64]:
    """Expected incidents per study cell over [now, now + horizon) (the tuned model of
    `analytics.spatial.forecast`, kernels on H3 rings), from the events before `now`."""
    params = ForecastParams()
    if study.size == 0:
        return np.zeros(0)
    res = h3i.get_resolution(int(study[0]))
    spacing = math.sqrt(3) * h3i.average_hexagon_edge_length(res, unit="m")
    rings = max(1, min(3, math.ceil(params.radius / spacing)))
    kernels = Kernels(
        long=h3_kernel(study, params.long_bandwidth, rings), short=h3_kernel(study, params.short_bandwidth, rings)
    )
    pos = index_in(study, ids)
    keep = pos >= 0
    events = Events.build(at[keep], pos[keep], study.size)
    return predict(fit(events, now, kernels, params), horizon)


def top_cells(scores: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.int64]:
    """Positions of the n best-scored cells with a positive score, best first (ties by position)."""
    order = np.lexsort((np.arange(scores.size), -scores))
    return order[: max(0, n)][scores[order[: max(0, n)]] > 0]


def boundary(cell: int) -> list[list[float]]:
    return [[round(a, 6), round(b, 6)] for a, b in h3i.cell_to_boundary(cell)]


# ---------------------------------------------------------------- the map


@dataclass(frozen=True)
class SpotMap:
    """What the black-spot page draws: one dict per cell worth showing, and the figures around it."""

    period: str
    resolution: int
    since: datetime
    until: datetime
    cells: list[dict[str, Any]]
    study_cells: int
    current_total: int
    previous_total: int
    hot_cells: int
    hot_share: float  # share of the current period's incidents inside hot cells
    forecast_cells: int
    centre: tuple[float, float] | None


def spot_map(user: User, *, period: str, resolution: int, now: datetime | None = None) -> SpotMap:
    """Gi* bins of the current period, the comparison with the previous one, and next week's and next
    month's forecast, on one study area: the cells that held an incident in the last two years and
    the two rings around them (Gi* on 1-ring neighbourhoods)."""
    now = now or timezone.now()
    length = timedelta(days=PERIODS[period])
    region = region_for(user, access.BLACKSPOTS)
    pts = gather(region, now - max(timedelta(days=HISTORY_DAYS), 2 * length), now)
    ids = h3_cells(pts.lat, pts.lon, resolution)
    # Two rings: every cell within one ring of an incident then has its whole 1-ring neighbourhood
    # in the study area (with one ring only, the edge cells' truncated neighbourhoods made the empty
    # ring around a cluster look hotter than the cluster itself).
    study = h3_study_area(ids, 2)
    t_now, t_cur, t_prev = days(now), days(now - length), days(now - 2 * length)
    pos = index_in(study, ids)
    current = np.bincount(pos[pts.at >= t_cur], minlength=study.size).astype(float)
    previous = np.bincount(pos[(pts.at >= t_prev) & (pts.at < t_cur)], minlength=study.size).astype(float)
    comparison = compare_periods(previous, current, h3_neighbours(study, 1))
    forecasts = {k: forecast_scores(study, ids, pts.at, t_now, h) for k, h in FORECAST_HORIZONS.items()}
    n_top = max(1, math.ceil(FORECAST_COVERAGE * study.size)) if study.size else 0
    tops = {k: set(top_cells(v, n_top).tolist()) for k, v in forecasts.items()}
    bins, trend = comparison.after.bins, comparison.trend
    cells = []
    for i in range(study.size):
        shown = current[i] or previous[i] or bins[i] or trend[i] != "none" or i in tops["week"] or i in tops["month"]
        if not shown:
            continue
        cell = int(study[i])
        cells.append(
            {
                "id": h3.int_to_str(cell),
                "boundary": boundary(cell),
                "count": int(current[i]),
                "previous": int(previous[i]),
                "bin": int(bins[i]),
                "z": round(float(comparison.after.z[i]), 3),
                "trend": str(trend[i]),
                "week": round(float(forecasts["week"][i]), 4),
                "month": round(float(forecasts["month"][i]), 4),
                "top_week": i in tops["week"],
                "top_month": i in tops["month"],
            }
        )
    hot = bins > 0
    total = float(current.sum())
    centre = (float(np.mean(pts.lat)), float(np.mean(pts.lon))) if len(pts) else None
    return SpotMap(
        period=period,
        resolution=resolution,
        since=now - length,
        until=now,
        cells=cells,
        study_cells=int(study.size),
        current_total=int(total),
        previous_total=int(previous.sum()),
        hot_cells=int(hot.sum()),
        hot_share=float(current[hot].sum() / total) if total else 0.0,
        forecast_cells=n_top,
        centre=centre,
    )


# ---------------------------------------------------------------- one cell


@dataclass(frozen=True)
class CellDetail:
    """Counts of one cell over the current period: by category and by hour of the week."""

    cell: str
    period: str
    total: int
    previous: int
    by_category: list[tuple[str, int]]
    hour_of_week: list[list[int]]  # 7 rows (Monday first) × 24 hours


def cell_detail(user: User, *, cell: int, period: str, now: datetime | None = None) -> CellDetail:
    """What happened in one cell: only what the reader's jurisdiction counts (a cell outside it is
    simply empty, so its id reveals nothing)."""
    now = now or timezone.now()
    length = timedelta(days=PERIODS[period])
    region = region_for(user, access.BLACKSPOTS)
    corners = h3i.cell_to_boundary(cell)
    lats, lons = [c[0] for c in corners], [c[1] for c in corners]
    pts = gather(region, now - 2 * length, now, box=(min(lats), min(lons), max(lats), max(lons)))
    inside = h3_cells(pts.lat, pts.lon, h3i.get_resolution(cell)) == np.uint64(cell)
    pts = pts.take(inside)
    current = pts.at >= days(now - length)
    labels = category_labels()
    counts: dict[str, int] = {}
    for key, cur in zip(pts.category, current.tolist(), strict=True):
        if cur:
            counts[labels.get(key, key[2:])] = counts.get(labels.get(key, key[2:]), 0) + 1
    grid = np.bincount(pts.hour_of_week[current], minlength=168).reshape(7, 24)
    return CellDetail(
        cell=h3.int_to_str(cell),
        period=period,
        total=int(current.sum()),
        previous=int((~current).sum()),
        by_category=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        hour_of_week=grid.astype(int).tolist(),
    )
