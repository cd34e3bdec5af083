"""Morocco's calendar days and the datetime ranges that cover them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone


def local_day(at: datetime | None) -> date | None:
    return timezone.localtime(at).date() if at is not None else None


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def ranges(days: Iterable[date]) -> list[tuple[datetime, datetime]]:
    """Consecutive days merged into [start, end) datetime ranges."""
    out: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if out and out[-1][1] == d:
            out[-1] = (out[-1][0], d + timedelta(days=1))
        else:
            out.append((d, d + timedelta(days=1)))
    return [(day_start(a), day_start(b)) for a, b in out]


def within(field: str, spans: list[tuple[datetime, datetime]] | None) -> Q:
    """`field` falls in one of the spans (None: anywhere, but not empty)."""
    if spans is None:
        return Q(**{f"{field}__isnull": False})
    q = Q(pk__in=[])
    for a, b in spans:
        q |= Q(**{f"{field}__gte": a, f"{field}__lt": b})
    return q
