"""Keeping the rollups current: `refresh` (incremental, periodic) and `rebuild` (everything)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from analytics.models import ComplaintDay, RollupState
from analytics.rollups import complaints, line19
from analytics.rollups.days import day_start
from cases.models import CaseEvent
from org.models import Unit

# Events re-read behind the watermark at every pass: a transaction that wrote an event with a lower
# id commits after one with a higher id, and recomputing a slice twice is harmless.
OVERLAP = 500
BATCH = 5000
# Line-19 incidents, shifts and survey answers are recomputed over the current and previous day.
RECENT_DAYS = 1


def refresh_complaints() -> int:
    """Recompute the slices touched by the timeline events since the last pass; returns the number
    of (unit, day) slices recomputed."""
    state, _ = RollupState.objects.get_or_create(name="complaints")
    start = max(state.watermark - OVERLAP, 0)
    touched = 0
    while True:
        rows = list(CaseEvent.objects.filter(pk__gt=start).order_by("pk").values_list("pk", "case_id")[:BATCH])
        if not rows:
            break
        slices = complaints.dirty_slices({case_id for _pk, case_id in rows})
        units = {u.pk: u for u in Unit.objects.filter(pk__in=slices)}
        for unit_id, days in slices.items():
            complaints.store_days(units[unit_id], days)
            touched += len(days)
        start = rows[-1][0]
    RollupState.objects.filter(pk=state.pk).update(watermark=max(start, state.watermark), refreshed_at=timezone.now())
    return touched


def _exclusive() -> None:
    """Hold the rollups' lock row until the transaction ends: two passes never interleave their
    delete-and-insert of the same slices (a second one waits, then finds little left to do)."""
    RollupState.objects.get_or_create(name="lock")
    RollupState.objects.select_for_update().get(name="lock")


@transaction.atomic
def refresh(now: datetime | None = None) -> dict[str, Any]:
    """One incremental pass over every rollup (the periodic task); the very first pass, with no
    watermark yet (a new or restored database), is a rebuild."""
    _exclusive()
    if not RollupState.objects.filter(name="complaints").exists():
        return rebuild()
    now = now or timezone.now()
    since = day_start(timezone.localtime(now).date() - timedelta(days=RECENT_DAYS))
    return {
        "complaint_slices": refresh_complaints(),
        "backlog_rows": complaints.store_backlog(now),
        "response_rows": line19.store_response(since),
        "readiness_rows": line19.store_readiness(since),
        "satisfaction_rows": line19.store_satisfaction(since),
    }


@transaction.atomic
def rebuild() -> dict[str, Any]:
    """Recompute every rollup from the records (after a migration, a restore or a new indicator); the
    dashboards keep the previous figures until it commits."""
    _exclusive()
    last = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ComplaintDay.objects.all().delete()
    rows = 0
    for unit in Unit.objects.all():
        rows += complaints.store_days(unit, None)
    RollupState.objects.update_or_create(
        name="complaints", defaults={"watermark": last, "refreshed_at": timezone.now()}
    )
    return {
        "complaint_rows": rows,
        "backlog_rows": complaints.store_backlog(),
        "response_rows": line19.store_response(),
        "readiness_rows": line19.store_readiness(),
        "satisfaction_rows": line19.store_satisfaction(),
    }
