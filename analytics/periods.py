"""Reporting periods: a calendar month or year (Morocco's calendar), with the period before it and
the same period a year earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed

PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Period:
    """[start, end) in days; `month` None for a whole year."""

    year: int
    month: int | None = None

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        if self.month is None:
            return date(self.year + 1, 1, 1)
        return date(self.year + (self.month == 12), self.month % 12 + 1, 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.key

    def previous(self) -> Period:
        if self.month is None:
            return Period(self.year - 1)
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def last_year(self) -> Period:
        return Period(self.year - 1, self.month)

    def months(self) -> list[Period]:
        return [self] if self.month is not None else [Period(self.year, m) for m in range(1, 13)]


def current_month() -> Period:
    today = timezone.localdate()
    return Period(today.year, today.month)


def parse_period(raw: str | None) -> Period:
    """ "YYYY-MM" or "YYYY" (empty: this month); anything else is a translated 400."""
    if not raw:
        return current_month()
    m = PATTERN.match(raw.strip())
    month = int(m.group(2)) if m and m.group(2) else None
    if m is None or not 2000 <= int(m.group(1)) <= 2199 or (month is not None and not 1 <= month <= 12):
        raise ValidationFailed(
            _("The period must be a month (YYYY-MM) or a year (YYYY)."),
            fields={"period": _("Write a month as 2026-10 or a year as 2026.")},
        )
    return Period(int(m.group(1)), month)


def trailing_months(end: Period, count: int = 12) -> list[Period]:
    """The `count` months up to the month `end` starts in (for trend charts)."""
    out = [Period(end.year, end.month or 12)]
    while len(out) < count:
        out.append(out[-1].previous())
    return list(reversed(out))
