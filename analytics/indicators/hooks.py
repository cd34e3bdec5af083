"""Indicators other apps feed when they are installed (imports go one way: analytics may read
oversight and media; the media ones are registered by AnalyticsConfig.ready from media.indicators).

TODO(oversight): register `judicial_executed` (referral → instructions → executed, from the structured
prosecutor instructions) and `grievances` (Ombudsman / INPPLC / CNDH grievances: count, trend,
outcome; Inspectorate only).
Each hook is `fn(unit_path, start, end) -> dict[str, float | None]` of figures for the jurisdiction
and days [start, end).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Hook = Callable[[str, date, date], dict[str, float | None]]
EXPECTED = ("judicial_executed", "grievances", "media_first_answer", "rumour_rebuttal")
HOOKS: dict[str, Hook] = {}


def register(name: str, hook: Hook) -> None:
    """Called from the feeding app's AppConfig.ready()."""
    HOOKS[name] = hook


def figures(unit_path: str, start: date, end: date) -> dict[str, dict[str, float | None] | None]:
    """Every expected hook's figures, None for those not installed yet."""
    return {name: (HOOKS[name](unit_path, start, end) if name in HOOKS else None) for name in EXPECTED}
