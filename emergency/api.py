"""REST endpoints of line 19 (calls, incidents, patrols), scoped to the caller's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from core.errors import PermissionDenied, ValidationFailed
from core.schemas import ERRORS, Instant, Latitude, Longitude, RowId
from emergency import metrics, selectors, services
from emergency.models import Assignment, Call, Incident, Patrol
from emergency.workflow import METRICS_ROLES
from org.selectors import StaffRequest

router = Router(tags=["line 19"])


class CallIn(Schema):
    caller_number: str = Field("", max_length=32)
    language: str = Field("ar", max_length=3, description="ar, zgh, fr, es or en")
    category: str = Field(..., max_length=50, examples=["violence_in_progress"])
    answers: dict[str, bool] = Field(default_factory=dict, examples=[{"armed": True, "injured": False}])
    description: str = Field("", max_length=2000)
    address: str = Field("", max_length=300)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    received_at: Instant | None = Field(
        None,
        description="When the call came in (default: now; not in the future, at most AMANE_CALL_MAX_AGE_HOURS old)",
    )


class StampsOut(Schema):
    """The moment of each state (ISO 8601), null until reached."""

    received_at: str | None
    triaged_at: str | None
    dispatched_at: str | None
    en_route_at: str | None
    on_scene_at: str | None
    resolved_at: str | None
    closed_at: str | None


class CallOut(StampsOut):
    id: int
    reference: str
    incident_id: int
    category: str
    priority: str
    state: str
    language: str
    answers: dict[str, bool]
    description: str
    address: str
    lat: float | None
    lon: float | None
    case_reference: str | None


class CallCreatedOut(CallOut):
    incident: dict[str, Any]


class IncidentCallOut(Schema):
    """A call of the incident as the board shows it (no personal data)."""

    id: int
    reference: str
    category: str
    priority: str
    state: str
    received_at: str | None


class ProposalOut(Schema):
    """Grouping proposes, the dispatcher decides: "probably the same as" this incident, and why."""

    incident_id: int
    reference: str
    distance_m: int
    minutes: int
    category: str
    category_name: dict[str, str]
    same_category: bool
    compatible: bool


class IncidentOut(StampsOut):
    id: int
    reference: str
    priority: str
    state: str
    category: str
    category_name: dict[str, str]
    lat: float | None
    lon: float | None
    address: str
    wilaya_id: int
    area_id: int | None
    district_id: int | None
    created_at: str | None
    last_call_at: str | None
    age_seconds: int | None
    call_count: int
    patrol_id: int | None
    patrol: str | None
    outcome: str
    case_reference: str | None
    open: bool
    calls: list[IncidentCallOut]
    proposal: ProposalOut | None
    merged_into: str | None
    acknowledged_at: str | None
    ack_due_at: str | None = Field(description="When the board alarms if the patrol has not acknowledged")
    requeued_at: str | None = Field(description="Sent back to the waiting list by a pre-emption")
    requeue_note: str
    target_seconds: int


class IncidentDetailOut(IncidentOut):
    description: str
    calls: list[CallOut]  # type: ignore[assignment]
    intervals: dict[str, float | None]


class PatrolOut(Schema):
    id: int
    call_sign: str
    kind: str
    status: str
    lat: float | None
    lon: float | None
    position_at: str | None
    status_at: str | None
    wilaya_id: int
    incident_id: int | None


class PatrolSuggestionOut(Schema):
    patrol: PatrolOut
    distance_m: float | None
    eta_seconds: int | None


class DispatchOptionOut(Schema):
    id: int
    call_sign: str
    kind: str
    status: str
    distance_m: float | None
    eta_seconds: int | None


class PreemptOptionOut(DispatchOptionOut):
    """A busy patrol that could be taken off its less urgent incident."""

    incident_id: int
    incident_reference: str
    incident_priority: str


class WarningOut(Schema):
    code: str = Field(..., examples=["eta_over_target"])
    message: str


class DispatchOptionsOut(Schema):
    incident: IncidentOut
    suggestions: list[DispatchOptionOut]
    others: list[DispatchOptionOut]
    preemptible: list[PreemptOptionOut]
    warnings: list[WarningOut]


class AlertOut(Schema):
    kind: str = Field(..., examples=["p1_waiting", "unacknowledged"])
    incident_id: int
    reference: str
    patrol: str | None = None
    since: str | None


class BoardOut(Schema):
    incidents: list[IncidentOut]
    patrols: list[PatrolOut]
    alerts: list[AlertOut]


class MergeIn(Schema):
    into_id: RowId


class PreemptIn(Schema):
    patrol_id: RowId
    reason: str = Field(..., max_length=300)


class CallerOut(Schema):
    call_id: int
    reference: str
    number: str


class NumberSearchIn(Schema):
    number: str = Field(..., max_length=32)


class DispatchIn(Schema):
    patrol_id: RowId
    override_reason: str = Field("", max_length=300)


class DispatchOut(Schema):
    incident: IncidentOut
    patrol: PatrolOut
    was_first_suggestion: bool
    distance_m: float | None
    eta_seconds: int | None


class ReportIn(Schema):
    status: str = Field(..., examples=["on_scene"])
    outcome: str = Field("", max_length=20)
    note: str = Field("", max_length=500)
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class PatrolStatusIn(Schema):
    status: str = Field(..., examples=["available"])
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class CloseCallIn(Schema):
    outcome: str = Field(..., examples=["duplicate"])


class ComplaintIn(Schema):
    caller_name: str = Field("", max_length=200)
    case_category: str = Field("", max_length=50, description="Complaint category (default: the call category's)")
    notify_consent: bool = Field(False, description="The caller agreed to receive SMS about the complaint's progress")


class ComplaintOut(Schema):
    case_reference: str
    call_reference: str


class CallFilters(Schema):
    state: str = ""
    incident_id: RowId | None = None
    limit: int = Field(100, ge=1, le=500)


class IncidentFilters(Schema):
    all: bool = Field(False, description="Include resolved, closed and cancelled incidents")
    limit: int = Field(200, ge=1, le=1000)


class PeriodFilters(Schema):
    since: Instant | None = None
    until: Instant | None = None


def _detail(incident: Incident) -> dict[str, Any]:
    calls = [selectors.call_snapshot(c) for c in incident.calls.select_related("category", "case").order_by("id")]
    stamps = {k: getattr(incident, k) for k in ("received_at", "dispatched_at", "en_route_at", "on_scene_at")}
    stamps["resolved_at"] = incident.resolved_at
    return {
        **selectors.incident_snapshot(incident),
        "description": incident.description,
        "calls": calls,
        "intervals": metrics.intervals(stamps),
    }


@router.post("/calls", response={201: CallCreatedOut, **ERRORS}, summary="Register a line-19 call (triage, grouping)")
def create_call(request: StaffRequest, payload: CallIn) -> Status:
    call = services.call_receive(
        actor=request.user,
        caller_number=payload.caller_number,
        language=payload.language,
        category=payload.category,
        answers=payload.answers,
        description=payload.description,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        received_at=payload.received_at,
    )
    call = Call.objects.select_related("category", "incident", "incident__category", "incident__patrol").get(pk=call.pk)
    return Status(201, {**selectors.call_snapshot(call), "incident": selectors.incident_snapshot(call.incident)})


@router.get("/calls", response=list[CallOut], summary="Calls of your jurisdiction, newest first")
def list_calls(request: StaffRequest, filters: Query[CallFilters]) -> list[dict[str, Any]]:
    qs = selectors.calls_visible(request.user).select_related("case").order_by("-received_at", "-id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.incident_id:
        qs = qs.filter(incident_id=filters.incident_id)
    return [selectors.call_snapshot(c) for c in qs[: filters.limit]]


@router.post("/calls/{call_id}/close", response={200: CallOut, **ERRORS}, summary="End a call without a patrol")
def close_call(request: StaffRequest, call_id: RowId, payload: CloseCallIn) -> Any:
    call = selectors.call_get(request.user, call_id)
    call = services.call_close_without_dispatch(call=call, actor=request.user, outcome=payload.outcome)
    return selectors.call_snapshot(Call.objects.select_related("category", "case").get(pk=call.pk))


@router.post(
    "/calls/{call_id}/complaint", response={201: ComplaintOut, **ERRORS}, summary="Open a complaint from a call"
)
def open_complaint(request: StaffRequest, call_id: RowId, payload: ComplaintIn) -> Status:
    call = selectors.call_get(request.user, call_id)
    case = services.call_open_complaint(
        call=call,
        actor=request.user,
        caller_name=payload.caller_name,
        case_category=payload.case_category,
        notify_consent=payload.notify_consent,
    )
    return Status(201, {"case_reference": case.reference, "call_reference": call.reference})


@router.get("/incidents", response=list[IncidentOut], summary="Open incidents by priority and age")
def list_incidents(request: StaffRequest, filters: Query[IncidentFilters]) -> list[dict[str, Any]]:
    if filters.all:
        qs = selectors.incidents_visible(request.user).select_related("case").order_by("-received_at")
    else:
        qs = selectors.open_incidents(request.user).select_related("case")
    return [selectors.incident_snapshot(i) for i in qs[: filters.limit]]


@router.get("/incidents/{incident_id}", response={200: IncidentDetailOut, **ERRORS}, summary="One incident")
def get_incident(request: StaffRequest, incident_id: RowId) -> Any:
    return _detail(selectors.incident_get(request.user, incident_id))


@router.get(
    "/incidents/{incident_id}/suggestions",
    response={200: list[PatrolSuggestionOut], **ERRORS},
    summary="Nearest available patrols with their estimated arrival",
)
def incident_suggestions(request: StaffRequest, incident_id: RowId) -> list[dict[str, Any]]:
    incident = selectors.incident_get(request.user, incident_id)
    return [
        {"patrol": selectors.patrol_snapshot(s.patrol), "distance_m": s.distance_m, "eta_seconds": s.eta_seconds}
        for s in services.dispatch_suggestions(incident=incident)
    ]


@router.get(
    "/incidents/{incident_id}/dispatch-options",
    response={200: DispatchOptionsOut, **ERRORS},
    summary="The board's dispatch panel: suggested patrols (nearest first), then the other available ones",
)
def dispatch_options(request: StaffRequest, incident_id: RowId) -> dict[str, Any]:
    incident = selectors.incident_get(request.user, incident_id)
    suggestions = services.dispatch_suggestions(incident=incident)
    others = selectors.dispatch_alternatives(request.user, incident, exclude=[s.patrol.pk for s in suggestions])
    preemptible = services.preemption_options(incident=incident) if incident.state == "triaged" else []
    return {
        "incident": selectors.incident_snapshot(incident),
        "suggestions": [_option(s.patrol, s.distance_m, s.eta_seconds) for s in suggestions],
        "others": [_option(p) for p in others],
        "preemptible": [
            {
                **_option(o.patrol, o.distance_m, o.eta_seconds),
                "incident_id": o.incident.pk,
                "incident_reference": o.incident.reference,
                "incident_priority": o.incident.priority,
            }
            for o in preemptible
        ],
        "warnings": services.dispatch_warnings(incident=incident, suggestions=suggestions),
    }


def _option(patrol: Patrol, distance_m: float | None = None, eta_seconds: int | None = None) -> dict[str, Any]:
    return {
        "id": patrol.pk,
        "call_sign": patrol.call_sign,
        "kind": patrol.kind,
        "status": patrol.status,
        "distance_m": distance_m,
        "eta_seconds": eta_seconds,
    }


@router.post(
    "/incidents/{incident_id}/dispatch", response={200: DispatchOut, **ERRORS}, summary="Send (or reassign) a patrol"
)
def dispatch(request: StaffRequest, incident_id: RowId, payload: DispatchIn) -> dict[str, Any]:
    incident = selectors.incident_get(request.user, incident_id)
    patrol = _visible_patrol(request, payload.patrol_id)
    assignment = services.incident_dispatch(
        incident=incident, patrol=patrol, actor=request.user, override_reason=payload.override_reason
    )
    return _dispatch_out(selectors.incident_get(request.user, incident_id), assignment)


@router.post(
    "/incidents/{incident_id}/preempt",
    response={200: DispatchOut, **ERRORS},
    summary="Take a patrol off a less urgent incident (with a reason) and send it here",
)
def preempt(request: StaffRequest, incident_id: RowId, payload: PreemptIn) -> dict[str, Any]:
    incident = selectors.incident_get(request.user, incident_id)
    patrol = _visible_patrol(request, payload.patrol_id)
    services.incident_preempt(incident=incident, patrol=patrol, actor=request.user, reason=payload.reason)
    incident = selectors.incident_get(request.user, incident_id)
    return _dispatch_out(incident, incident.assignments.get(active=True))


def _visible_patrol(request: StaffRequest, patrol_id: int) -> Patrol:
    """The patrol a dispatch names, among those the dispatcher sees."""
    patrol = selectors.patrols_visible(request.user).filter(pk=patrol_id).first()
    if patrol is None:
        raise ValidationFailed(_("Unknown patrol."), fields={"patrol_id": _("Unknown patrol.")})
    return patrol


def _dispatch_out(incident: Incident, assignment: Assignment) -> dict[str, Any]:
    """The answer to a dispatch: the incident as it now stands and the patrol sent with its estimates."""
    return {
        "incident": selectors.incident_snapshot(incident),
        "patrol": selectors.patrol_snapshot(assignment.patrol),
        "was_first_suggestion": assignment.was_first_suggestion,
        "distance_m": assignment.distance_m,
        "eta_seconds": assignment.eta_seconds,
    }


@router.post(
    "/incidents/{incident_id}/merge",
    response={200: IncidentOut, **ERRORS},
    summary="Confirm the same event: this incident's calls join another one",
)
def merge(request: StaffRequest, incident_id: RowId, payload: MergeIn) -> Any:
    incident = selectors.incident_get(request.user, incident_id)
    into = selectors.incidents_visible(request.user).filter(pk=payload.into_id).first()
    if into is None:
        raise ValidationFailed(_("No such incident."), fields={"into_id": _("Unknown incident.")})
    into = services.incident_merge(incident=incident, into=into, actor=request.user)
    return selectors.incident_snapshot(selectors.incident_get(request.user, into.pk))


@router.post(
    "/incidents/{incident_id}/keep-apart",
    response={200: IncidentOut, **ERRORS},
    summary="Refuse the grouping proposal: another event",
)
def keep_apart(request: StaffRequest, incident_id: RowId) -> Any:
    incident = selectors.incident_get(request.user, incident_id)
    services.incident_keep_apart(incident=incident, actor=request.user)
    return selectors.incident_snapshot(selectors.incident_get(request.user, incident_id))


@router.post(
    "/calls/{call_id}/split",
    response={200: IncidentOut, **ERRORS},
    summary="Take a call out of its incident into a new waiting one",
)
def split_call(request: StaffRequest, call_id: RowId) -> Any:
    call = selectors.call_get(request.user, call_id)
    new = services.call_split(call=call, actor=request.user)
    return selectors.incident_snapshot(selectors.incident_get(request.user, new.pk))


@router.post(
    "/incidents/{incident_id}/callers",
    response={200: list[CallerOut], **ERRORS},
    summary="Call-back numbers of the incident's callers (command room only; the read is audited)",
)
def callers(request: StaffRequest, incident_id: RowId) -> list[dict[str, Any]]:
    incident = selectors.incident_get(request.user, incident_id)
    found = services.incident_callers(incident=incident, actor=request.user)
    return [{"call_id": c.call_id, "reference": c.reference, "number": c.number} for c in found]


@router.post(
    "/calls/search",
    response={200: list[CallOut], **ERRORS},
    summary="Calls of your command room from a call-back number (POST: the number stays out of URLs)",
)
def search_calls(request: StaffRequest, payload: NumberSearchIn) -> list[dict[str, Any]]:
    found = services.calls_find_by_number(number=payload.number, actor=request.user)
    return [selectors.call_snapshot(c) for c in found]


@router.post(
    "/incidents/{incident_id}/report",
    response={200: IncidentOut, **ERRORS},
    summary="A patrol reports en route, on scene or resolved",
)
def report(request: StaffRequest, incident_id: RowId, payload: ReportIn) -> Any:
    incident = selectors.incident_get(request.user, incident_id)
    reported = services.patrol_report(
        actor=request.user,
        incident=incident,
        status=payload.status,
        outcome=payload.outcome,
        note=payload.note,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    # The answer is the incident as the report left it: a patrol that just resolved its mission no
    # longer reaches it through the selectors, but is told the state it reported.
    return selectors.incident_snapshot(reported)


@router.post("/incidents/{incident_id}/close", response={200: IncidentOut, **ERRORS}, summary="Close an incident")
def close_incident(request: StaffRequest, incident_id: RowId) -> Any:
    incident = selectors.incident_get(request.user, incident_id)
    services.incident_close(incident=incident, actor=request.user)
    return selectors.incident_snapshot(selectors.incident_get(request.user, incident_id))


@router.get("/board", response={200: BoardOut, **ERRORS}, summary="The live board: open incidents and patrols")
def board(request: StaffRequest) -> Any:
    return selectors.board_state(request.user)


@router.post(
    "/patrols/me/status",
    response={200: PatrolOut, **ERRORS},
    summary="The patrol officer signs their patrol on (available) or off duty",
)
def my_patrol_status(request: StaffRequest, payload: PatrolStatusIn) -> dict[str, Any]:
    mine = selectors.patrol_for_user(request.user)
    if mine is None:
        raise PermissionDenied(_("You are not on duty with a patrol."))
    patrol = services.patrol_set_status(
        patrol=mine, actor=request.user, status=payload.status, latitude=payload.latitude, longitude=payload.longitude
    )
    return selectors.patrol_snapshot(patrol)


@router.get("/patrols", response=list[PatrolOut], summary="Patrols of your jurisdiction")
def list_patrols(request: StaffRequest) -> list[dict[str, Any]]:
    return [selectors.patrol_snapshot(p) for p in selectors.patrols_visible(request.user)]


@router.get(
    "/metrics/response-times", response={200: dict[str, Any], **ERRORS}, summary="Response times per area and priority"
)
def response_times(request: StaffRequest, period: Query[PeriodFilters]) -> Any:
    _require_metrics(request)
    return metrics.response_times(request.user, since=period.since, until=period.until)


@router.get(
    "/metrics/readiness", response={200: dict[str, Any], **ERRORS}, summary="Patrols on duty against the roster"
)
def readiness(request: StaffRequest, period: Query[PeriodFilters]) -> Any:
    _require_metrics(request)
    return metrics.readiness(request.user, since=period.since, until=period.until)


def _require_metrics(request: StaffRequest) -> None:
    if not request.user.has_role(*METRICS_ROLES):
        raise PermissionDenied(_("Your role does not give access to this page."))
