"""Response times and readiness of line 19.

The pure functions (`intervals`, `percentile`, `summarize`, `response_table`, `readiness_table`)
take plain values and return plain dicts, so they are tested on known numbers; the two functions at
the end read the user's jurisdiction and feed them.

Intervals (seconds), the standard ones of emergency services:
- call processing: received → dispatched
- turnout: dispatched → en route
- travel: en route → on scene
- response: received → on scene (the one judged against the priority's target)
- committed: dispatched → cleared (resolved)
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from emergency import conf
from emergency.choices import IncidentState, PatrolStatus, Priority
from emergency.models import RosterShift
from emergency.selectors import incidents_visible, patrols_visible
from org import access
from org.models import User

INTERVALS: dict[str, tuple[str, str]] = {
    "call_processing": ("received_at", "dispatched_at"),
    "turnout": ("dispatched_at", "en_route_at"),
    "travel": ("en_route_at", "on_scene_at"),
    "response": ("received_at", "on_scene_at"),
    "committed": ("dispatched_at", "resolved_at"),
}


def intervals(stamps: Mapping[str, datetime | None]) -> dict[str, float | None]:
    """Each standard interval in seconds, None when one of its ends is missing (or reversed)."""
    out: dict[str, float | None] = {}
    for name, (start, end) in INTERVALS.items():
        a, b = stamps.get(start), stamps.get(end)
        out[name] = (b - a).total_seconds() if a is not None and b is not None and b >= a else None
    return out


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) by linear interpolation between closest ranks (numpy's default)."""
    data = sorted(values)
    if not data:
        return None
    rank = (len(data) - 1) * p / 100
    lo, hi = math.floor(rank), math.ceil(rank)
    return data[lo] + (data[hi] - data[lo]) * (rank - lo)


def summarize(values: Iterable[float], target_seconds: float | None = None) -> dict[str, Any]:
    """count, median, p90 (seconds) and the share of values at or under the target (0..1)."""
    data = [float(v) for v in values if v is not None]
    out: dict[str, Any] = {
        "count": len(data),
        "median_s": statistics.median(data) if data else None,
        "p90_s": percentile(data, 90),
    }
    if target_seconds is not None:
        out["target_s"] = target_seconds
        out["under_target_share"] = (sum(1 for v in data if v <= target_seconds) / len(data)) if data else None
    return out


