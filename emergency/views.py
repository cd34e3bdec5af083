"""Pages of line 19: the dispatcher's live board, the patrol's phone page, the response-time panel,
and the server-sent-events stream that keeps them current.

Views stay thin: they parse, call one selector or service of `emergency`, and render. The board's
small actions (take a call, load the dispatch choices, dispatch) go to the JSON API of
`emergency/api.py` from `static/js/board.js`; the result of a success reaches every open board
through the stream, this one included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, NotFound, PermissionDenied
from core.http import page_errors, role_required
from emergency import choices, conf, metrics, selectors, services
from emergency.workflow import BOARD_ROLES, DISPATCH_ROLES, METRICS_ROLES, PATROL_ROLES
from live.events import Event
from live.stream import Grant, open_stream

TOPICS = ("incident", "patrol")


def _labels() -> dict[str, Any]:
    """Every word the board's script shows, translated here (the script holds no text)."""
    return {
        "priority": {p.value: str(p.label) for p in choices.Priority},
        "state": {s.value: str(s.label) for s in choices.IncidentState},
        "patrol_status": {s.value: str(s.label) for s in choices.PatrolStatus},
        "patrol_kind": {k.value: str(k.label) for k in choices.PatrolKind},
        "text": {
            "dispatch": str(_("Dispatch")),
            "reassign": str(_("Reassign")),
            "calls": str(_("calls")),
            "no_patrol": str(_("No patrol available on duty in this wilaya.")),
            "suggested": str(_("Suggested patrols, nearest first")),
            "other": str(_("Another available patrol")),
            "override_reason": str(_("Reason for not taking the first suggestion")),
            "override_needed": str(_("Give the reason for choosing another patrol than the first suggestion.")),
            "confirm": str(_("Confirm the dispatch")),
            "km": str(_("km")),
            "minutes": str(_("min")),
            "eta": str(_("ETA")),
            "new_p1": str(_("New P1 incident")),
            "dispatched": str(_("Patrol dispatched")),
            "call_taken": str(_("Call registered")),
            "connected": str(_("Live")),
            "reconnecting": str(_("Reconnecting…")),
            "unknown_place": str(_("Place not given")),
            "close": str(_("Close")),
            "yes": str(_("Yes")),
            "no": str(_("No")),
            "unknown": str(_("Not asked")),
            "probably_same": str(_("Probably the same as")),
            "metres": str(_("m")),
            "apart": str(_("min apart")),
            "merge": str(_("Same event: merge")),
            "merge_into": str(_("Merge into another incident")),
            "keep_apart": str(_("Keep apart")),
            "call_refs": str(_("Calls")),
            "split": str(_("Split off")),
            "callers": str(_("Call-back numbers")),
            "back_on_list": str(_("Back on the waiting list")),
            "acknowledged": str(_("Acknowledged")),
            "not_acknowledged": str(_("Not acknowledged")),
            "alarm_ack": str(_("Assignment not acknowledged")),
            "alarm_p1": str(_("P1 waiting for a patrol")),
            "preemptible": str(_("Busy on a less urgent incident (take it off)")),
            "preempt_reason_needed": str(_("Give the reason for taking the patrol off its mission.")),
            "preempted": str(_("Patrol taken off its mission and dispatched")),
            "no_match": str(_("No incident matches.")),
        },
    }


def _categories() -> list[dict[str, Any]]:
    lang = (get_language() or "ar")[:2]
    out = []
    for c in selectors.active_call_categories():
        out.append(
            {
                "code": c.code,
                "name": c.name,
                "priority": c.base_priority,
                "questions": [
                    {
                        "code": q["code"],
                        "text": q.get(lang) or q.get("ar", q["code"]),
                        "yes": int(q.get("yes", 0)),
                        "no": int(q.get("no", 0)),
                    }
                    for q in c.questions or []
                ],
            }
        )
    return out


def _map_center(request: HttpRequest) -> str:
    unit = request.user.unit
    if unit is not None and unit.latitude is not None:
        return f"{unit.latitude:.5f},{unit.longitude:.5f}"
    return "31.8,-7.1"


