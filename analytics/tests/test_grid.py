"""Grids: cells of known points, counts per cell and period, neighbour matrices, kernels."""

from __future__ import annotations

import math

import h3.api.basic_int as h3i
import numpy as np
import pytest

from analytics.spatial import grid
from analytics.spatial.grid import EARTH_RADIUS_M, SquareGrid

CASA = (33.5731, -7.5898)
METRE_LAT = 180 / (math.pi * EARTH_RADIUS_M)  # degrees of latitude per metre


def offset(dx_m: float, dy_m: float, g: SquareGrid) -> tuple[float, float]:
    """(lat, lon) dx metres east and dy metres north of the grid's anchor."""
    return g.lat0 + dy_m * METRE_LAT, g.lon0 + dx_m * METRE_LAT / math.cos(math.radians(g.lat0))


def test_square_cells_of_known_points() -> None:
    """GIVEN a 150 m grid WHEN points lie 10 m and 160 m off the anchor THEN they land in the expected
    (column, row): floor(metres / 150), negative offsets included."""
    g = SquareGrid(lat0=CASA[0], lon0=CASA[1], cell_m=150.0)
    pts = [offset(10, 10, g), offset(160, 10, g), offset(10, 310, g), offset(-10, -10, g), offset(-151, 0.5, g)]
    lat, lon = (np.array(v) for v in zip(*pts, strict=True))
    i, j = grid.unpack_ij(g.cells(lat, lon))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 0), (1, 0), (0, 2), (-1, -1), (-2, 0)]


def test_square_centres_round_trip_and_area() -> None:
    g = SquareGrid.around([33.50, 33.65], [-7.70, -7.45], 250.0)
    assert (g.lat0, g.lon0) == (33.58, -7.58)  # middle of the extent, rounded to 0.01°
    ids = grid.pack_ij(np.array([-40, 0, 7, 33]), np.array([5, -3, 0, 12]))
    lat, lon = g.centres(ids)
    assert np.array_equal(g.cells(lat, lon), ids)
    x, y = g.project(lat, lon)
    assert np.allclose(x % 250.0, 125.0) and np.allclose(y % 250.0, 125.0)
    assert g.cell_area_m2 == 62_500.0


def test_square_neighbours_and_study_area() -> None:
    """A 3×3 block: the centre sees 9 cells, a corner 4, an edge 6; k=2 on the block: everyone sees all 9."""
    g = SquareGrid(lat0=0.0, lon0=0.0, cell_m=100.0)
    block = np.sort(grid.pack_ij(np.repeat([0, 1, 2], 3), np.tile([0, 1, 2], 3)))
    w = g.neighbours(block, 1)
    sizes = dict(zip(block.tolist(), np.diff(w.indptr).tolist(), strict=True))
    assert sizes[int(grid.pack_ij(np.array(1), np.array(1)))] == 9
    assert sizes[int(grid.pack_ij(np.array(0), np.array(0)))] == 4
    assert sizes[int(grid.pack_ij(np.array(1), np.array(0)))] == 6
    assert (w != w.T).nnz == 0 and np.all(w.diagonal() == 1)
    assert g.neighbours(block, 2).nnz == 81
    one = grid.pack_ij(np.array([5]), np.array([5]))
    assert g.study_area(one, 1).size == 9 and g.study_area(one, 2).size == 25


def test_square_kernel_weights() -> None:
    g = SquareGrid(lat0=0.0, lon0=0.0, cell_m=100.0)
    study = np.sort(grid.pack_ij(np.arange(-3, 4), np.zeros(7, dtype=np.int64)))  # a row of 7 cells
    k = g.kernel(study, bandwidth_m=100.0, radius_m=250.0).toarray()
    assert k[3, 3] == 1.0 and k[3, 4] == pytest.approx(math.exp(-0.5)) and k[3, 5] == pytest.approx(math.exp(-2))
    assert k[3, 6] == 0.0  # 300 m > radius
    assert np.array_equal(g.kernel(study, 0.0, 250.0).toarray(), np.eye(7))


def test_bin_counts_by_period() -> None:
    cells = np.array([0, 2, 2, 1, -1, 2])
    periods = np.array([0, 0, 1, 1, 0, 5])  # the -1 cell and the period 5 are outside
    out = grid.bin_counts(cells, 3, periods, 2)
    assert out.tolist() == [[1, 0, 1], [0, 1, 1]]
    assert grid.bin_counts(cells, 3).tolist() == [1, 1, 3]


def test_h3_counts_and_neighbours() -> None:
    """Counts agree with H3's own cell of each point; the k-ring matrix holds the cell and its ring."""
    rng = np.random.default_rng(7)
    lat, lon = CASA[0] + rng.normal(0, 0.01, 500), CASA[1] + rng.normal(0, 0.01, 500)
    counted = grid.h3_counts(lat, lon, 9)
    expected: dict[int, int] = {}
    for a, b in zip(lat, lon, strict=True):
        c = h3i.latlng_to_cell(float(a), float(b), 9)
        expected[c] = expected.get(c, 0) + 1
    assert dict(zip(counted.cells.tolist(), counted.counts.astype(int).tolist(), strict=True)) == expected

    centre = h3i.latlng_to_cell(*CASA, 9)
    study = np.array(sorted(h3i.grid_disk(centre, 2)), dtype=np.uint64)  # 19 cells
    assert np.array_equal(grid.h3_study_area([centre], 2), study)
    w = grid.h3_neighbours(study, 1)
    row = int(np.searchsorted(study, np.uint64(centre)))
    assert set(study[w[row].indices].tolist()) == set(h3i.grid_disk(centre, 1))
    assert np.diff(w.indptr).min() == 4 and (w != w.T).nnz == 0  # outer ring cells see 3 + themselves at least
    per_period = grid.h3_counts(lat, lon, 9, period_index=np.arange(500) % 2, n_periods=2, study=study)
    assert per_period.counts.shape == (2, 19)
    inside = np.isin(grid.h3_cells(lat, lon, 9), study).sum()
    assert per_period.counts.sum() == inside


def test_bad_coordinates_are_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        grid.check_coordinates([33.0, 91.0], [-7.0, -7.0])
    with pytest.raises(ValueError, match="differ in length"):
        grid.check_coordinates([33.0], [-7.0, -7.1])
