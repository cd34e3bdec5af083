"""Pages of complaint lists whose cost depends on the page, not on the jurisdiction.

Keyset pagination: a page is "the 25 complaints after this one" in the lists' order (newest first,
`-created_at, -id`), so the database starts reading the index at the cursor instead of walking and
throwing away every row before it (OFFSET at page 500 read 296,000 index entries). The cursor is the
(created_at, id) of the last row shown, opaque to the reader (base64), and carries no personal data.

Counts are exact up to COUNT_CAP and "more than 10,000" beyond: counting a wilaya's 200,000 open
complaints exactly cost 600 ms on every page view, for a figure nobody reads past the first digits.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.validators import sane_instant

COUNT_CAP = 10_000
T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: int
    backwards: bool = False  # the page before this row (the "previous" link)

    def encode(self) -> str:
        raw = f"{'p' if self.backwards else 'n'}|{self.created_at.isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor of a `cursor=` parameter; None for an empty one; a clear 422 for a bad one."""
        text = (text or "").strip()
        if not text:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            direction, at, pk = raw.split("|")
            created_at = parse_datetime(at)
            number = int(pk)
            if created_at is None or created_at.tzinfo is None:
                raise ValueError("no instant")
            created_at = sane_instant(created_at)  # a year or an offset no clock has: refused
        except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
            created_at, number, direction = None, 0, ""
        if created_at is None or direction not in ("n", "p") or not 0 < number < 2**63:
            raise ValidationFailed(_("This page link is not valid: start again from the first page."))
        return cls(created_at, number, direction == "p")


@dataclass
class KeysetPage(Generic[T]):
    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None
    count: int  # exact when `count_exact`, else COUNT_CAP + 1
    count_exact: bool

    @property
    def count_capped(self) -> bool:
        return not self.count_exact


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """The number of rows, counting at most `cap` + 1 (one index range read, whatever the total)."""
    return qs.order_by().values("pk")[: cap + 1].count()


def keyset_page(qs: QuerySet[T], cursor: Cursor | None, size: int, *, with_count: bool = True) -> KeysetPage[T]:
    """One page of `qs` (ordered newest first) after (or before) the cursor, with a capped count.

    The bound `created_at <= t` is written beside the exact tie-break so that PostgreSQL starts its
    index scan at the cursor; the tie-break on id keeps rows with the same instant in order.
    """
    if cursor is None:
        rows = list(qs.order_by("-created_at", "-id")[: size + 1])
        has_more, has_before = len(rows) > size, False
        rows = rows[:size]
    elif not cursor.backwards:
        after = Q(created_at__lt=cursor.created_at) | Q(created_at=cursor.created_at, id__lt=cursor.id)
        rows = list(qs.filter(after, created_at__lte=cursor.created_at).order_by("-created_at", "-id")[: size + 1])
        has_more, has_before = len(rows) > size, True
        rows = rows[:size]
    else:
        before = Q(created_at__gt=cursor.created_at) | Q(created_at=cursor.created_at, id__gt=cursor.id)
        rows = list(qs.filter(before, created_at__gte=cursor.created_at).order_by("created_at", "id")[: size + 1])
        has_before, has_more = len(rows) > size, True
        rows = rows[:size][::-1]
    next_cursor = Cursor(rows[-1].created_at, rows[-1].pk).encode() if rows and has_more else None  # type: ignore[attr-defined]
    previous_cursor = (
        Cursor(rows[0].created_at, rows[0].pk, backwards=True).encode() if rows and has_before else None  # type: ignore[attr-defined]
    )
    if cursor is None and not has_more:
        count, exact = len(rows), True  # the whole list is on this page: no count query
    elif not with_count:
        count, exact = 0, False
    else:
        count = capped_count(qs)
        exact = count <= COUNT_CAP
    return KeysetPage(rows, next_cursor, previous_cursor, count, exact)
