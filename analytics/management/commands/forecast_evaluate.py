"""`manage.py forecast_evaluate`: rolling weekly evaluation of the black-spot forecast on a CSV file."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.spatial import evaluation
from analytics.spatial.incidents import IncidentFileError, day_text, parse_moment, read_incidents

METHODS = ("model", "baseline")


def parse_coverages(text: str) -> dict[str, float]:
    """ "1,5" → {"1": 1.0, "5": 5.0}; keys as typed; each in (0, 100]."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        try:
            value = float(part)
        except ValueError:
            raise CommandError(f"--coverage: {part!r} is not a number (write e.g. 1,5)") from None
        if not (math.isfinite(value) and 0 < value <= 100):
            raise CommandError(f"--coverage: {part} is not a percentage in (0, 100]")
        out[part] = value
    return out


class Command(BaseCommand):
    help = (
        "Rolling weekly evaluation of the black-spot forecast against the baseline 'count of the preceding "
        "365 days' on a CSV of incidents (occurred_at, lat, lon[, category]; WGS84)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidents", required=True, help="CSV file with occurred_at, lat, lon[, category]")
        parser.add_argument("--cell-m", type=float, default=150.0, help="side of the square cells in metres")
        parser.add_argument("--coverage", default="1,5", help="coverages in %% of the study area, e.g. 1,5")
        parser.add_argument("--start", help="first judged week starts at this date (default: first day + 365)")
        parser.add_argument("--weeks", type=int, help="number of judged weeks (default: up to the last incident)")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        coverages = parse_coverages(options["coverage"])
        cell_m = options["cell_m"]
        if not (math.isfinite(cell_m) and cell_m > 0):
            raise CommandError("--cell-m must be a positive number of metres")
        if options["weeks"] is not None and options["weeks"] < 1:
            raise CommandError("--weeks must be at least 1")
        start = None
        if options["start"]:
            try:
                start = parse_moment(options["start"])
            except ValueError:
                raise CommandError(f"--start {options['start']!r} is not an ISO date") from None
        try:
            incidents = read_incidents(options["incidents"])
            result = evaluation.evaluate_incidents(incidents, cell_m, coverages, start=start, weeks=options["weeks"])
        except IncidentFileError as exc:
            raise CommandError(f"{options['incidents']}: {exc}") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(as_json(result.evaluation)))
        else:
            self.stdout.write(as_table(result))


def as_json(ev: evaluation.Evaluation) -> dict[str, Any]:
    return {
        "study_cells": ev.study_cells,
        "weeks": ev.weeks,
        "coverages": {
            label: {m: {"hit": r[m].hit, "pai": r[m].pai, "pei": r[m].pei} for m in METHODS}
            for label, r in ev.coverages.items()
        },
    }


def as_table(result: evaluation.FileEvaluation) -> str:
    ev, grid = result.evaluation, result.grid
    end = ev.start + 7 * ev.weeks - 1
    lines = [
        f"incidents: {result.events_total} from {day_text(result.first_day)} to {day_text(result.last_day)}",
        f"grid: squares of {grid.cell_m:g} m, local equirectangular projection at latitude {grid.lat0:g}",
        f"study area: {ev.study_cells} cells, those that ever held an incident "
        f"({ev.study_cells * grid.cell_area_m2 / 1e6:.2f} km²)",
        f"judged: {ev.weeks} weeks from {day_text(ev.start)} to {day_text(end)}, {int(ev.events_judged)} incidents; "
        "each week forecast from the incidents before it",
        "baseline: count of the preceding 365 days, long-run count as tie-break; figures pooled over the weeks",
        "",
        f"{'coverage':>8}  {'cells':>6}  {'method':<8}  {'hit rate':>8}  {'PAI':>6}  {'PEI':>5}  {'RRI':>5}",
    ]
    for label, per_method in ev.coverages.items():
        for method in METHODS:
            m = per_method[method]
            lines.append(
                f"{label + ' %':>8}  {ev.cells_marked[label]:>6}  {method:<8}  {m.hit:>8.2%}  "
                f"{m.pai:>6.2f}  {m.pei:>5.3f}  {m.rri:>5.2f}"
            )
        ratio = per_method["model"].hit / per_method["baseline"].hit if per_method["baseline"].hit else math.nan
        lines.append(f"{'':>8}  {'':>6}  {'ratio':<8}  {ratio:>8.3f}")
    return "\n".join(lines)
