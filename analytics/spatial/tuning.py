"""Choosing the forecast's parameters by rolling evaluation on past weeks (never on the judged ones).

``tune`` runs ``evaluation.rolling_weekly`` for every candidate and ranks them by the geometric mean,
over the coverages, of (model hit rate / baseline hit rate): a candidate must do well at every
coverage, not trade one for another. Each run takes a fraction of a second on a city's data, so a
few hundred candidates take a minute or two. The procedure used for the defaults is in README.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from analytics.spatial.evaluation import Evaluation, rolling_weekly
from analytics.spatial.forecast import Events, ForecastParams, Kernels
from analytics.spatial.grid import SquareGrid

# The search space behind the defaults (README.md): 4 × 3 × 3 × 3 × 4 = 432 candidates.
SEARCH_SPACE: dict[str, tuple[float, ...]] = {
    "long_half_life": (365.0, 730.0, 1460.0, 1e9),
    "long_bandwidth": (0.0, 50.0, 75.0),
    "short_half_life": (7.0, 21.0, 42.0),
    "short_bandwidth": (0.0, 100.0, 200.0),
    "short_weight": (0.0, 1.0, 3.0, 6.0),
}


@dataclass(frozen=True)
class Trial:
    """One candidate's result: its score (geometric mean of hit-rate ratios) and the evaluation."""

    params: ForecastParams
    score: float
    evaluation: Evaluation


def candidates(space: dict[str, tuple[float, ...]] = SEARCH_SPACE) -> Iterator[ForecastParams]:
    """Every combination of the search space's values (other fields at their defaults)."""
    keys = list(space)
    for values in itertools.product(*(space[k] for k in keys)):
        yield ForecastParams(**dict(zip(keys, values, strict=True)))


def ratio_score(ev: Evaluation) -> float:
    """Geometric mean over coverages of model hit rate / baseline hit rate (0 if the baseline hit nothing)."""
    ratios = [r["model"].hit / r["baseline"].hit if r["baseline"].hit else 0.0 for r in ev.coverages.values()]
    if not ratios or min(ratios) <= 0:
        return 0.0
    return math.exp(sum(math.log(x) for x in ratios) / len(ratios))


def tune(
    events: Events,
    grid: SquareGrid,
    study: npt.NDArray[np.int64],
    start: float,
    weeks: int,
    coverages: dict[str, float],
    trials: Iterable[ForecastParams],
) -> list[Trial]:
    """Evaluate every candidate on the weeks [start, start + 7·weeks); best first."""
    cache: dict[tuple[float, float], sp.csr_matrix] = {}

    def kernel(bandwidth: float, radius: float) -> sp.csr_matrix:
        if (bandwidth, radius) not in cache:
            cache[bandwidth, radius] = grid.kernel(study, bandwidth, radius)
        return cache[bandwidth, radius]

    results = []
    for params in trials:
        kernels = Kernels(
            long=kernel(params.long_bandwidth, params.radius), short=kernel(params.short_bandwidth, params.radius)
        )
        ev = rolling_weekly(events, start, weeks, coverages, kernels, params)
        results.append(Trial(params=params, score=ratio_score(ev), evaluation=ev))
    return sorted(results, key=lambda t: -t.score)
