"""How good is a black-spot forecast: hit rate, PAI, PEI and RRI, and the rolling weekly evaluation.

Definitions, for a forecast that marks n of the N study-area cells (coverage k % → n = ⌈k·N/100⌉,
at least 1; the cells with the highest scores, ties broken by the tie-break score, then by cell id):

- hit rate = events of the judged period inside the n cells / all events of the period;
- PAI (Chainey, Tompson & Uhlig 2008) = hit rate / area share, area share = n / N (cells are of equal
  area; on H3 nearly so);
- PEI (Hunt 2016) = hits / the most events any n cells held in that period (the hindsight-optimal
  choice), so 1 is a perfect forecast at that coverage;
- RRI, recapture rate index (Levine 2008) = hit rate / the share of the preceding 365 days' events in
  the same n cells: above 1 when the marked cells hold more of the next period than of the last year.

Rolling evaluation: each week [T, T + 7 d) is forecast from the events before T only, then judged.
Figures are *pooled* over weeks — Σ hits / Σ events for the hit rate, Σ hits / Σ best hits for PEI,
pooled hit rate / area share for PAI, and likewise for RRI — so a busy week weighs more than a quiet
one and a week without events changes nothing (a mean of weekly ratios would be undefined there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from analytics.spatial import forecast
from analytics.spatial.forecast import Events, ForecastParams, Kernels
from analytics.spatial.grid import SquareGrid, index_in
from analytics.spatial.incidents import Incidents

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
WEEK_DAYS = 7.0


def coverage_cells(n_cells: int, percent: float) -> int:
    """Cells marked at a coverage of ``percent`` % of the study area: rounded up, at least 1."""
    if not 0 < percent <= 100:
        raise ValueError("coverage must be in (0, 100] %")
    return max(1, min(n_cells, math.ceil(n_cells * percent / 100 - 1e-9)))


def ranking(scores: npt.ArrayLike, tiebreak: npt.ArrayLike) -> IntArray:
    """Cell positions from best to worst: score descending, then tie-break descending, then position
    (= cell id order) ascending."""
    s = np.asarray(scores, dtype=np.float64)
    b = np.asarray(tiebreak, dtype=np.float64)
    return np.lexsort((np.arange(s.size), -b, -s)).astype(np.int64)


def best_possible(actual: FloatArray, n: int) -> float:
    """The most events any n cells held."""
    if n >= actual.size:
        return float(actual.sum())
    return float(np.partition(actual, actual.size - n)[actual.size - n :].sum())


@dataclass(frozen=True)
class Metrics:
    """Pooled figures for one method at one coverage."""

    hit: float
    pai: float
    pei: float
    rri: float
    hits: float
    events: float


@dataclass
class Tally:
    """Running sums for one method at one coverage."""

    hits: float = 0.0
    events: float = 0.0
    best: float = 0.0
    prior_in: float = 0.0
    prior_total: float = 0.0

    def add(self, actual: FloatArray, prior: FloatArray, top: IntArray, best: float) -> None:
        self.hits += float(actual[top].sum())
        self.events += float(actual.sum())
        self.best += best
        self.prior_in += float(prior[top].sum())
        self.prior_total += float(prior.sum())

    def metrics(self, area_share: float) -> Metrics:
        hit = self.hits / self.events if self.events else 0.0
        prior_share = self.prior_in / self.prior_total if self.prior_total else 0.0
        return Metrics(
            hit=hit,
            pai=hit / area_share,
            pei=self.hits / self.best if self.best else 0.0,
            rri=hit / prior_share if prior_share else 0.0,
            hits=self.hits,
            events=self.events,
        )


@dataclass
class Evaluation:
    """Result of a rolling evaluation: per coverage label, per method ("model", "baseline")."""

    study_cells: int
    weeks: int
    start: float
    events_judged: float
    cells_marked: dict[str, int] = field(default_factory=dict)
    coverages: dict[str, dict[str, Metrics]] = field(default_factory=dict)


def rolling_weekly(
    events: Events,
    start: float,
    weeks: int,
    coverages: dict[str, float],
    kernels: Kernels,
    params: ForecastParams | None = None,
) -> Evaluation:
    """Forecast and judge ``weeks`` consecutive weeks from ``start`` (days, same origin as the events)
    with the model and with the baseline (count of the preceding 365 days, long-run count as tie-break).

    ``coverages`` maps a label (as the user wrote it, e.g. "1") to a percentage of the study area.
    """
    n_cells = events.n_cells
    bounds = start + WEEK_DAYS * np.arange(weeks + 1, dtype=np.float64)
    marked = {label: coverage_cells(n_cells, pct) for label, pct in coverages.items()}
    tallies = {label: {"model": Tally(), "baseline": Tally()} for label in coverages}
    model_iter = forecast.rolling_scores(events, bounds[:-1], kernels, params, horizon=WEEK_DAYS)
    base_iter = forecast.baseline_scores(events, bounds[:-1])
    judged = 0.0
    for k, (model_score, (window, longrun)) in enumerate(zip(model_iter, base_iter, strict=True)):
        actual = events.counts(events.before(bounds[k]), events.before(bounds[k + 1]))
        judged += float(actual.sum())
        orders = {"model": ranking(model_score, longrun), "baseline": ranking(window, longrun)}
        for label, n in marked.items():
            best = best_possible(actual, n)
            for method, order in orders.items():
                tallies[label][method].add(actual, window, order[:n], best)
    result = Evaluation(study_cells=n_cells, weeks=weeks, start=start, events_judged=judged, cells_marked=marked)
    for label, n in marked.items():
        share = n / n_cells
        result.coverages[label] = {method: t.metrics(share) for method, t in tallies[label].items()}
    return result


@dataclass
class FileEvaluation:
    """``rolling_weekly`` on an incident file, with what the report must state about it."""

    evaluation: Evaluation
    grid: SquareGrid
    events_total: int
    first_day: float
    last_day: float


def square_kernels(grid: SquareGrid, study: IntArray, params: ForecastParams) -> Kernels:
    """The model's two spatial kernels on a square-grid study area."""
    return Kernels(
        long=grid.kernel(study, params.long_bandwidth, params.radius),
        short=grid.kernel(study, params.short_bandwidth, params.radius),
    )


