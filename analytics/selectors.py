"""Reads of the indicators, narrowed to the viewer: their jurisdiction, and within it the
sensitivities their role may count (analysts: normal complaints only; chiefs: protected ones too;
the Inspectorate: complaints against officers too). Every figure comes from the rollups; only the
records behind a figure (`records_behind`) read the complaints, through `cases.selectors`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Model, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.indicators import INDICATORS, Indicator, of_family
from analytics.indicators.registry import BACKLOG, COMPLAINTS, LINE19, OVERSIGHT, READINESS, SATISFACTION, Sums
from analytics.models import BacklogNow, ComplaintDay, ReadinessDay, ResponseDay, SatisfactionDay
from analytics.periods import Period
from analytics.rollups.days import day_start
from analytics.rollups.line19 import RESPONSE_BANDS
from cases.choices import Sensitivity, State
from cases.models import Case, CaseEvent
from cases.selectors import listed_cases
from core.errors import NotFound
from org import access
from org.choices import Role, UnitKind
from org.models import Unit, User

MODELS: dict[str, type[Model]] = {
    COMPLAINTS: ComplaintDay,
    OVERSIGHT: ComplaintDay,
    BACKLOG: BacklogNow,
    LINE19: ResponseDay,
    READINESS: ReadinessDay,
    SATISFACTION: SatisfactionDay,
}
COLUMNS: dict[type[Model], tuple[str, ...]] = {
    ComplaintDay: (
        "received",
        "first_actions",
        "first_action_seconds",
        "first_action_late",
        "closed",
        "closed_within",
        "closure_seconds",
        "reopened",
        "escalated",
        "transferred_in",
        "referred",
        "instructions",
        "referral_seconds",
    ),
    BacklogNow: ("open", "overdue", "escalated", "age_0_7", "age_8_30", "age_31_90", "age_over_90"),
    ResponseDay: (
        "incidents",
        "under_target",
        "call_processing_n",
        "call_processing_s",
        "turnout_n",
        "turnout_s",
        "travel_n",
        "travel_s",
        "response_n",
        "response_s",
    ),
    ReadinessDay: ("planned", "signed_on"),
    SatisfactionDay: ("answers", "rating_sum", "satisfied", "safer_yes", "safer_no"),
}
# Line 19's extra dimension on the dashboards.
PRIORITIES = ("P1", "P2", "P3", "P4")


def viewer_sensitivities(user: User) -> tuple[str, ...]:
    """What the viewer's counts include (an analyst never counts a protected case)."""
    if user.has_role(Role.UNIT_CHIEF, Role.INSPECTOR):
        return (Sensitivity.NORMAL, Sensitivity.PROTECTED)
    return (Sensitivity.NORMAL,)


def sees_oversight(user: User) -> bool:
    """Complaints against officers: counts for the Inspectorate only. Every chief, the central
    directorate's included, is in some officer's chain of command, which may not even count them
    (DESIGN.md, access; the oversight issue)."""
    return user.has_role(Role.INSPECTOR)


def sees_records(user: User) -> bool:
    """Figures link to records for those who may list complaints; analysts get aggregates only."""
    return access.allows(user.roles, access.LIST)


def dashboard_unit(user: User, unit_id: int | None = None) -> Unit:
    """The viewer's own unit, or a unit of their jurisdiction; missing and outside alike are 404."""
    return jurisdiction_unit(user, unit_id, access.INDICATORS)


def jurisdiction_unit(user: User, unit_id: int | None, act: str) -> Unit:
    """The viewer's own unit or one below it, for a viewer allowed `act`; else the 404 of a missing unit."""
    own = user.unit
    if own is None or not access.allows(user.roles, act):
        raise NotFound(_("No unit with this number in your jurisdiction."))
    if unit_id is None or unit_id == own.pk:
        return own
    unit = Unit.objects.filter(pk=unit_id, path__startswith=own.path).first()
    if unit is None:
        raise NotFound(_("No unit with this number in your jurisdiction."))
    return unit


def trail(user: User, unit: Unit) -> list[Unit]:
    """The drill-down path from the viewer's unit to `unit` (breadcrumbs)."""
    own = user.unit
    assert own is not None
    return [u for u in [*unit.ancestors(), unit] if u.path.startswith(own.path)]


def children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit).exclude(kind=UnitKind.COMMAND_ROOM).order_by("code"))


# ---------------------------------------------------------------- sums over the rollups


