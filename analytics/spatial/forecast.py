"""Forecasts of next period's black spots: a recency-weighted count with near-repeat spread, and the
"last year's count" baseline every forecast must beat.

The model (in the spirit of Bowers, Johnson & Pease 2004 and of the grid form of Mohler's self-exciting
process, Mohler et al. 2015) gives each cell the expected number of events over the horizon
[T, T + H) under an intensity made of two decaying memories of past events:

    λ_c(t) = Σ_i  K_long(c, c_i) · 2^(−(t − t_i)/h_long)  +  β · K_short(c, c_i) · 2^(−(t − t_i)/h_short)

- the *long memory* (half-life h_long, years) stands for the place's lasting risk — the background
  rate, estimated from all the history with recent years counting more, spread over a small spatial
  kernel K_long so that a cell inherits some risk from its immediate surroundings;
- the *near-repeat* term (half-life h_short, days to weeks, weight β) is the short-lived rise of risk
  around a recent event, spread over a wider kernel K_short (a few hundred metres).

The score is ∫_T^{T+H} λ_c(t) dt with no new events, so the same fitted state serves a week or a month
(the near-repeat term counts less over a month, as it should). Both memories are exact exponential
sums kept per cell and advanced in O(events + cells) per step: fitting a city's 250,000 events takes
milliseconds; predicting is two sparse matrix-vector products.

Parameters were tuned on Toronto's 2017–2018 weeks only (see README.md beside this file); the defaults
in ``ForecastParams`` are the tuned values.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BASELINE_WINDOW_DAYS = 365.0


@dataclass(frozen=True)
class ForecastParams:
    """Model parameters. Distances are in metres, times in days.

    long_half_life: half-life of the long memory; long_bandwidth: σ of its Gaussian spatial kernel
    (0 = the cell alone); short_half_life, short_bandwidth, short_weight (β): the near-repeat term;
    radius: where the kernels are cut.
    """

    long_half_life: float = 365.0
    long_bandwidth: float = 50.0
    short_half_life: float = 21.0
    short_bandwidth: float = 100.0
    short_weight: float = 1.0
    radius: float = 400.0


@dataclass(frozen=True)
class Events:
    """Events sorted by time: ``times`` in days (any origin, float64), ``cells`` as positions in the
    study area (0 ≤ cell < n_cells), and ``marks``: how much each event weighs in the model's memories
    (1 for all by default; e.g. a weight per category). Hit rates always count events, not marks."""

    times: FloatArray
    cells: IntArray
    n_cells: int
    marks: FloatArray

    @classmethod
    def build(
        cls, times: npt.ArrayLike, cells: npt.ArrayLike, n_cells: int, marks: npt.ArrayLike | None = None
    ) -> Events:
        t = np.asarray(times, dtype=np.float64).ravel()
        c = np.asarray(cells, dtype=np.int64).ravel()
        m = np.ones(t.size) if marks is None else np.asarray(marks, dtype=np.float64).ravel()
        if not t.shape == c.shape == m.shape:
            raise ValueError("times, cells and marks differ in length")
        if c.size and (c.min() < 0 or c.max() >= n_cells):
            raise ValueError("every event must lie in the study area")
        order = np.argsort(t, kind="stable")
        return cls(times=t[order], cells=c[order], n_cells=int(n_cells), marks=m[order])

    def before(self, at: float) -> int:
        """Number of events strictly before ``at`` (they are the first ones)."""
        return int(np.searchsorted(self.times, at, side="left"))

    def counts(self, lo: int, hi: int) -> FloatArray:
        """Events per cell among events [lo, hi) in time order."""
        return np.bincount(self.cells[lo:hi], minlength=self.n_cells).astype(np.float64)


@dataclass
class DecayedCounts:
    """Σ_i 2^(−(at − t_i)/half_life) per cell over the events before ``at``, advanced forwards in time."""

    half_life: float
    at: float
    values: FloatArray
    used: int  # events already folded in (the first `used` events of the Events)

    @classmethod
    def start(cls, events: Events, at: float, half_life: float) -> DecayedCounts:
        state = cls(half_life=half_life, at=at, values=np.zeros(events.n_cells), used=0)
        state.advance(events, at)
        return state

    def advance(self, events: Events, at: float) -> None:
        if at < self.at:
            raise ValueError("decayed counts only move forwards in time")
        self.values *= 2.0 ** (-(at - self.at) / self.half_life)
        hi = events.before(at)
        t, c, m = events.times[self.used : hi], events.cells[self.used : hi], events.marks[self.used : hi]
        self.values += np.bincount(c, weights=m * 2.0 ** (-(at - t) / self.half_life), minlength=events.n_cells)
        self.at, self.used = at, hi


def horizon_factor(half_life: float, horizon: float) -> float:
    """∫_0^H 2^(−t/h) dt: how much of a unit of memory is still felt over the horizon."""
    return half_life / math.log(2) * (1.0 - 2.0 ** (-horizon / half_life))


@dataclass(frozen=True)
class Kernels:
    """The two spatial kernels of the model on one study area (n×n sparse, row = forecast cell)."""

    long: sp.csr_matrix
    short: sp.csr_matrix


@dataclass
class Forecast:
    """A fitted model: the decayed memories at ``at`` for the events before it."""

    params: ForecastParams
    kernels: Kernels
    long: DecayedCounts
    short: DecayedCounts

    @property
    def at(self) -> float:
        return self.long.at


def fit(events: Events, at: float, kernels: Kernels, params: ForecastParams | None = None) -> Forecast:
    """Fold every event before ``at`` into the model's two memories."""
    p = params or ForecastParams()
    return Forecast(
        params=p,
        kernels=kernels,
        long=DecayedCounts.start(events, at, p.long_half_life),
        short=DecayedCounts.start(events, at, p.short_half_life),
    )


