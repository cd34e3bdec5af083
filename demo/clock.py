"""Replaying the past through the services: `django.utils.timezone.now` set to each planned moment.

Demo data carries its timeline and audit chain like real data because it is made by the same
services, run in chronological order with the clock patched; the audit timestamps keep increasing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from django.contrib.auth.hashers import make_password

from demo.data import DEMO_PASSWORD


class Clock:
    """Stands in for `django.utils.timezone.now` while the past is replayed; never goes backwards."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.last: datetime | None = None

    def __call__(self) -> datetime:
        t = self.at
        if self.last is not None and t <= self.last:
            t = self.last + timedelta(microseconds=1)
        self.last = t
        return t


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """The services run as if it were `at` (in UTC, as timezone.now() gives it: the audit chain
    hashes the time as written)."""
    with mock.patch("django.utils.timezone.now", return_value=at.astimezone(UTC)):
        yield


@contextmanager
def running_at(now: Callable[[], datetime]) -> Iterator[None]:
    """The services read `now()` for the time, and every demo user gets the published password
    hashed once (password hashing takes ~0.5 s per user; they all share it)."""
    hashed = make_password(DEMO_PASSWORD)

    def demo_password_hash(raw: str, *a: Any, **kw: Any) -> str:
        return hashed if raw == DEMO_PASSWORD and not a and not kw else make_password(raw, *a, **kw)

    with (
        mock.patch("django.utils.timezone.now", new=now),
        mock.patch("django.contrib.auth.base_user.make_password", new=demo_password_hash),
    ):
        yield