def _filtered(family: str, unit: Unit, period: Period | None, sensitivities: tuple[str, ...]) -> QuerySet[Any]:
    model = MODELS[family]
    qs = model.objects.filter(unit_path__startswith=unit.path)  # type: ignore[attr-defined]
    if period is not None and family != BACKLOG:
        qs = qs.filter(day__gte=period.start, day__lt=period.end)
    if family == OVERSIGHT:
        qs = qs.filter(sensitivity=Sensitivity.AGAINST_OFFICER)
    elif model in (ComplaintDay, BacklogNow, SatisfactionDay):
        qs = qs.filter(sensitivity__in=sensitivities)
    return qs


def _blank(family: str) -> Sums:
    s: Sums = dict.fromkeys(COLUMNS[MODELS[family]], 0)
    if family == LINE19:
        s["response_hist"] = [0] * (len(RESPONSE_BANDS) + 1)
    if family == BACKLOG:
        s["by_state"] = defaultdict(int)
    return s


def family_sums(
    family: str,
    unit: Unit,
    period: Period | None,
    sensitivities: tuple[str, ...],
    *,
    by: str | None = None,
    extra: Q | None = None,
) -> dict[Any, Sums]:
    """The summed columns of one family's rollup, grouped by `by` (None: one group, key None)."""
    model = MODELS[family]
    qs = _filtered(family, unit, period, sensitivities)
    if extra is not None:
        qs = qs.filter(extra)
    cols = COLUMNS[model]
    keys = [by] if by else []
    out: dict[Any, Sums] = defaultdict(lambda: _blank(family))
    sums = {f"s_{c}": Sum(c) for c in cols}
    # One group: aggregate() (values() without fields would group by every column, one row each).
    rows = qs.values(*keys).annotate(**sums).order_by() if by else [qs.order_by().aggregate(**sums)]
    for row in rows:
        target = out[row.get(by) if by else None]
        for c in cols:
            target[c] += row[f"s_{c}"] or 0
    if family == LINE19:
        for row in qs.values_list(by or "pk", "response_hist"):
            hist = out[row[0] if by else None]["response_hist"]
            for i, n in enumerate(row[1] or []):
                hist[i] += n
    if family == BACKLOG:
        for row in qs.values(*keys, "state").annotate(n=Sum("open")).order_by():
            out[row.get(by) if by else None]["by_state"][row["state"]] += row["n"] or 0
    return out


def sums_for(user: User, family: str, unit: Unit, period: Period | None) -> Sums:
    return family_sums(family, unit, period, viewer_sensitivities(user)).get(None) or _blank(family)


def families_for(user: User) -> list[str]:
    out = [BACKLOG, COMPLAINTS, LINE19, READINESS, SATISFACTION]
    return [*out, OVERSIGHT] if sees_oversight(user) else out


@dataclass
class Figure:
    indicator: Indicator
    value: float | None
    previous: float | None = None
    last_year: float | None = None


def indicator_table(user: User, unit: Unit, period: Period) -> list[Figure]:
    """Every indicator the viewer may see for the unit's jurisdiction: this period, the previous one
    and the same period a year earlier (the open backlog is "now" only)."""
    figures: list[Figure] = []
    for family in families_for(user):
        if family == BACKLOG:
            now = sums_for(user, family, unit, None)
            figures += [Figure(i, i.value(now)) for i in of_family(family)]
            continue
        this, prev, last = (sums_for(user, family, unit, p) for p in (period, period.previous(), period.last_year()))
        figures += [Figure(i, i.value(this), i.value(prev), i.value(last)) for i in of_family(family)]
    return figures


def _child_of(unit: Unit, kids: list[Unit]) -> dict[int, int]:
    """Every unit id of the jurisdiction → the child it lies under (the unit itself → itself)."""
    by_path = {k.path: k.pk for k in kids}
    out = {}
    for pk, path in Unit.objects.filter(path__startswith=unit.path).values_list("pk", "path"):
        rest = path[len(unit.path) :].strip("/").split("/")
        out[pk] = by_path.get(f"{unit.path}{rest[0]}/", unit.pk) if rest and rest[0] else unit.pk
    return out


CHILD_COLUMNS: tuple[str, ...] = (
    "received",
    "closed",
    "within_deadline_share",
    "open",
    "overdue",
    "response_median_min",
    "under_target_share",
    "satisfied_share",
)


