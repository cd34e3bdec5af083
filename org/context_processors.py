"""Template context of staff pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from org.sessions import second_factor_pending


def account(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """`second_factor_pending`: the menu stays hidden until the session passed its second factor
    (a callable, so pages that never ask do not pay for it)."""
    return {"second_factor_pending": lambda: second_factor_pending(request)}
