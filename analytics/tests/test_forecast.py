"""Forecast model, baseline and metrics: the pieces the rolling evaluation is made of."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from analytics.spatial import evaluation, forecast, grid, tuning
from analytics.spatial.forecast import DecayedCounts, Events, ForecastParams, Kernels
from analytics.spatial.incidents import parse_moment


def random_events(n: int = 2000, cells: int = 50, days: float = 800.0, seed: int = 4) -> Events:
    rng = np.random.default_rng(seed)
    return Events.build(rng.uniform(0, days, n), rng.integers(0, cells, n), cells)


def test_advancing_equals_fitting_anew() -> None:
    """Moving the decayed memory forwards week by week gives what a fresh fit at the end gives."""
    ev = random_events()
    state = DecayedCounts.start(ev, 300.0, 21.0)
    for at in (307.0, 314.0, 400.5, 700.0):
        state.advance(ev, at)
    fresh = DecayedCounts.start(ev, 700.0, 21.0)
    assert np.allclose(state.values, fresh.values, rtol=1e-12)
    mask = ev.times < 700.0
    direct = np.bincount(ev.cells[mask], weights=2.0 ** (-(700.0 - ev.times[mask]) / 21.0), minlength=50)
    assert np.allclose(fresh.values, direct)
    with pytest.raises(ValueError, match="forwards"):
        state.advance(ev, 10.0)


def test_baseline_window_and_longrun() -> None:
    ev = random_events()
    bounds = np.array([100.0, 380.0, 387.0, 780.0])
    for at, (window, longrun) in zip(bounds, forecast.baseline_scores(ev, bounds), strict=True):
        in_window = (ev.times >= at - 365) & (ev.times < at)
        assert np.array_equal(window, np.bincount(ev.cells[in_window], minlength=50))
        assert np.array_equal(longrun, np.bincount(ev.cells[ev.times < at], minlength=50))


def test_predict_counts_near_repeats_less_over_a_month() -> None:
    """One old event in cell 0 and one fresh event in cell 1: over a week the fresh one (long + near-repeat
    memory) outweighs the old one by more than over a month, and the score is the integral of λ."""
    ev = Events.build([0.0, 399.0], [0, 1], 2)
    eye = Kernels(long=sp.identity(2, format="csr"), short=sp.identity(2, format="csr"))
    params = ForecastParams(long_half_life=365.0, short_half_life=14.0, short_weight=2.0)
    model = forecast.fit(ev, 400.0, eye, params)
    week, month = forecast.predict(model, 7.0), forecast.predict(model, 30.0)
    assert week[1] / week[0] > month[1] / month[0] > 1
    expected_old = 2 ** (-400 / 365) * forecast.horizon_factor(365.0, 7.0) + 2.0 * 2 ** (
        -400 / 14
    ) * forecast.horizon_factor(14.0, 7.0)
    assert week[0] == pytest.approx(expected_old)
    assert forecast.horizon_factor(14.0, 7.0) == pytest.approx(14 / math.log(2) * (1 - 2**-0.5))


def test_coverage_ranking_and_best() -> None:
    assert evaluation.coverage_cells(12441, 1) == 125  # 124.41 rounded up
    assert evaluation.coverage_cells(4, 25) == 1 and evaluation.coverage_cells(3, 0.1) == 1
    with pytest.raises(ValueError):
        evaluation.coverage_cells(10, 0)
    order = evaluation.ranking([1.0, 3.0, 3.0, 3.0, 0.0], [0.0, 1.0, 2.0, 1.0, 9.0])
    assert order.tolist() == [2, 1, 3, 0, 4]  # score, then tie-break, then position
    assert evaluation.best_possible(np.array([0.0, 5.0, 1.0, 3.0]), 2) == 8.0


def test_h3_kernel_rings() -> None:
    import h3.api.basic_int as h3i

    centre = h3i.latlng_to_cell(33.57, -7.59, 9)
    study = np.array(sorted(h3i.grid_disk(centre, 2)), dtype=np.uint64)
    k = grid.h3_kernel(study, 200.0, 1).toarray()
    row = int(np.searchsorted(study, np.uint64(centre)))
    assert k[row, row] == 1.0 and (k[row] > 0).sum() == 7
    ring_weight = k[row][(k[row] > 0) & (k[row] < 1)]
    assert np.allclose(ring_weight, ring_weight[0]) and 0 < ring_weight[0] < 1


def test_tune_ranks_candidates_by_hit_ratio() -> None:
    """A candidate that spreads risk far (σ = 300 m) on clustered-in-place data does worse than one
    that keeps each cell alone; ``tune`` puts the better one first and its score is the ratio's mean."""
    rng = np.random.default_rng(8)
    g = grid.SquareGrid(0.0, 0.0, 100.0)
    study = np.sort(grid.pack_ij(np.repeat(np.arange(10), 10), np.tile(np.arange(10), 10)))
    rates = rng.gamma(0.5, 2.0, study.size)
    cells = rng.choice(study.size, 6000, p=rates / rates.sum())
    ev = Events.build(rng.uniform(0, 1000, 6000), cells, study.size)
    wide = ForecastParams(long_bandwidth=300.0, short_weight=0.0, radius=600.0)
    alone = ForecastParams(long_bandwidth=0.0, short_weight=0.0)
    trials = tuning.tune(ev, g, study, 600.0, 40, {"5": 5.0, "20": 20.0}, [wide, alone])
    assert trials[0].params == alone and trials[0].score > trials[1].score
    r = trials[0].evaluation.coverages
    ratios = [r[c]["model"].hit / r[c]["baseline"].hit for c in ("5", "20")]
    assert trials[0].score == pytest.approx(math.sqrt(ratios[0] * ratios[1]))


def test_parse_moment_formats() -> None:
    assert parse_moment("1970-01-02") == 1.0
    assert parse_moment("1970-01-01T12:00") == 0.5
    assert parse_moment("1970-01-01T13:00:00+01:00") == 0.5 == parse_moment("1970-01-01 12:00:00Z")