def child_table(user: User, unit: Unit, period: Period) -> list[dict[str, Any]]:
    """One row per child unit (and the unit's own records, if any) with the key indicators."""
    kids = children(unit)
    owner = _child_of(unit, kids)
    sens = viewer_sensitivities(user)
    grouped: dict[int, dict[str, Sums]] = defaultdict(dict)
    for family in (COMPLAINTS, BACKLOG, LINE19, SATISFACTION):
        for unit_id, sums in family_sums(
            family, unit, None if family == BACKLOG else period, sens, by="unit_id"
        ).items():
            into = grouped[owner.get(unit_id, unit.pk)].setdefault(family, _blank(family))
            for k, v in sums.items():
                if k == "response_hist":
                    into[k] = [a + b for a, b in zip(into[k], v, strict=True)]
                elif k == "by_state":
                    for state, n in v.items():
                        into[k][state] += n
                else:
                    into[k] += v
    rows = []
    for u in [*kids, unit]:
        if u is unit and u.pk not in grouped:
            continue
        cells = {}
        for code in CHILD_COLUMNS:
            ind = INDICATORS[code]
            family = ind.family
            found = grouped.get(u.pk, {}).get(family)
            cells[code] = ind.value(found) if found else None
        rows.append({"unit": u, "own": u is unit, "cells": cells})
    return rows


def priority_table(user: User, unit: Unit, period: Period) -> list[dict[str, Any]]:
    """Line-19 indicators per priority."""
    sums = family_sums(LINE19, unit, period, viewer_sensitivities(user), by="priority")
    inds = of_family(LINE19)
    return [
        {"priority": p, "cells": {i.code: i.value(sums[p]) if p in sums else None for i in inds}} for p in PRIORITIES
    ]


def trend(user: User, unit: Unit, months: list[Period]) -> dict[str, list[Any]]:
    """Received and closed per month (the trend chart)."""
    sens = viewer_sensitivities(user)
    rows = (
        _filtered(COMPLAINTS, unit, None, sens)
        .filter(day__gte=months[0].start, day__lt=months[-1].end)
        .values("day")
        .annotate(r=Sum("received"), c=Sum("closed"))
        .order_by()
        .values_list("day", "r", "c")
    )
    received: dict[str, int] = defaultdict(int)
    closed: dict[str, int] = defaultdict(int)
    for day, r, c in rows:
        key = f"{day.year:04d}-{day.month:02d}"
        received[key] += r
        closed[key] += c
    keys = [m.key for m in months]
    return {"months": keys, "received": [received[k] for k in keys], "closed": [closed[k] for k in keys]}


def today(user: User, unit: Unit) -> dict[str, Any]:
    """Today's line-19 response and roster readiness, for the chief's home."""
    day = timezone.localdate()
    sens = viewer_sensitivities(user)
    line19 = family_sums(LINE19, unit, None, sens, extra=Q(day=day)).get(None) or _blank(LINE19)
    ready = family_sums(READINESS, unit, None, sens, extra=Q(day=day)).get(None) or _blank(READINESS)
    return {
        "incidents": line19["incidents"],
        "response_median_min": INDICATORS["response_median_min"].value(line19),
        "under_target_share": INDICATORS["under_target_share"].value(line19),
        "planned": ready["planned"],
        "signed_on": ready["signed_on"],
        "readiness_share": INDICATORS["readiness_share"].value(ready),
    }


# ---------------------------------------------------------------- the records behind a figure


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": day_start(period.start), f"{field}__lt": day_start(period.end)})


def _old(period: Period) -> Q:
    return ~Q(state=State.CLOSED) & Q(created_at__lt=timezone.now() - timedelta(days=30))


RECORDS: dict[str, Any] = {
    "received": lambda p: _in("created_at", p),
    "first_action": lambda p: _in("first_action_at", p),
    "closed": lambda p: _in("closed_at", p),
    "closed_late": lambda p: _in("closed_at", p) & Q(closed_within_deadline=False),
    "reopened": lambda p: Q(pk__in=_event_cases(p, transition__in=("reopen", "citizen_reopen"))),
    "escalations": lambda p: Q(pk__in=_event_cases(p, kind="escalation")),
    "referred": lambda p: _in("referred_at", p),
    "open": lambda p: ~Q(state=State.CLOSED),
    "overdue": lambda p: ~Q(state=State.CLOSED) & Q(overdue=True),
    "escalated": lambda p: ~Q(state=State.CLOSED) & Q(escalation_level__gt=0),
    "waiting_complainant": lambda p: Q(state=State.AWAITING_COMPLAINANT),
    "waiting_prosecutor": lambda p: Q(state=State.REFERRED),
    "open_old": _old,
}


def _event_cases(period: Period, **match: Any) -> QuerySet[Any]:
    return CaseEvent.objects.filter(_in("at", period), **match).values("case_id")


def records_behind(user: User, unit: Unit, name: str, period: Period) -> QuerySet[Case]:
    """The complaints behind a figure, as the viewer may list them (`cases.selectors.listed_cases`)."""
    build = RECORDS.get(name)
    if build is None or not sees_records(user):
        raise NotFound(_("No such list."))
    return (
        listed_cases(user)
        .filter(build(period), assigned_unit__path__startswith=unit.path)
        .select_related("category", "assigned_unit")
        .order_by("-created_at", "-id")
    )
