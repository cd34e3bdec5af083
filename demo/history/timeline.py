"""When generated complaints are made: a count per day (more in summer, fewer on Sundays, a little
more each year) and a moment in each day by hour (quiet nights, late-morning and evening peaks)."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

# Hour-of-day profile of complaints (0 h .. 23 h): quiet nights, late-morning and evening peaks.
HOURS = (2, 1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 10, 9, 9, 10, 10, 11, 11, 10, 8, 6, 4, 3)


def daily_counts(start: datetime, n_days: int, total: int) -> Iterator[tuple[datetime, int]]:
    """(midnight of each day from `start`, complaints that day), oldest first, summing exactly to the total."""
    weights = []
    for d in range(n_days):
        day = start + timedelta(days=d)
        doy = day.timetuple().tm_yday
        season = 1 + 0.18 * math.sin(2 * math.pi * (doy - 110) / 365)  # summer peak
        weekday = 0.85 if day.weekday() == 6 else 1.0  # quieter Sundays
        growth = 1 + 0.08 * d / 365  # more each year
        weights.append(season * weekday * growth)
    scale = total / sum(weights)
    carry = 0.0
    given = 0
    for d, w in enumerate(weights):
        carry += w * scale
        count = int(carry) if d < n_days - 1 else total - given
        carry -= count
        given += count
        yield start + timedelta(days=d), count


def moments(rng: random.Random, start: datetime, n_days: int, total: int, now: datetime) -> Iterator[datetime]:
    """The creation time of `total` complaints over `n_days` days from `start`, oldest first (never after now)."""
    hours_cum = list(itertools.accumulate(HOURS))
    for day, count in daily_counts(start, n_days, total):
        seconds = sorted(
            bisect.bisect(hours_cum, rng.random() * hours_cum[-1]) * 3600 + rng.randrange(3600) for _ in range(count)
        )
        for s in seconds:
            created = day + timedelta(seconds=s, microseconds=rng.randrange(1_000_000))
            if created > now:
                created = now - timedelta(seconds=rng.randrange(1, 3600))
            yield created
