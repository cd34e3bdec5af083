"""Complaint rollups: `ComplaintDay` per unit × day × category, and the open backlog `BacklogNow`.

A complaint counts, with its whole history, for the unit that holds it now: after a transfer the
receiving unit answers for its intake, first action and closure (the giving unit's rows are
recomputed without it). A reopened complaint no longer counts as closed on its first closure day;
it counts at its final closure, judged on the pausing clock that ran across both periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from analytics.models import BacklogNow, ComplaintDay
from analytics.rollups.days import local_day, ranges, within
from cases.choices import EventKind, State
from cases.models import Case, CaseEvent
from org.models import Unit

REOPENINGS = ("reopen", "citizen_reopen")
CASE_FIELDS = ("created_at", "first_action_at", "closed_at", "referred_at", "instructions_at")


def dirty_slices(case_ids: Iterable[int]) -> dict[int, set[date]]:
    """The (unit, day) slices a change to these complaints may have moved: every unit that held
    them, every day on which they were registered, acted on, closed or had an event."""
    out: dict[int, set[date]] = defaultdict(set)
    ids = list(case_ids)
    units: dict[int, set[int]] = defaultdict(set)
    days: dict[int, set[date]] = defaultdict(set)
    for row in Case.objects.filter(pk__in=ids).values("pk", "assigned_unit_id", *CASE_FIELDS):
        units[row["pk"]].add(row["assigned_unit_id"])
        days[row["pk"]].update(d for f in CASE_FIELDS if (d := local_day(row[f])) is not None)
    for ev in CaseEvent.objects.filter(case_id__in=ids).values("case_id", "at", "kind", "data"):
        days[ev["case_id"]].add(local_day(ev["at"]))  # type: ignore[arg-type]
        if ev["kind"] == EventKind.TRANSFER and isinstance(ev["data"], dict) and ev["data"].get("from_unit"):
            units[ev["case_id"]].add(int(ev["data"]["from_unit"]))
    for pk, held in units.items():
        for unit_id in held:
            out[unit_id] |= days[pk]
    return out


def _blank() -> dict[str, int]:
    return defaultdict(int)


def _case_rows(unit_id: int, spans: list[tuple[datetime, datetime]] | None) -> Iterable[Any]:
    q = Q()
    if spans is not None:
        q = Q(pk__in=[])
        for f in CASE_FIELDS:
            q |= within(f, spans)
    return (
        Case.objects.filter(q, assigned_unit_id=unit_id)
        .values(
            "category_id",
            "sensitivity",
            "clock_elapsed",
            "closed_within_deadline",
            "category__first_action_hours",
            *CASE_FIELDS,
        )
        .iterator(chunk_size=2000)
    )


def _event_rows(unit_id: int, spans: list[tuple[datetime, datetime]] | None) -> Iterable[Any]:
    kinds = Q(kind=EventKind.ESCALATION) | Q(kind=EventKind.TRANSFER) | Q(transition__in=REOPENINGS)
    return (
        CaseEvent.objects.filter(kinds, within("at", spans), case__assigned_unit_id=unit_id)
        .values("case__category_id", "case__sensitivity", "kind", "at")
        .iterator(chunk_size=2000)
    )


def compute_days(unit_id: int, days: set[date] | None) -> dict[tuple[date, int, str], dict[str, int]]:
    """The ComplaintDay values of one unit for these days (None: every day), from the records."""
    spans = ranges(days) if days is not None else None
    rows: dict[tuple[date, int, str], dict[str, int]] = defaultdict(_blank)

    def hit(at: datetime | None) -> date | None:
        day = local_day(at)
        return day if day is not None and (days is None or day in days) else None

    for c in _case_rows(unit_id, spans):
        key = (c["category_id"], c["sensitivity"])
        if day := hit(c["created_at"]):
            rows[(day, *key)]["received"] += 1
        if day := hit(c["first_action_at"]):
            r = rows[(day, *key)]
            seconds = int((c["first_action_at"] - c["created_at"]).total_seconds())
            r["first_actions"] += 1
            r["first_action_seconds"] += seconds
            r["first_action_late"] += seconds > c["category__first_action_hours"] * 3600
        if day := hit(c["closed_at"]):
            r = rows[(day, *key)]
            r["closed"] += 1
            r["closed_within"] += bool(c["closed_within_deadline"])
            r["closure_seconds"] += c["clock_elapsed"]
        if day := hit(c["referred_at"]):
            rows[(day, *key)]["referred"] += 1
        if (day := hit(c["instructions_at"])) and c["referred_at"] is not None:
            r = rows[(day, *key)]
            r["instructions"] += 1
            r["referral_seconds"] += int((c["instructions_at"] - c["referred_at"]).total_seconds())
    for e in _event_rows(unit_id, spans):
        day = hit(e["at"])
        if day is None:
            continue
        field = {EventKind.ESCALATION: "escalated", EventKind.TRANSFER: "transferred_in"}.get(e["kind"], "reopened")
        rows[(day, e["case__category_id"], e["case__sensitivity"])][field] += 1
    return rows


@transaction.atomic
def store_days(unit: Unit, days: set[date] | None) -> int:
    """Replace the unit's ComplaintDay rows of these days (None: all) by freshly computed ones."""
    values = compute_days(unit.pk, days)
    stale = ComplaintDay.objects.filter(unit=unit)
    if days is not None:
        stale = stale.filter(day__in=days)
    stale.delete()
    ComplaintDay.objects.bulk_create(
        ComplaintDay(unit=unit, unit_path=unit.path, day=day, category_id=cat, sensitivity=sens, **v)
        for (day, cat, sens), v in values.items()
    )
    return len(values)


def age_buckets(now: datetime) -> dict[str, Any]:
    days = [now - timedelta(days=n) for n in (7, 30, 90)]
    return {
        "open": Count("pk"),
        "overdue": Count("pk", filter=Q(overdue=True)),
        "escalated": Count("pk", filter=Q(escalation_level__gt=0)),
        "age_0_7": Count("pk", filter=Q(created_at__gte=days[0])),
        "age_8_30": Count("pk", filter=Q(created_at__lt=days[0], created_at__gte=days[1])),
        "age_31_90": Count("pk", filter=Q(created_at__lt=days[1], created_at__gte=days[2])),
        "age_over_90": Count("pk", filter=Q(created_at__lt=days[2])),
        "oldest_at": Min("created_at"),
    }


@transaction.atomic
def store_backlog(now: datetime | None = None) -> int:
    """Recount the open complaints per unit, category, sensitivity and state (one grouped query)."""
    now = now or timezone.now()
    groups = (
        Case.objects.exclude(state=State.CLOSED)
        .values("assigned_unit_id", "category_id", "sensitivity", "state")
        .annotate(**age_buckets(now))
        .order_by()
    )
    paths = dict(Unit.objects.values_list("pk", "path"))
    BacklogNow.objects.all().delete()
    rows = []
    for g in groups:
        values: dict[str, Any] = dict(g)
        unit_id = values.pop("assigned_unit_id")
        rows.append(BacklogNow(unit_id=unit_id, unit_path=paths[unit_id], **values))
    BacklogNow.objects.bulk_create(rows)
    return len(rows)
