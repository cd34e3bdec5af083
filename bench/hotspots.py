"""Black-spot benchmark: Getis-Ord Gi* with FDR on 1 million synthetic incidents over Casablanca on an
H3 grid (resolution 9), against PySAL's esda on the same grid and weights in the same run; then the
forecast's fit and predict time per police area.

    flock /tmp/amane-heavy.lock .venv/bin/python bench/hotspots.py [--n 1000000] [--res 9] [--k 1] [--repeat 3]

Incidents: 55 % from 400 hot places (Gaussian clusters, σ 60–500 m, weights lognormal so a few places
dominate, as in real crime data), 35 % following population (a broad Gaussian around the centre,
σ ≈ 6 km), 10 % uniform over the region; times uniform over two years. Study area = cells with an
incident plus their k-ring; weights = the k-ring, cell included (binary).

Timed, best of --repeat: our ``gi_star`` (sparse neighbour sums, z, two-sided p, BH FDR, bins) and esda's
``G_Local(y, w, transform="B", star=True, permutations=0)`` (analytic z only: esda's default 999
permutations would be far slower still, and we do not compute them). esda gets the weights as a libpysal
W built from the same sparse matrix without its diagonal (it then adds the self-weight of 1 itself);
building that W is timed apart. Reported: both times, the speed-up, the max |z difference|, and our whole
pipeline from points to bins. Forecast: the region cut into 9 areas (3 × 3); per area, H3 res-9 study
area (cells with incidents), kernels, fit at the end of the two years and predict for a week and a month.
Prints a table and writes bench/results/hotspots-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.spatial import forecast, grid  # noqa: E402
from analytics.spatial.forecast import Events, ForecastParams, Kernels  # noqa: E402
from analytics.spatial.hotspots import gi_star  # noqa: E402

CASABLANCA = (33.5731, -7.5898)
REGION = (33.45, 33.68, -7.78, -7.40)  # south, north, west, east: Grand Casablanca's urban area
T = TypeVar("T")


def log(msg: str) -> None:
    print(f"[hotspots] {msg}", flush=True)


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """fn's result and its best wall time over ``repeat`` runs."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best  # type: ignore[return-value]


