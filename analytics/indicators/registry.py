"""The indicator registry: every indicator defined once, with its formula in its docstring, the
rollup it reads and the records behind it.

An indicator is a function of the summed rollup columns of a jurisdiction and a period (`Sums`):
selectors sum the rows in SQL, indicators only divide. `records` names the filter of
`analytics.selectors.records_behind` that lists the complaints behind the figure (None: aggregates
only, as for line 19 and the survey).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Sums = dict[str, Any]

# Families and the rollup each reads (see analytics.models).
COMPLAINTS = "complaints"  # ComplaintDay, per period
BACKLOG = "backlog"  # BacklogNow, now (no period)
LINE19 = "line19"  # ResponseDay, per period
READINESS = "readiness"  # ReadinessDay, per period
SATISFACTION = "satisfaction"  # SatisfactionDay, per period
OVERSIGHT = "oversight"  # complaints against officers (ComplaintDay), Inspectorate only
HOOKS = "hooks"  # judicial files' execution, grievances, media: read from other apps when present

COUNT, DURATION, SHARE, SCORE = "count", "duration", "share", "score"

FAMILY_LABELS = {
    BACKLOG: _("Now: open complaints"),
    COMPLAINTS: _("Complaints"),
    LINE19: _("Emergency line 19"),
    READINESS: _("Readiness"),
    SATISFACTION: _("Citizen satisfaction"),
    OVERSIGHT: _("Complaints against officers"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    family: str
    kind: str
    compute: Callable[[Sums], float | None]
    records: str | None = None
    # What the reader sees (translated): the formula in plain words; the docstring stays the
    # developer's formula (shown in exports, with the rollup columns it sums).
    explanation: Promise | str = ""

    @property
    def formula(self) -> str:
        return " ".join((self.compute.__doc__ or "").split())

    def value(self, sums: Sums) -> float | None:
        return self.compute(sums) if sums else None


INDICATORS: dict[str, Indicator] = {}


def indicator(
    code: str, label: Promise, family: str, kind: str, records: str | None = None, *, explanation: Promise
) -> Callable[[Callable[[Sums], float | None]], Callable[[Sums], float | None]]:
    def register(compute: Callable[[Sums], float | None]) -> Callable[[Sums], float | None]:
        if code in INDICATORS:
            raise ValueError(f"indicator {code} defined twice")
        INDICATORS[code] = Indicator(code, label, family, kind, compute, records, explanation)
        return compute

    return register


def ratio(num: float | None, den: float | None) -> float | None:
    return (num or 0) / den if den else None


def of_family(*families: str) -> list[Indicator]:
    return [i for i in INDICATORS.values() if i.family in families]