# ---------------------------------------------------------------- the dispatcher's board


@login_required
@page_errors
@role_required(*BOARD_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Open incidents by priority then age, the map, the call form; kept live by the stream."""
    user = request.user
    context = {
        "board_data": {**selectors.board_state(user), "lang": (get_language() or "ar")[:2]},
        "labels": _labels(),
        "categories": _categories(),
        "call_languages": choices.CallLanguage.choices,
        "priorities": choices.Priority.choices,
        "can_dispatch": user.has_role(*DISPATCH_ROLES),
        "map_tiles": settings.MAP_TILE_URL,
        "map_center": _map_center(request),
        "ack_seconds": conf.ack_seconds(),
    }
    return render(request, "emergency/board.html", context)


# ---------------------------------------------------------------- the stream


def stream_grant(user: Any) -> Grant | HttpResponse:
    """What `user` may receive on the stream: the incidents and patrols of the wilayas they may see,
    or, for a patrol officer, their own patrol and its missions. Asked at connect and at every
    re-check (`live.stream`): a change of role, unit or duty ends an open stream."""
    if user.has_role(*BOARD_ROLES):
        return Grant(topics=frozenset(TOPICS), wilaya_ids=_frozen(selectors.emergency_wilaya_ids(user)))
    if user.has_role(*PATROL_ROLES):
        patrol = selectors.patrol_for_user(user)
        if patrol is None:
            return HttpResponse(str(_("You are not on duty with a patrol.")), status=403, content_type="text/plain")
        patrol_id = patrol.pk

        def accept(event: Event) -> bool:  # only its own patrol and its own missions
            key = "id" if event.topic == "patrol" else "patrol_id"
            return event.data.get(key) == patrol_id

        return Grant(topics=frozenset(TOPICS), wilaya_ids=frozenset({patrol.wilaya_id}), accept=accept, key=patrol_id)
    return HttpResponse(str(_("Your role does not give access to this page.")), status=403)


def _frozen(ids: Iterable[int] | None) -> frozenset[int] | None:
    return None if ids is None else frozenset(ids)


@login_required
@require_GET
def stream(request: HttpRequest) -> HttpResponseBase:
    """Server-sent events of the incidents and patrols the user may see (`stream_grant`), re-checked
    while open; served on the event loop by the ASGI server (see `live.stream`)."""
    return open_stream(request, stream_grant)


# ---------------------------------------------------------------- the patrol's phone page


def _mission_context(request: HttpRequest) -> dict[str, Any]:
    patrol = selectors.patrol_for_user(request.user)
    incident = None
    if patrol is not None and patrol.current_incident_id:
        incident = selectors.incidents_visible(request.user).filter(pk=patrol.current_incident_id).first()
    acknowledged = incident is not None and incident.acknowledged_at is not None
    next_step = {
        # First the patrol acknowledges the assignment (the board's alarm stops), then it leaves.
        choices.IncidentState.DISPATCHED: ("en_route", _("En route"))
        if acknowledged
        else ("acknowledged", _("Acknowledge the mission")),
        choices.IncidentState.EN_ROUTE: ("on_scene", _("On scene")),
        choices.IncidentState.ON_SCENE: ("resolved", _("Resolved")),
    }.get(incident.state if incident else "")
    return {
        "patrol": patrol,
        "incident": incident,
        "acknowledged": acknowledged and incident is not None and incident.state == choices.IncidentState.DISPATCHED,
        "next_step": next_step,
        "outcomes": choices.InterventionOutcome.choices,
    }


@login_required
@page_errors
@role_required(*PATROL_ROLES)
@require_GET
def patrol(request: HttpRequest) -> HttpResponse:
    """The current mission of the patrol the officer is on duty with, big buttons, kept live."""
    template = "emergency/_mission.html" if request.GET.get("fragment") else "emergency/patrol.html"
    return render(request, template, _mission_context(request))


def _mission_answer(request: HttpRequest, act: Callable[[], object]) -> HttpResponse:
    """Run the patrol's act; answer with the mission card (htmx) or the page, a refusal on the card
    with its 4xx status (nothing was written)."""
    template = "emergency/_mission.html" if request.headers.get("HX-Request") else "emergency/patrol.html"
    try:
        act()
    except NotFound:
        raise
    except DomainError as exc:
        return render(request, template, {**_mission_context(request), "error": exc}, status=exc.status)
    if request.headers.get("HX-Request"):
        return render(request, template, _mission_context(request))
    return redirect("emergency:patrol")


@login_required
@page_errors
@role_required(*PATROL_ROLES)
@require_POST
def patrol_report(request: HttpRequest) -> HttpResponse:
    """The patrol reports en route, on scene or resolved (with an outcome) on its mission (the page
    without JavaScript; the script uses the API)."""
    raw = (request.POST.get("incident") or "").strip()
    if not raw.isdigit():
        raise NotFound(_("No such incident."))
    incident = selectors.incident_get(request.user, int(raw))
    return _mission_answer(
        request,
        lambda: services.patrol_report(
            actor=request.user,
            incident=incident,
            status=request.POST.get("status", ""),
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        ),
    )


@login_required
@page_errors
@role_required(*PATROL_ROLES)
@require_POST
def patrol_status(request: HttpRequest) -> HttpResponse:
    """The patrol signs on (available, during its shift) or off duty, between missions."""
    mine = selectors.patrol_for_user(request.user)
    if mine is None:
        raise PermissionDenied(_("You are not on duty with a patrol."))
    return _mission_answer(
        request,
        lambda: services.patrol_set_status(patrol=mine, actor=request.user, status=request.POST.get("status", "")),
    )


# ---------------------------------------------------------------- the response-time panel


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = round(seconds)
    h, m, sec = s // 3600, (s % 3600) // 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _row(block: dict[str, Any]) -> dict[str, Any]:
    response = block.get("response", {})
    return {
        "incidents": block.get("incidents", 0),
        "response_median": _duration(response.get("median_s")),
        "response_p90": _duration(response.get("p90_s")),
        "target": _duration(response.get("target_s")),
        "share": _share(response.get("under_target_share")),
        "share_low": (response.get("under_target_share") or 1) < 0.9,
        "intervals": [_duration(block.get(name, {}).get("median_s")) for name in metrics.INTERVALS],
    }


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%d/%m %H:%M")


def _panel_context(request: HttpRequest) -> dict[str, Any]:
    """The metrics of `emergency.metrics`, formatted for the tables (durations m:ss, shares %)."""
    times = metrics.response_times(request.user)
    ready = metrics.readiness(request.user)
    by_priority = [{"priority": b["priority"], **_row(b)} for b in times["by_priority"]]
    by_area = [
        {"area": a["area_name"] or _("Area not known"), "priority": p["priority"], **_row(p)}
        for a in times["by_area"]
        for p in a["by_priority"]
    ]
    shifts = [
        {
            "starts": _when(s["starts_at"]),
            "ends": _when(s["ends_at"]),
            "unit": s["unit_name"],
            "planned": s["planned"],
            "on_duty": s["on_duty"],
            "share": _share(s["share"]),
        }
        for s in ready["shifts"]
    ]
    labels = {
        "call_processing": _("Call processing"),
        "turnout": _("Turnout"),
        "travel": _("Travel"),
        "response": _("Response"),
        "committed": _("Committed"),
    }
    return {
        "by_priority": by_priority,
        "by_area": by_area,
        "shifts": shifts,
        "now": {**ready["now"], "share_text": _share(ready["now"]["share"])},
        "interval_labels": [labels.get(name, name) for name in metrics.INTERVALS],
        "since": _when(times.get("since")),
        "until": _when(times.get("until")),
        "status_labels": {s.value: s.label for s in choices.PatrolStatus},
    }


@login_required
@page_errors
@role_required(*METRICS_ROLES)
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    """Response times per area and per priority (median, p90, share under target), readiness per shift."""
    template = "emergency/_panel.html" if request.GET.get("fragment") else "emergency/panel.html"
    return render(request, template, _panel_context(request))