def synthetic_incidents(n: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, days) of n clustered incidents inside REGION (see the module docstring)."""
    rng = np.random.default_rng(seed)
    south, north, west, east = REGION
    metre = 1 / 111_195.0
    n_hot, n_pop = int(n * 0.55), int(n * 0.35)
    places_lat = rng.normal(CASABLANCA[0], 0.05, 400).clip(south, north)
    places_lon = rng.normal(CASABLANCA[1], 0.07, 400).clip(west, east)
    weight = rng.lognormal(0, 1.2, 400)
    which = rng.choice(400, n_hot, p=weight / weight.sum())
    sigma = rng.uniform(60, 500, 400)[which] * metre
    lat = [places_lat[which] + rng.normal(0, 1, n_hot) * sigma, rng.normal(CASABLANCA[0], 6000 * metre, n_pop)]
    lon = [places_lon[which] + rng.normal(0, 1, n_hot) * sigma / 0.834, rng.normal(CASABLANCA[1], 7000 * metre, n_pop)]
    n_uni = n - n_hot - n_pop
    lat.append(rng.uniform(south, north, n_uni))
    lon.append(rng.uniform(west, east, n_uni))
    la, lo = np.concatenate(lat).clip(south, north), np.concatenate(lon).clip(west, east)
    return la, lo, rng.uniform(0, 730, n)


def esda_weights(w: sp.csr_matrix) -> Any:
    from libpysal.weights import WSP

    off = sp.csr_matrix(w - sp.diags(w.diagonal()))
    off.eliminate_zeros()
    return WSP(off).to_W(silence_warnings=True)


def esda_z(counts: np.ndarray, w_esda: Any) -> np.ndarray:
    from esda.getisord import G_Local

    return G_Local(counts, w_esda, transform="B", star=True, permutations=0).Zs


def hotspot_run(lat: np.ndarray, lon: np.ndarray, res: int, k: int, repeat: int) -> dict[str, Any]:
    cells, t_cells = timed(lambda: grid.h3_cells(lat, lon, res))
    occupied = np.unique(cells)
    study, t_study = timed(lambda: grid.h3_study_area(occupied, k))
    w, t_w = timed(lambda: grid.h3_neighbours(study, k))
    counts, t_counts = timed(lambda: grid.bin_counts(grid.index_in(study, cells), study.size))
    ours, t_gi = timed(lambda: gi_star(counts, w), repeat)
    w_esda, t_w_esda = timed(lambda: esda_weights(w))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        z_esda, t_esda = timed(lambda: esda_z(counts, w_esda), repeat)
    return {
        "incidents": int(lat.size),
        "study_cells": int(study.size),
        "occupied_cells": int(occupied.size),
        "neighbour_pairs": int(w.nnz),
        "seconds": {
            "h3_cells": t_cells,
            "study_area": t_study,
            "neighbours": t_w,
            "counts": t_counts,
            "gi_star_fdr": t_gi,
            "esda_g_local": t_esda,
            "esda_weights_build": t_w_esda,
        },
        "pipeline_seconds": t_cells + t_study + t_w + t_counts + t_gi,
        "speedup": t_esda / t_gi,
        "max_abs_z_diff": float(np.abs(ours.z - z_esda).max()),
        "bins": {str(b): int((ours.bins == b).sum()) for b in range(-3, 4)},
    }


def forecast_run(lat: np.ndarray, lon: np.ndarray, days: np.ndarray, res: int) -> list[dict[str, Any]]:
    """Per area of a 3 × 3 cut of the region: study area, kernels, fit, predict (week and month)."""
    south, north, west, east = REGION
    row = np.minimum((lat - south) / (north - south) * 3, 2).astype(int)
    col = np.minimum((lon - west) / (east - west) * 3, 2).astype(int)
    params = ForecastParams()
    out = []
    for area in range(9):
        mask = row * 3 + col == area
        t0 = time.perf_counter()
        cells = grid.h3_cells(lat[mask], lon[mask], res)
        study = np.unique(cells)
        events = Events.build(days[mask], grid.index_in(study, cells), study.size)
        t1 = time.perf_counter()
        rings = max(1, round(params.radius / 300))  # res-9 centres are ~300 m apart
        kernels = Kernels(
            long=grid.h3_kernel(study, params.long_bandwidth, rings),
            short=grid.h3_kernel(study, params.short_bandwidth, rings),
        )
        t2 = time.perf_counter()
        model, t_fit = timed(partial(forecast.fit, events, 730.0, kernels, params), 3)
        _, t_week = timed(partial(forecast.predict, model, 7.0), 3)
        _, t_month = timed(partial(forecast.predict, model, 30.0), 3)
        out.append(
            {
                "area": area,
                "incidents": int(mask.sum()),
                "cells": int(study.size),
                "cells_and_events_s": t1 - t0,
                "kernels_s": t2 - t1,
                "fit_s": t_fit,
                "predict_week_s": t_week,
                "predict_month_s": t_month,
            }
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic incidents (default 1,000,000)")
    parser.add_argument("--res", type=int, default=9, help="H3 resolution (default 9)")
    parser.add_argument("--k", type=int, default=1, help="k-ring of the Gi* neighbourhood (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions, best kept (default 3)")
    args = parser.parse_args()
    log(f"{args.n} synthetic incidents over Casablanca")
    lat, lon, days = synthetic_incidents(args.n)
    log(f"Gi* with FDR on H3 res {args.res}, k-ring {args.k}, against esda")
    hot = hotspot_run(lat, lon, args.res, args.k, args.repeat)
    log("forecast per area")
    areas = forecast_run(lat, lon, days, args.res)
    load = os.getloadavg()
    s = hot["seconds"]
    print()
    print(
        f"  Gi* on {hot['incidents']:,} incidents, H3 res {args.res}, {hot['study_cells']:,} study cells "
        f"({hot['occupied_cells']:,} with incidents + their {args.k}-ring), {hot['neighbour_pairs']:,} weights"
    )
    print(f"  {'step':<34}{'seconds':>10}")
    for name in ("h3_cells", "study_area", "neighbours", "counts", "gi_star_fdr"):
        print(f"  {'ours: ' + name:<34}{s[name]:>10.4f}")
    print(f"  {'ours: points to bins, total':<34}{hot['pipeline_seconds']:>10.4f}")
    print(f"  {'esda: W from the same matrix':<34}{s['esda_weights_build']:>10.4f}")
    print(f"  {'esda: G_Local (star, B, 0 perm.)':<34}{s['esda_g_local']:>10.4f}")
    print(f"  speed-up of gi_star over esda's G_Local: {hot['speedup']:.1f}×; max |Δz| = {hot['max_abs_z_diff']:.2e}")
    print(f"  bins −3..3: {hot['bins']}")
    print()
    print(f"  forecast per area (H3 res {args.res}, fit at day 730 on two years, defaults {ForecastParams()})")
    print(
        f"  {'area':>4} {'incidents':>10} {'cells':>7} {'cells+events s':>15} {'kernels s':>10} {'fit ms':>8} "
        f"{'week ms':>8} {'month ms':>9}"
    )
    for a in areas:
        print(
            f"  {a['area']:>4} {a['incidents']:>10,} {a['cells']:>7,} {a['cells_and_events_s']:>15.3f} "
            f"{a['kernels_s']:>10.3f} {a['fit_s'] * 1e3:>8.2f} {a['predict_week_s'] * 1e3:>8.2f} "
            f"{a['predict_month_s'] * 1e3:>9.2f}"
        )
    print(f"  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"hotspots-{stamp}.json"
    summary = {
        "benchmark": "hotspots",
        "at": stamp,
        "args": vars(args),
        "gi_star": hot,
        "forecast_areas": areas,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "load": load},
    }
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"  written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
