"""Reading incidents from a CSV file: `occurred_at, lat, lon[, category]`, WGS84 degrees.

``occurred_at`` is an ISO 8601 date ("2019-03-01") or date-time ("2019-03-01T14:05", "2019-03-01
14:05:00", "2019-03-01T14:05:00+01:00", "…Z"). Dates and naive date-times are taken as they are (the
local time of the data); aware ones are converted to UTC. Times are returned as days since
1970-01-01 00:00 on that clock, as float64. Other columns are ignored; the order of columns is free.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

REQUIRED = ("occurred_at", "lat", "lon")
EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 -- naive on purpose: times stay on the data's own clock
SECONDS_PER_DAY = 86400.0


class IncidentFileError(ValueError):
    """The file cannot be read as incidents; the message says where and why."""


@dataclass(frozen=True)
class Incidents:
    """Columns of an incident file, in file order."""

    times: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    category: npt.NDArray[np.str_] | None

    def __len__(self) -> int:
        return int(self.times.size)


def parse_moment(text: str) -> float:
    """Days since 1970-01-01 for an ISO date or date-time (aware ones in UTC). ValueError if not ISO."""
    text = text.strip()
    moment = (
        datetime.fromisoformat(text) if len(text) > 10 else datetime.combine(date.fromisoformat(text), EPOCH.time())
    )
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return (moment - EPOCH).total_seconds() / SECONDS_PER_DAY


def day_text(days: float) -> str:
    """The ISO date of a time in days since 1970-01-01."""
    return str(np.datetime64(int(np.floor(days)), "D"))


def read_incidents(path: str | Path) -> Incidents:
    """All rows of the file; IncidentFileError on a missing file, a missing column, an empty file, a
    date that is not ISO 8601 or a coordinate that is not a number within WGS84 range."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as fh:
            return _read_rows(csv.reader(fh))
    except OSError as exc:
        raise IncidentFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise IncidentFileError(f"{path} is not a UTF-8 CSV file: {exc}") from exc


def _read_rows(reader: Iterator[list[str]]) -> Incidents:
    header = next(reader, None)
    if not header:
        raise IncidentFileError("the file is empty: expected a header with occurred_at, lat, lon[, category]")
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise IncidentFileError(f"missing column(s): {', '.join(missing)} (found: {', '.join(names)})")
    i_at, i_lat, i_lon = (names.index(c) for c in REQUIRED)
    i_cat = names.index("category") if "category" in names else None
    times: list[float] = []
    lats: list[float] = []
    lons: list[float] = []
    cats: list[str] = []
    seen: dict[str, float] = {}  # many events share a date or an hour: parse each text once
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            raise IncidentFileError(f"line {line}: {len(row)} fields, the header has {len(names)}")
        text = row[i_at]
        if text not in seen:
            try:
                seen[text] = parse_moment(text)
            except ValueError:
                raise IncidentFileError(f"line {line}: occurred_at {text!r} is not an ISO date or date-time") from None
        times.append(seen[text])
        lats.append(_coordinate(row[i_lat], line, "lat", 90.0))
        lons.append(_coordinate(row[i_lon], line, "lon", 180.0))
        if i_cat is not None:
            cats.append(row[i_cat].strip())
    if not times:
        raise IncidentFileError("the file has a header but no incident")
    return Incidents(
        times=np.array(times),
        lat=np.array(lats),
        lon=np.array(lons),
        category=np.array(cats) if i_cat is not None else None,
    )


def _coordinate(text: str, line: int, name: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise IncidentFileError(f"line {line}: {name} {text!r} is not a number") from None
    if not -limit <= value <= limit:  # also refuses nan
        raise IncidentFileError(f"line {line}: {name} {value} is out of range (±{limit:g}°)")
    return value