def response_table(rows: Iterable[Mapping[str, Any]], targets_minutes: Mapping[str, float]) -> dict[str, Any]:
    """Aggregate incidents per priority, per area and per area × priority.

    Each row has "priority", "area_id", "area_name" and the timestamps. The response interval is
    judged against its priority's target; the other intervals get count, median and p90.
    """
    groups: dict[tuple[str, Any], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    names: dict[Any, str] = {}
    for row in rows:
        values = intervals(row)
        area = row.get("area_id")
        names[area] = row.get("area_name") or ""
        for key in (("priority", row["priority"]), ("area", area), ("area_priority", (area, row["priority"]))):
            for name, v in values.items():
                if v is not None:
                    groups[key][name].append(v)
            groups[key]["_incidents"].append(1)

    def block(key: tuple[str, Any], priority: str | None) -> dict[str, Any]:
        data = groups.get(key, {})
        target = targets_minutes[priority] * 60 if priority is not None and priority in targets_minutes else None
        out: dict[str, Any] = {"incidents": len(data.get("_incidents", []))}
        for name in INTERVALS:
            out[name] = summarize(data.get(name, []), target if name == "response" else None)
        return out

    priorities = [str(p) for p in Priority.values]
    areas = sorted({k[1] for k in groups if k[0] == "area"}, key=lambda a: (a is None, names.get(a, "")))
    return {
        "targets_minutes": dict(targets_minutes),
        "by_priority": [{"priority": p, **block(("priority", p), p)} for p in priorities],
        "by_area": [
            {
                "area_id": a,
                "area_name": names.get(a, ""),
                **block(("area", a), None),
                "by_priority": [
                    {"priority": p, **block(("area_priority", (a, p)), p)}
                    for p in priorities
                    if ("area_priority", (a, p)) in groups
                ],
            }
            for a in areas
        ],
    }


def readiness_table(shifts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per shift (start, end, unit): patrols planned on the roster, those that took the duty, share.

    Each row has "starts_at", "ends_at", "unit_id", "unit_name" and "signed_on" (bool).
    """
    grouped: dict[tuple, list[bool]] = defaultdict(list)
    names: dict[Any, str] = {}
    for s in shifts:
        key = (s["starts_at"], s["ends_at"], s.get("unit_id"))
        names[s.get("unit_id")] = s.get("unit_name", "")
        grouped[key].append(bool(s["signed_on"]))
    out = []
    for (start, end, unit_id), flags in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][2] or 0)):
        on = sum(flags)
        out.append(
            {
                "starts_at": start.isoformat() if isinstance(start, datetime) else start,
                "ends_at": end.isoformat() if isinstance(end, datetime) else end,
                "unit_id": unit_id,
                "unit_name": names.get(unit_id, ""),
                "planned": len(flags),
                "on_duty": on,
                "share": on / len(flags) if flags else None,
            }
        )
    return out


# ---------------------------------------------------------------- scoped reads


def response_times(user: User, *, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """The command-room panel: response times of the incidents of the user's jurisdiction."""
    until = until or timezone.now()
    since = since or until - timedelta(days=30)
    qs = (
        incidents_visible(user, access.LINE19_METRICS)
        .filter(received_at__gte=since, received_at__lt=until, dispatched_at__isnull=False)
        .exclude(state=IncidentState.MERGED)  # its calls are counted with the incident they joined
        .values(
            "priority",
            "area_id",
            "area__name_ar",
            "area__name_fr",
            "area__name_en",
            "received_at",
            "dispatched_at",
            "en_route_at",
            "on_scene_at",
            "resolved_at",
        )
    )

    language = (get_language() or "ar")[:2]
    rows = [{**r, "area_name": _name(r, "area__", language)} for r in qs]
    table = response_table(rows, conf.response_targets_minutes())
    table["since"], table["until"] = since.isoformat(), until.isoformat()
    return table


def _name(row: Mapping[str, Any], prefix: str, language: str) -> str:
    """A unit's name from a values() row, in the page's language (as `Unit.name_in`)."""
    if language == "ar":
        return row[f"{prefix}name_ar"]
    if language == "en" and row[f"{prefix}name_en"]:
        return row[f"{prefix}name_en"]
    return row[f"{prefix}name_fr"]


def readiness(user: User, *, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """Readiness per shift (patrols that took the duty against the roster) and right now."""
    now = timezone.now()
    until = until or now + timedelta(hours=12)
    since = since or now - timedelta(hours=24)
    patrols = patrols_visible(user, access.LINE19_METRICS)
    shifts = (
        RosterShift.objects.filter(patrol__in=patrols, starts_at__lt=until, ends_at__gt=since)
        .select_related("unit")
        .values(
            "starts_at",
            "ends_at",
            "unit_id",
            "unit__name_ar",
            "unit__name_fr",
            "unit__name_en",
            "signed_on_at",
            "patrol__status",
        )
    )

    language = (get_language() or "ar")[:2]
    rows, planned_now, on_duty_now = [], 0, 0
    for s in shifts:
        rows.append(
            {
                "starts_at": s["starts_at"],
                "ends_at": s["ends_at"],
                "unit_id": s["unit_id"],
                "unit_name": _name(s, "unit__", language),
                "signed_on": s["signed_on_at"] is not None,
            }
        )
        if s["starts_at"] <= now < s["ends_at"]:
            planned_now += 1
            on_duty_now += s["patrol__status"] != PatrolStatus.OFF_DUTY
    by_status: dict[str, int] = defaultdict(int)
    for status in patrols.values_list("status", flat=True):
        by_status[status] += 1
    return {
        "now": {
            "planned": planned_now,
            "on_duty": on_duty_now,
            "share": on_duty_now / planned_now if planned_now else None,
            "by_status": {s: by_status.get(s, 0) for s in PatrolStatus.values},
        },
        "shifts": readiness_table(rows),
        "since": since.isoformat(),
        "until": until.isoformat(),
    }
