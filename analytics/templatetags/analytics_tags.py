"""How an indicator's value reads: counts as integers, shares as percentages, durations with one
decimal, the open response band as "> N"."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format

from analytics.indicators.registry import COUNT, SHARE

register = template.Library()


@register.filter
def indicator_value(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "> 60"
    if kind == COUNT:
        return number_format(int(value), force_grouping=True)
    if kind == SHARE:
        return f"{number_format(value * 100, 0)} %"
    return number_format(value, 1)


@register.filter
def cell(row: dict[str, Any], code: str) -> Any:
    return row["cells"].get(code)
