"""Gi* against PySAL's esda, the FDR correction and bins, and the two-period comparison."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from analytics.spatial import grid
from analytics.spatial.hotspots import Trend, benjamini_hochberg, compare_periods, gi_bins, gi_star

CASA = (33.5731, -7.5898)


def esda_z(counts: np.ndarray, neighbours: sp.csr_matrix) -> np.ndarray:
    """esda.G_Local(star=True, transform="B") on the same weights, given without their diagonal: esda
    then sets every self-weight to 1 itself (see _infer_star_and_structure_w)."""
    from esda.getisord import G_Local
    from libpysal.weights import WSP

    off = sp.csr_matrix(neighbours - sp.diags(neighbours.diagonal()))
    off.eliminate_zeros()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands and id-order notices from libpysal
        w = WSP(off).to_W(silence_warnings=True)
        return G_Local(counts, w, transform="B", star=True, permutations=0).Zs


def test_gi_star_equals_esda_on_random_counts_h3() -> None:
    """GIVEN Poisson counts on an H3 res-9 study area (a 12-ring disk) and 2-ring weights
    THEN our z-scores equal esda's to 1e-9."""
    import h3.api.basic_int as h3i

    study = np.array(sorted(h3i.grid_disk(h3i.latlng_to_cell(*CASA, 9), 12)), dtype=np.uint64)
    counts = np.random.default_rng(3).poisson(2.0, study.size).astype(float)
    w = grid.h3_neighbours(study, 2)
    ours = gi_star(counts, w)
    assert np.abs(ours.z - esda_z(counts, w)).max() < 1e-9
    assert np.allclose(ours.p, 2 * stats.norm.sf(np.abs(ours.z)))


def test_gi_star_equals_esda_on_clustered_points_square_grid() -> None:
    """GIVEN clustered incidents (three Gaussian clusters over a uniform background) on a 200 m grid,
    study area = cells with events plus their queen ring THEN z equals esda's to 1e-9, the densest
    cluster's centre is a 99 % hot spot and every hot spot lies near a cluster."""
    rng = np.random.default_rng(11)
    centres = [(0.0, 0.0, 800), (0.02, 0.03, 400), (-0.03, 0.01, 200)]
    lat = np.concatenate(
        [CASA[0] + dy + rng.normal(0, 0.002, n) for dy, _, n in centres] + [CASA[0] + rng.uniform(-0.05, 0.05, 600)]
    )
    lon = np.concatenate(
        [CASA[1] + dx + rng.normal(0, 0.002, n) for _, dx, n in centres] + [CASA[1] + rng.uniform(-0.05, 0.05, 600)]
    )
    g = grid.SquareGrid.around(lat, lon, 200.0)
    ids = g.cells(lat, lon)
    study = g.study_area(np.unique(ids), 1)
    counts = grid.bin_counts(grid.index_in(study, ids), study.size)
    w = g.neighbours(study, 1)
    ours = gi_star(counts, w)
    assert np.abs(ours.z - esda_z(counts, w)).max() < 1e-9
    peak = grid.index_in(study, g.cells([CASA[0]], [CASA[1]]))[0]
    assert ours.bins[peak] == 3
    hot_lat, hot_lon = g.centres(study[ours.bins > 0])
    near = np.zeros(hot_lat.size, dtype=bool)
    for dy, dx, _ in centres:  # every hot spot lies within ~1 km of a cluster centre
        near |= np.hypot(hot_lat - CASA[0] - dy, (hot_lon - CASA[1] - dx) * 0.83) < 0.01
    assert near.all() and near.size > 9


def test_benjamini_hochberg_by_hand() -> None:
    """p = (0.001, 0.04, 0.03, 0.5), m = 4. Sorted: 0.001, 0.03, 0.04, 0.5; × m / rank: 0.004, 0.06,
    0.0533…, 0.5; running minimum from the right: 0.004, 0.0533…, 0.0533…, 0.5. Back in input order:
    (0.004, 0.0533…, 0.0533…, 0.5)."""
    q = benjamini_hochberg([0.001, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.004, 0.16 / 3, 0.16 / 3, 0.5])
    p = np.random.default_rng(5).uniform(0, 0.2, 300)
    assert np.allclose(benjamini_hochberg(p), stats.false_discovery_control(p, method="bh"))


