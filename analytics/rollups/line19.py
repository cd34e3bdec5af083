"""Line-19 rollups: response intervals per unit × day × priority, readiness per unit × day, and the
citizens' survey answers per unit × day × category.

Incidents, shifts and survey answers change in the hours after they happen, so these slices are
recomputed over a recent window (`refresh`) rather than followed event by event; the rebuild covers
all time. The interval arithmetic is `emergency.metrics.intervals`, the targets `emergency.conf`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from analytics.models import ReadinessDay, ResponseDay, SatisfactionDay
from analytics.rollups.days import day_start, local_day
from emergency import conf as emergency_conf
from emergency.metrics import intervals
from emergency.models import Incident, RosterShift
from org.models import Unit
from portal.models import Safer, SurveyResponse

# Upper edges (seconds) of the response-time histogram; the last band is open.
RESPONSE_BANDS = (60, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600)
SUMMED = ("call_processing", "turnout", "travel", "response")


def band(seconds: float) -> int:
    return bisect_left(RESPONSE_BANDS, seconds)


def _paths() -> dict[int, str]:
    return dict(Unit.objects.values_list("pk", "path"))


def _window(since: datetime | None, until: datetime | None) -> tuple[datetime | None, datetime | None, dict[str, Any]]:
    """Whole days only: the bounds moved to midnight, and the filter of the rows they replace."""
    days: dict[str, Any] = {}
    if since is not None:
        days["day__gte"] = local_day(since)
        since = day_start(days["day__gte"])
    if until is not None:
        days["day__lt"] = local_day(until)
        until = day_start(days["day__lt"])
    return since, until, days


def compute_response(since: datetime | None, until: datetime | None) -> dict[tuple[int, date, str], dict[str, Any]]:
    """ResponseDay values of the incidents received in [since, until) that got a patrol."""
    qs = Incident.objects.filter(dispatched_at__isnull=False)
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    targets = emergency_conf.response_targets_minutes()
    rows: dict[tuple[int, date, str], dict[str, Any]] = {}
    rows_in: Any = qs.values(
        "district_id", "area_id", "wilaya_id", "priority", "received_at", "dispatched_at", "en_route_at", "on_scene_at"
    )
    for inc in rows_in.iterator(chunk_size=5000):
        unit_id = inc["district_id"] or inc["area_id"] or inc["wilaya_id"]
        key = (unit_id, timezone.localtime(inc["received_at"]).date(), inc["priority"])
        r = rows.get(key)
        if r is None:
            r = rows[key] = defaultdict(int)
            r["response_hist"] = [0] * (len(RESPONSE_BANDS) + 1)
        r["incidents"] += 1
        for name, value in intervals(inc).items():
            if name in SUMMED and value is not None:
                r[f"{name}_n"] += 1
                r[f"{name}_s"] += int(value)
        response = intervals(inc)["response"]
        if response is not None:
            r["response_hist"][band(response)] += 1
            r["under_target"] += response <= targets.get(inc["priority"], 0) * 60
    return rows


@transaction.atomic
def store_response(since: datetime | None = None, until: datetime | None = None) -> int:
    since, until, days = _window(since, until)
    rows = compute_response(since, until)
    ResponseDay.objects.filter(**days).delete()
    paths = _paths()
    ResponseDay.objects.bulk_create(
        ResponseDay(unit_id=u, unit_path=paths[u], day=d, priority=p, **dict(v)) for (u, d, p), v in rows.items()
    )
    return len(rows)


@transaction.atomic
def store_readiness(since: datetime | None = None, until: datetime | None = None) -> int:
    since, until, days = _window(since, until)
    qs = RosterShift.objects.all()
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    rows: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for s in qs.values("unit_id", "starts_at", "signed_on_at").iterator(chunk_size=5000):
        r = rows[(s["unit_id"], local_day(s["starts_at"]))]  # type: ignore[index]
        r[0] += 1
        r[1] += s["signed_on_at"] is not None
    ReadinessDay.objects.filter(**days).delete()
    paths = _paths()
    ReadinessDay.objects.bulk_create(
        ReadinessDay(unit_id=u, unit_path=paths[u], day=d, planned=p, signed_on=s) for (u, d), (p, s) in rows.items()
    )
    return len(rows)


@transaction.atomic
def store_satisfaction(since: datetime | None = None, until: datetime | None = None) -> int:
    since, until, days = _window(since, until)
    qs = SurveyResponse.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    rows: dict[tuple[int, date, int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in qs.values(
        "case__assigned_unit_id", "case__category_id", "case__sensitivity", "created_at", "rating", "feels_safer"
    ).iterator(chunk_size=5000):
        key = (a["case__assigned_unit_id"], local_day(a["created_at"]), a["case__category_id"], a["case__sensitivity"])
        r = rows[key]  # type: ignore[index]
        r["answers"] += 1
        r["rating_sum"] += a["rating"]
        r["satisfied"] += a["rating"] >= 4
        r["safer_yes"] += a["feels_safer"] == Safer.YES
        r["safer_no"] += a["feels_safer"] == Safer.NO
    SatisfactionDay.objects.filter(**days).delete()
    paths = _paths()
    SatisfactionDay.objects.bulk_create(
        SatisfactionDay(unit_id=u, unit_path=paths[u], day=d, category_id=c, sensitivity=s, **v)
        for (u, d, c, s), v in rows.items()
    )
    return len(rows)
