"""Grids for black spots: H3 hexagons and square metric cells, counts per cell and period, neighbours.

Two grids, one vocabulary. A *cell id* is an unsigned/signed 64-bit integer (an H3 index, or a packed
(column, row) pair for squares); a *study area* is a sorted array of unique cell ids, and everything
downstream (counts, neighbour matrices, Gi*, forecasts) is indexed by position in that array.

Square grid projection: a local equirectangular projection around a reference latitude
(x = R·cos φ0·Δλ, y = R·Δφ). At city scale (± 30 km around φ0) the scale error along x is below
tan φ0 · Δφ ≈ 0.5 % at Toronto's or Casablanca's latitude, so cells are equal-area to that precision
and exactly ``cell_m`` metres on a side at φ0. Not meant for areas wider than a region.

Everything is vectorised over events with NumPy; only H3's own per-point calls (a C function per
point, about 0.5 µs) and one ``grid_disk`` per *cell* of the study area run in a Python loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3.api.basic_int as h3i
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
_PACK = np.int64(1 << 32)
_OFFSET = np.int64(1 << 30)  # (row + offset) · 2³² stays below 2⁶³ for |row| < 2³⁰

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def check_coordinates(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return (lat, lon) as float64 arrays; ValueError if lengths differ or a value is not a WGS84 degree."""
    la = np.asarray(lat, dtype=np.float64).ravel()
    lo = np.asarray(lon, dtype=np.float64).ravel()
    if la.shape != lo.shape:
        raise ValueError(f"lat and lon differ in length ({la.size} and {lo.size})")
    bad = ~(np.isfinite(la) & np.isfinite(lo) & (np.abs(la) <= 90) & (np.abs(lo) <= 180))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"coordinate {first} out of range: lat={la[first]}, lon={lo[first]}")
    return la, lo


def index_in(study: npt.NDArray[np.integer], ids: npt.ArrayLike) -> IntArray:
    """Position of each id in the sorted unique array ``study``, or -1 where the id is not in it."""
    ids = np.asarray(ids, dtype=study.dtype)  # one dtype: uint64 against int64 would compare as floats
    if study.size == 0:
        return np.full(ids.shape, -1, dtype=np.int64)
    pos = np.minimum(np.searchsorted(study, ids), study.size - 1)
    return np.where(study[pos] == ids, pos, -1).astype(np.int64)


def bin_counts(
    cell_index: npt.NDArray[np.integer],
    n_cells: int,
    period_index: npt.NDArray[np.integer] | None = None,
    n_periods: int = 0,
) -> FloatArray:
    """Events per cell (shape (n_cells,)) or per period and cell (shape (n_periods, n_cells)).

    ``cell_index`` holds positions in the study area; events with a negative position (outside the
    study area) or a period outside [0, n_periods) are left out.
    """
    cell_index = np.asarray(cell_index, dtype=np.int64)
    if period_index is None:
        keep = cell_index >= 0
        return np.bincount(cell_index[keep], minlength=n_cells).astype(np.float64)
    period_index = np.asarray(period_index, dtype=np.int64)
    keep = (cell_index >= 0) & (period_index >= 0) & (period_index < n_periods)
    flat = period_index[keep] * n_cells + cell_index[keep]
    return np.bincount(flat, minlength=n_periods * n_cells).astype(np.float64).reshape(n_periods, n_cells)


def _binary_csr(rows: IntArray, cols: IntArray, n: int) -> sp.csr_matrix:
    """A binary n×n CSR matrix from (row, col) pairs, duplicates collapsed to 1."""
    mat = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    mat.sum_duplicates()
    mat.data[:] = 1.0
    return mat


# ---------------------------------------------------------------- square metric grid