def evaluate_incidents(
    incidents: Incidents,
    cell_m: float,
    coverages: dict[str, float],
    *,
    start: float | None = None,
    weeks: int | None = None,
    params: ForecastParams | None = None,
) -> FileEvaluation:
    """Square grid of ``cell_m`` metres around the incidents, study area = the cells that ever held an
    incident, then the rolling weekly evaluation.

    Default ``start``: 365 days after midnight of the day by which 1 % of the incidents had occurred
    (so the baseline has a full year; the 1 % keeps a few stray records of old events, common in police
    data reported late, from moving the start decades back); default ``weeks``: every whole week from
    ``start`` up to the end of the last incident's day.
    ValueError when there is no week to judge.
    """
    params = params or ForecastParams()
    grid = SquareGrid.around(incidents.lat, incidents.lon, cell_m)
    ids = grid.cells(incidents.lat, incidents.lon)
    study = np.unique(ids)
    events = Events.build(incidents.times, index_in(study, ids), study.size)
    first, last = float(np.floor(events.times[0])), float(np.floor(events.times[-1]))
    if start is None:
        start = float(np.floor(events.times[int(0.01 * (events.times.size - 1))])) + 365.0
    if weeks is None:
        weeks = int((last + 1.0 - start) // WEEK_DAYS)
    if weeks < 1:
        raise ValueError("no whole week to judge between the start and the last incident")
    result = rolling_weekly(events, start, weeks, coverages, square_kernels(grid, study, params), params)
    return FileEvaluation(evaluation=result, grid=grid, events_total=len(incidents), first_day=first, last_day=last)
