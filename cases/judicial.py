"""The judicial-file indicator (one of the sense-of-security indicators): referral to the prosecutor
→ instructions received → instructions executed, per unit, for the reader's jurisdiction.

Only counts and durations leave this module; the complaints are the reader's own (a chief's
jurisdiction) or the de-identified ones (an analyst): never a protected case for an analyst, never a
complaint against an officer outside the Inspectorate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from cases.models import Case, Instruction, Referral
from cases.selectors import access_q
from org import access
from org.models import Unit, User


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile by the nearest-rank method (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class UnitJudicial:
    """One unit's line of the indicator. Durations in days."""

    unit: Unit
    referrals: int
    to_instructions_median: float | None
    to_instructions_p90: float | None
    instructions: int
    executed: int
    to_execution_median: float | None
    to_execution_p90: float | None
    on_time: int
    pending_overdue: int

    @property
    def share_on_time(self) -> float | None:
        return None if not self.executed else self.on_time / self.executed


def _days(a: datetime, b: datetime) -> float:
    return round((b - a).total_seconds() / 86400, 1)


def judicial_indicator(user: User, *, since: datetime, until: datetime, now: datetime) -> list[UnitJudicial]:
    """Per unit of the reader's reach, for referrals made in [since, until): days from referral to
    the first instruction, from an instruction to its execution (median, p90), executed on time,
    and instructions still pending past their deadline."""
    if not access.allows(user.roles, access.JUDICIAL_METRICS):
        return []
    # The complaints the reader lists, or counts de-identified (which never holds a protected case
    # or one against an officer).
    cases = Case.objects.filter(access_q(user, access.LIST) | access_q(user, access.DEIDENTIFIED))
    referrals = Referral.objects.filter(case__in=cases, referred_at__gte=since, referred_at__lt=until).select_related(
        "case__assigned_unit"
    )
    instructions = Instruction.objects.filter(referral__in=referrals).select_related("referral")
    rows: dict[int, dict] = {}

    def row(unit: Unit) -> dict:
        return rows.setdefault(
            unit.pk, {"unit": unit, "referrals": 0, "to_ins": [], "ins": 0, "exec": [], "on_time": 0, "late": 0}
        )

    first: dict[int, datetime] = {}
    for ins in instructions:
        if ins.referral_id not in first or ins.received_at < first[ins.referral_id]:
            first[ins.referral_id] = ins.received_at
    units = {}
    for r in referrals:
        units[r.pk] = r.case.assigned_unit
        line = row(r.case.assigned_unit)
        line["referrals"] += 1
        if r.pk in first:
            line["to_ins"].append(_days(r.referred_at, first[r.pk]))
    for ins in instructions:
        line = row(units[ins.referral_id])
        line["ins"] += 1
        if ins.executed_at is not None:
            line["exec"].append(_days(ins.received_at, ins.executed_at))
            line["on_time"] += ins.executed_at <= ins.due_at
        elif ins.due_at < now:
            line["late"] += 1
    out = [
        UnitJudicial(
            unit=d["unit"],
            referrals=d["referrals"],
            to_instructions_median=percentile(d["to_ins"], 50),
            to_instructions_p90=percentile(d["to_ins"], 90),
            instructions=d["ins"],
            executed=len(d["exec"]),
            to_execution_median=percentile(d["exec"], 50),
            to_execution_p90=percentile(d["exec"], 90),
            on_time=d["on_time"],
            pending_overdue=d["late"],
        )
        for d in rows.values()
    ]
    return sorted(out, key=lambda u: u.unit.path)