def test_fdr_bins_by_hand() -> None:
    """z = (3.0, 2.2, −2.0, 1.7, 0.5): two-sided p = (0.00270, 0.02781, 0.04550, 0.08913, 0.61708).
    BH, m = 5: × 5 / rank = (0.01350, 0.06952, 0.07583, 0.11141, 0.61708), already increasing, so q is
    that. Bins with FDR: 0.0135 ≤ 0.05 → 2; 0.0695 ≤ 0.10 → 1; −2.0 with 0.0758 → −1; 0.111 > 0.10 → 0;
    0 — while without the correction they would be 3, 2, −2, 1, 0."""
    z = np.array([3.0, 2.2, -2.0, 1.7, 0.5])
    p = 2 * stats.norm.sf(np.abs(z))
    assert gi_bins(z, benjamini_hochberg(p)).tolist() == [2, 1, -1, 0, 0]
    assert gi_bins(z, p).tolist() == [3, 2, -2, 1, 0]


def test_gi_star_degenerate_and_shape() -> None:
    w = grid.SquareGrid(0.0, 0.0, 100.0).neighbours(np.sort(grid.pack_ij(np.arange(5), np.zeros(5, np.int64))), 1)
    flat = gi_star(np.full(5, 4.0), w)
    assert flat.z.tolist() == [0.0] * 5 and flat.bins.tolist() == [0] * 5 and flat.p.tolist() == [1.0] * 5
    with pytest.raises(ValueError, match="5×5"):
        gi_star(np.ones(4), w)


def test_self_weight_is_added_when_missing() -> None:
    """Weights without a diagonal give the same Gi* as with it (star form), as esda does."""
    g = grid.SquareGrid(0.0, 0.0, 100.0)
    study = np.sort(grid.pack_ij(np.repeat(np.arange(6), 6), np.tile(np.arange(6), 6)))
    w = g.neighbours(study, 1)
    counts = np.random.default_rng(2).poisson(3.0, study.size)
    off = sp.csr_matrix(w - sp.identity(study.size))
    off.eliminate_zeros()
    assert np.allclose(gi_star(counts, off).z, gi_star(counts, w).z, atol=1e-12)


def block(g: grid.SquareGrid, study: np.ndarray, ci: int, cj: int) -> np.ndarray:
    """Positions of the 3×3 block of cells centred on (ci, cj)."""
    ids = grid.pack_ij(np.repeat(np.arange(ci - 1, ci + 2), 3), np.tile(np.arange(cj - 1, cj + 2), 3))
    return grid.index_in(study, ids)


def test_compare_periods_categories() -> None:
    """GIVEN a 30×30 study area with Poisson(1) background in both periods and 3×3 clusters:
    A 20 per cell in both periods, B 20 then 60, C only after (20), D only before (20), E 60 then 20
    (totals equal in both periods) THEN A persistent, B intensifying, C new, D gone, E diminishing, and a
    background corner none."""
    g = grid.SquareGrid(0.0, 0.0, 100.0)
    study = np.sort(grid.pack_ij(np.repeat(np.arange(30), 30), np.tile(np.arange(30), 30)))
    rng = np.random.default_rng(9)
    before = rng.poisson(1.0, study.size).astype(float)
    after = before.copy()  # same background, so only the clusters change
    plan = {
        "A": ((5, 5), 20, 20),
        "B": ((5, 20), 20, 60),
        "C": ((20, 5), 0, 20),
        "D": ((20, 20), 20, 0),
        "E": ((13, 13), 60, 20),
    }
    for (ci, cj), nb, na in plan.values():
        cells = block(g, study, ci, cj)
        before[cells] += nb
        after[cells] += na
    result = compare_periods(before, after, g.neighbours(study, 1))
    centre = {name: block(g, study, *spec[0])[4] for name, spec in plan.items()}
    got = {name: result.trend[pos] for name, pos in centre.items()}
    assert got == {
        "A": Trend.PERSISTENT,
        "B": Trend.INTENSIFYING,
        "C": Trend.NEW,
        "D": Trend.GONE,
        "E": Trend.DIMINISHING,
    }
    corner = grid.index_in(study, grid.pack_ij(np.array([29]), np.array([0])))[0]
    assert result.trend[corner] == Trend.NONE
    assert result.p_change[centre["B"]] < 1e-6 and result.p_change[centre["A"]] > 0.05
