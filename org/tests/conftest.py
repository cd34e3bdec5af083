"""Fixtures of the staff-account tests: a clock the tests move, the second factor switched on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone


class Clock:
    """Stands in for `django.utils.timezone.now`; moves only when the test says so."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock()
    with mock.patch("django.utils.timezone.now", new=c):
        yield c


@pytest.fixture
def second_factor(settings) -> None:
    """The production rule: unit chiefs, inspectors, oversight liaisons and administrators pass a
    second factor (the root conftest turns it off for the tests that are not about it)."""
    settings.AMANE_REQUIRE_2FA = True
