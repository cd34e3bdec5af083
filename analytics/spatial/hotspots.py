"""Hot spots: Getis-Ord Gi* with a False Discovery Rate correction, and the two-period comparison.

Gi* (Getis & Ord 1992, Ord & Getis 1995), star form, binary weights w_ij ∈ {0, 1} with w_ii = 1:

    Gi* = (Σ_j w_ij x_j − x̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1))),   W_i = Σ_j w_ij,
    x̄ = Σ x_j / n,  S = sqrt(Σ x_j² / n − x̄²),

over the n cells of the *study area*. The study area is the caller's choice and it matters: a cell
with no event is a zero in x, lowering x̄ and raising S. The usual choice, and the one
``grid.h3_study_area`` / ``SquareGrid.study_area`` build, is "the cells that held an event plus their
k-ring", so every neighbourhood around an event is complete; a fixed administrative area (all cells
of a district) is the other sound choice. Cells outside the study area are neither counted nor seen.

This is the same z-score as PySAL's ``esda.G_Local(y, w, transform="B", star=True)``: given binary
weights without a diagonal, esda sets w_ii = 1 and computes (G − E[G]) / sqrt(V[G]) with
G = Σ w_ij x_j / Σ x, E[G] = W_i / n and V[G] = W_i (n − W_i) / (n − 1) / n² · S² / x̄², which
reduces algebraically to the formula above. (esda's ``p_norm`` is one-sided; ours is two-sided.)

Significance follows ArcGIS's Optimized Hot Spot Analysis: p two-sided from the normal law, the
Benjamini–Hochberg FDR correction applied over all cells of the study area, and ``Gi_Bin`` in −3..3 —
±3 at 99 % confidence (q ≤ 0.01), ±2 at 95 %, ±1 at 90 %, 0 otherwise, the sign of z. A cell passes
BH at level α exactly when its BH-adjusted p-value (q) is ≤ α, so the three levels come from one q.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy import stats

FloatArray = npt.NDArray[np.float64]
BIN_LEVELS: tuple[tuple[float, int], ...] = ((0.01, 3), (0.05, 2), (0.10, 1))


@dataclass(frozen=True)
class GiResult:
    """Per-cell Gi* results, in the order of the study area.

    z: Gi* z-score; p: two-sided normal p-value; q: BH-adjusted p-value (equal to p when the FDR
    correction is off); bins: Gi_Bin in −3..3.
    """

    z: FloatArray
    p: FloatArray
    q: FloatArray
    bins: npt.NDArray[np.int8]

    @property
    def hot(self) -> npt.NDArray[np.bool_]:
        """Significant hot spots (Gi_Bin ≥ 1, i.e. at 90 % confidence or more)."""
        return self.bins > 0


def neighbour_sums(values: npt.ArrayLike, neighbours: sp.spmatrix | sp.sparray) -> FloatArray:
    """Σ_j w_ij v_j for every cell i: one sparse matrix-vector product."""
    return np.asarray(neighbours @ np.asarray(values, dtype=np.float64), dtype=np.float64).ravel()


def gi_star(
    counts: npt.ArrayLike, neighbours: sp.spmatrix | sp.sparray, *, fdr: bool = True, self_weight: bool = True
) -> GiResult:
    """Getis-Ord Gi* of ``counts`` on binary ``neighbours`` (n×n, any non-zero is a weight of 1).

    ``self_weight=True`` sets every w_ii to 1 whatever the matrix holds (the star form, as esda does
    for binary weights); the matrices from ``grid`` already include the cell itself.

    Degenerate cases give z = 0 and p = 1 instead of esda's NaN or ±inf: all counts equal (S = 0), or a
    neighbourhood that covers the whole study area (W_i = n). An empty study area gives empty arrays.
    """
    x = np.asarray(counts, dtype=np.float64).ravel()
    n = x.size
    w = sp.csr_matrix(neighbours, dtype=np.float64, copy=True)
    if w.shape != (n, n):
        raise ValueError(f"neighbours must be {n}×{n}, got {w.shape[0]}×{w.shape[1]}")
    w.data[:] = 1.0
    if self_weight:
        w = sp.csr_matrix(w.maximum(sp.identity(n, format="csr")))
    lag = neighbour_sums(x, w)
    card = np.diff(w.indptr).astype(np.float64)  # W_i = Σ_j w_ij for binary weights
    if n < 2:
        z = np.zeros(n)
    else:
        mean = x.sum() / n
        s = np.sqrt(max((x * x).sum() / n - mean * mean, 0.0))
        denom = s * np.sqrt(card * (n - card) / (n - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(denom > 0, (lag - mean * card) / denom, 0.0)
    p = 2.0 * stats.norm.sf(np.abs(z))
    q = benjamini_hochberg(p) if fdr else p
    return GiResult(z=z, p=p, q=q, bins=gi_bins(z, q))


def benjamini_hochberg(p: npt.ArrayLike) -> FloatArray:
    """BH-adjusted p-values (q): q_(i) = min_{k ≥ i} p_(k) · m / k over p sorted ascending, capped at 1.

    A hypothesis is rejected by the BH step-up procedure at level α exactly when its q ≤ α.
    """
    p = np.asarray(p, dtype=np.float64).ravel()
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(adjusted, 1.0)
    return q


def gi_bins(z: npt.ArrayLike, q: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """Gi_Bin: sign(z) × 3 / 2 / 1 when q ≤ 0.01 / 0.05 / 0.10, else 0."""
    z = np.asarray(z, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    level = np.zeros(z.shape, dtype=np.int8)
    for alpha, value in reversed(BIN_LEVELS):  # strictest last, so it wins
        level[q <= alpha] = value
    return (np.sign(z).astype(np.int8) * level).astype(np.int8)


# ---------------------------------------------------------------- two periods


class Trend(StrEnum):
    """What became of a cell between two periods (see ``compare_periods``)."""

    NONE = "none"
    NEW = "new"
    PERSISTENT = "persistent"
    INTENSIFYING = "intensifying"
    DIMINISHING = "diminishing"
    GONE = "gone"


@dataclass(frozen=True)
class Comparison:
    """Per-cell outcome of ``compare_periods``; ``p_change`` is the BH-adjusted p-value of the change
    test for cells hot in both periods (1 elsewhere)."""

    before: GiResult
    after: GiResult
    trend: npt.NDArray[np.str_]
    p_change: FloatArray


def compare_periods(
    counts_before: npt.ArrayLike,
    counts_after: npt.ArrayLike,
    neighbours: sp.spmatrix | sp.sparray,
    *,
    alpha: float = 0.05,
) -> Comparison:
    """Emerging hot spots over two periods on the same study area and weights.

    A cell is *hot* in a period when its Gi_Bin (with FDR) is ≥ 1 (hot at 90 % confidence or more).
    Cold spots are not classified. Simplified from ArcGIS's Emerging Hot Spot Analysis, which needs a
    Mann-Kendall trend over many time steps; with two periods:

    - new: hot after, not hot before.
    - gone: hot before, not hot after.
    - intensifying: hot in both, and the neighbourhood's share of all events rose significantly;
    - diminishing: hot in both, and that share fell significantly;
    - persistent: hot in both without a significant change of share;
    - none: hot in neither period.

    The change test, for a cell hot in both periods, takes its neighbourhood sums a (before) and
    b (after): under "no change of share", b given a + b is Binomial(a + b, B / (A + B)) with A and B
    the study area's totals. The one-sided p-value in the observed direction is BH-corrected over the
    cells hot in both, and the change is significant when it is ≤ ``alpha``. Comparing shares, not raw
    counts, keeps a city-wide rise or fall from marking every spot as intensifying or diminishing.
    """
    xb = np.asarray(counts_before, dtype=np.float64).ravel()
    xa = np.asarray(counts_after, dtype=np.float64).ravel()
    if xb.shape != xa.shape:
        raise ValueError("both periods must count the same study area")
    before, after = gi_star(xb, neighbours), gi_star(xa, neighbours)
    w = sp.csr_matrix(neighbours, dtype=np.float64, copy=True)
    w.data[:] = 1.0
    w = sp.csr_matrix(w.maximum(sp.identity(xb.size, format="csr")))
    a, b = np.rint(neighbour_sums(xb, w)), np.rint(neighbour_sums(xa, w))
    trend = np.full(xb.size, Trend.NONE.value, dtype="<U12")
    trend[after.hot & ~before.hot] = Trend.NEW.value
    trend[before.hot & ~after.hot] = Trend.GONE.value
    both = before.hot & after.hot
    p_change = np.ones(xb.size)
    total_a, total_b = xb.sum(), xa.sum()
    if both.any() and total_a + total_b > 0:
        share = total_b / (total_a + total_b)
        n, k = a[both] + b[both], b[both]
        up = k > n * share
        # P(K ≥ k) when the share rose, P(K ≤ k) when it fell.
        p_dir = np.where(up, stats.binom.sf(k - 1, n, share), stats.binom.cdf(k, n, share))
        p_change[both] = benjamini_hochberg(p_dir)
        significant = p_change[both] <= alpha
        trend[both] = np.where(
            significant, np.where(up, Trend.INTENSIFYING.value, Trend.DIMINISHING.value), Trend.PERSISTENT.value
        )
    return Comparison(before=before, after=after, trend=trend, p_change=p_change)