def advance(model: Forecast, events: Events, at: float) -> None:
    """Move a fitted model forwards to ``at`` (same result as fitting anew at ``at``, far cheaper)."""
    model.long.advance(events, at)
    model.short.advance(events, at)


def predict(model: Forecast, horizon: float = 7.0) -> FloatArray:
    """Expected events per cell over [at, at + horizon) up to a common factor (only the ranking and
    ratios between cells matter)."""
    p = model.params
    score = model.kernels.long @ model.long.values * horizon_factor(p.long_half_life, horizon)
    near = model.kernels.short @ model.short.values * horizon_factor(p.short_half_life, horizon)
    return np.asarray(score + p.short_weight * near, dtype=np.float64)


def rolling_scores(
    events: Events, boundaries: FloatArray, kernels: Kernels, params: ForecastParams | None = None, horizon: float = 7.0
) -> Iterator[FloatArray]:
    """The model's scores at each boundary, each from the events before it only."""
    model: Forecast | None = None
    for at in boundaries:
        if model is None:
            model = fit(events, float(at), kernels, params)
        else:
            advance(model, events, float(at))
        yield predict(model, horizon)


def baseline_scores(events: Events, boundaries: FloatArray) -> Iterator[tuple[FloatArray, FloatArray]]:
    """The baseline at each boundary T: (events per cell in [T − 365 d, T), events per cell before T).

    The second array, the long-run count, is the baseline's tie-break and also the model's.
    """
    window = np.zeros(events.n_cells)
    longrun = np.zeros(events.n_cells)
    lo = hi = 0
    for at in boundaries:
        new_hi = events.before(float(at))
        new_lo = events.before(float(at) - BASELINE_WINDOW_DAYS)
        added = events.counts(hi, new_hi)
        longrun += added
        window += added
        window -= events.counts(lo, new_lo) if new_lo > lo else 0.0
        lo, hi = new_lo, new_hi
        yield window.copy(), longrun.copy()