@dataclass(frozen=True)
class SquareGrid:
    """Square cells of ``cell_m`` metres, anchored with a cell corner at (lat0, lon0).

    Cell (i, j) covers x in [i·cell_m, (i+1)·cell_m) and y in [j·cell_m, (j+1)·cell_m), x east and
    y north of the anchor in the local equirectangular projection at latitude ``lat0``. Its id packs
    (i, j) into one int64, so sorting ids sorts cells row by row (south to north, then west to east).
    """

    lat0: float
    lon0: float
    cell_m: float

    @classmethod
    def around(cls, lat: npt.ArrayLike, lon: npt.ArrayLike, cell_m: float) -> SquareGrid:
        """The grid for a study area: anchored at the middle of the points' extent, rounded to 0.01°.

        Rounding keeps the grid the same when a few events are added or removed.
        """
        if not cell_m > 0:
            raise ValueError("cell size must be positive")
        la, lo = check_coordinates(lat, lon)
        if la.size == 0:
            raise ValueError("no points to place a grid around")
        lat0 = round((float(la.min()) + float(la.max())) / 2, 2)
        lon0 = round((float(lo.min()) + float(lo.max())) / 2, 2)
        return cls(lat0=lat0, lon0=lon0, cell_m=float(cell_m))

    @property
    def cell_area_m2(self) -> float:
        return self.cell_m * self.cell_m

    def project(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Metres east and north of the anchor."""
        la, lo = check_coordinates(lat, lon)
        k = math.pi / 180 * EARTH_RADIUS_M
        return (lo - self.lon0) * k * math.cos(math.radians(self.lat0)), (la - self.lat0) * k

    def cells(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> IntArray:
        """The cell id of each point."""
        x, y = self.project(lat, lon)
        i = np.floor(x / self.cell_m).astype(np.int64)
        j = np.floor(y / self.cell_m).astype(np.int64)
        return pack_ij(i, j)

    def centres(self, ids: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """(lat, lon) of the centre of each cell."""
        i, j = unpack_ij(np.asarray(ids, dtype=np.int64))
        k = math.pi / 180 * EARTH_RADIUS_M
        lat = self.lat0 + (j + 0.5) * self.cell_m / k
        lon = self.lon0 + (i + 0.5) * self.cell_m / (k * math.cos(math.radians(self.lat0)))
        return lat.astype(np.float64), lon.astype(np.float64)

    def neighbours(self, study: npt.ArrayLike, k: int = 1) -> sp.csr_matrix:
        """Binary weights: cell a sees cell b when both are in the study area and
        max(|Δi|, |Δj|) ≤ k (the queen neighbourhood of order k), the cell itself included."""
        offsets = [(di, dj) for di in range(-k, k + 1) for dj in range(-k, k + 1)]
        return self._offset_matrix(study, offsets, np.ones(len(offsets)))

    def kernel(self, study: npt.ArrayLike, bandwidth_m: float, radius_m: float) -> sp.csr_matrix:
        """Gaussian weights exp(−d² / 2σ²) between cell centres d ≤ radius apart (σ = bandwidth;
        σ = 0 gives the identity: each cell alone)."""
        if bandwidth_m <= 0:
            n = _sorted_unique(study).size
            return sp.identity(n, format="csr", dtype=np.float64)
        k = int(radius_m // self.cell_m)
        offsets = [
            (di, dj)
            for di in range(-k, k + 1)
            for dj in range(-k, k + 1)
            if math.hypot(di, dj) * self.cell_m <= radius_m
        ]
        d2 = np.array([(di * di + dj * dj) * self.cell_m**2 for di, dj in offsets])
        return self._offset_matrix(study, offsets, np.exp(-d2 / (2 * bandwidth_m**2)))

    def _offset_matrix(
        self, study: npt.ArrayLike, offsets: list[tuple[int, int]], weights: FloatArray
    ) -> sp.csr_matrix:
        """n×n matrix with weight w_o between each cell and the cell at offset o from it, when both
        are in the study area; one vectorised look-up per offset."""
        ids = _sorted_unique(study)
        i, j = unpack_ij(ids)
        rows, cols, vals = [], [], []
        for (di, dj), weight in zip(offsets, weights, strict=True):
            pos = index_in(ids, pack_ij(i + di, j + dj))
            hit = pos >= 0
            rows.append(np.flatnonzero(hit))
            cols.append(pos[hit])
            vals.append(np.full(int(hit.sum()), weight))
        shape = (ids.size, ids.size)
        return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape)

    def study_area(self, ids: npt.ArrayLike, k: int = 1) -> IntArray:
        """The given cells and every cell within the queen neighbourhood of order k of one of them."""
        base = _sorted_unique(ids)
        i, j = unpack_ij(base)
        rings = [pack_ij(i + di, j + dj) for di in range(-k, k + 1) for dj in range(-k, k + 1)]
        return np.unique(np.concatenate([base, *rings]))


def pack_ij(i: IntArray, j: IntArray) -> IntArray:
    """One int64 per (column, row); rows vary slowest."""
    return (np.asarray(j, dtype=np.int64) + _OFFSET) * _PACK + (np.asarray(i, dtype=np.int64) + _OFFSET)


def unpack_ij(ids: IntArray) -> tuple[IntArray, IntArray]:
    ids = np.asarray(ids, dtype=np.int64)
    return ids % _PACK - _OFFSET, ids // _PACK - _OFFSET


def _sorted_unique(ids: npt.ArrayLike) -> npt.NDArray[np.int64]:
    arr = np.asarray(ids)
    uniq = np.unique(arr)
    if uniq.size != arr.size or (arr.size and not np.array_equal(uniq, arr)):
        raise ValueError("a study area must be a sorted array of unique cell ids")
    return uniq


# ---------------------------------------------------------------- H3 hexagons


@dataclass(frozen=True)
class CellCounts:
    """Unique cells (sorted) and their counts: shape (n_cells,) or (n_periods, n_cells)."""

    cells: npt.NDArray[np.uint64]
    counts: FloatArray


def h3_cells(lat: npt.ArrayLike, lon: npt.ArrayLike, res: int) -> npt.NDArray[np.uint64]:
    """The H3 cell (as uint64) of each point at resolution ``res`` (0–15)."""
    la, lo = check_coordinates(lat, lon)
    if not 0 <= res <= 15:
        raise ValueError("H3 resolution must be between 0 and 15")
    to_cell = h3i.latlng_to_cell
    return np.fromiter((to_cell(a, b, res) for a, b in zip(la.tolist(), lo.tolist(), strict=True)), np.uint64, la.size)


def h3_counts(
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    res: int,
    period_index: npt.ArrayLike | None = None,
    n_periods: int = 0,
    study: npt.NDArray[np.uint64] | None = None,
) -> CellCounts:
    """Events per H3 cell (and per period when ``period_index`` is given, events outside
    [0, n_periods) left out). The cells are ``study`` when given (events outside it are dropped),
    else the cells that hold at least one event."""
    ids = h3_cells(lat, lon, res)
    cells = np.unique(ids) if study is None else _sorted_unique(study).astype(np.uint64)
    pos = index_in(cells, ids)
    periods = None if period_index is None else np.asarray(period_index, dtype=np.int64)
    return CellCounts(cells, bin_counts(pos, cells.size, periods, n_periods))


def h3_study_area(cells: npt.ArrayLike, k: int = 1) -> npt.NDArray[np.uint64]:
    """The given H3 cells and every cell within k rings of one of them (sorted, unique)."""
    base = np.unique(np.asarray(cells, dtype=np.uint64))
    disk = h3i.grid_disk
    out = [np.fromiter(disk(int(c), k), np.uint64) for c in base.tolist()]
    return np.unique(np.concatenate(out)) if out else base


def h3_neighbours(study: npt.ArrayLike, k: int = 1) -> sp.csr_matrix:
    """Binary weights on a study area of H3 cells: a sees b when b is in the k-ring disk of a
    (``grid_disk``, distance ≤ k, the cell itself included) and in the study area."""
    ids = _sorted_unique(np.asarray(study, dtype=np.uint64))
    disk = h3i.grid_disk
    rings = [disk(int(c), k) for c in ids.tolist()]
    sizes = np.fromiter((len(r) for r in rings), np.int64, len(rings))
    neighbour_ids = np.fromiter((c for r in rings for c in r), np.uint64, int(sizes.sum()))
    rows = np.repeat(np.arange(ids.size, dtype=np.int64), sizes)
    cols = index_in(ids, neighbour_ids)
    keep = cols >= 0
    return _binary_csr(rows[keep], cols[keep], ids.size)


def h3_kernel(study: npt.ArrayLike, bandwidth_m: float, k: int) -> sp.csr_matrix:
    """Gaussian weights exp(−d² / 2σ²) between H3 cells up to k rings apart, with d taken as
    ring × the mean distance between neighbouring centres at the cells' resolution (σ = 0: identity)."""
    ids = _sorted_unique(np.asarray(study, dtype=np.uint64))
    if bandwidth_m <= 0 or ids.size == 0:
        return sp.identity(ids.size, format="csr", dtype=np.float64)
    spacing = math.sqrt(3) * h3i.average_hexagon_edge_length(h3i.get_resolution(int(ids[0])), unit="m")
    rows, cols, vals = [], [], []
    for ring in range(k + 1):
        members = [h3i.grid_ring(int(c), ring) for c in ids.tolist()]
        sizes = np.fromiter((len(m) for m in members), np.int64, len(members))
        pos = index_in(ids, np.fromiter((c for m in members for c in m), np.uint64, int(sizes.sum())))
        row = np.repeat(np.arange(ids.size, dtype=np.int64), sizes)
        keep = pos >= 0
        rows.append(row[keep])
        cols.append(pos[keep])
        vals.append(np.full(int(keep.sum()), math.exp(-((ring * spacing) ** 2) / (2 * bandwidth_m**2))))
    shape = (ids.size, ids.size)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape)
