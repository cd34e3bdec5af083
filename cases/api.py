"""REST endpoints for complaints, always scoped to the caller's jurisdiction."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from cases import selectors, services
from cases.choices import State
from cases.models import Case, CaseEvent, Category, Offence
from cases.paging import COUNT_CAP, Cursor, capped_count, keyset_page
from cases.routing import route_propose
from cases.workflow import offered
from core.errors import PermissionDenied, ValidationFailed
from core.geo import validate_point
from core.schemas import ERRORS, ErrorOut, Language, Latitude, Longitude, Page, RowId
from org import access
from org.models import Unit, User
from org.selectors import StaffRequest

router = Router(tags=["complaints"])


class CategoryOut(Schema):
    code: str
    name: str
    first_action_hours: int
    closure_days: int
    prosecutor_mandatory: bool
    default_priority: str
    allows_anonymous: bool
    procedure: str


class CaseIn(Schema):
    channel: str = Field(..., examples=["counter"])
    category: str = Field(..., examples=["theft"])
    description: str = Field(..., max_length=5000)
    anonymous: bool = False
    full_name: str = Field("", max_length=200)
    cnie: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    notify_consent: bool = Field(False, description="The complainant agrees to SMS or e-mail about progress")
    language: Language = "ar"
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=100, description="Gazetteer code or name of the city, to place the address")
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    priority: str = ""
    assigned_unit: str | None = Field(None, description="Unit code; overrides the proposed routing")
    routing_reason: str = Field("", max_length=300)
    external_reference: str = Field("", max_length=64)


class CaseOut(Schema):
    reference: str
    state: str
    state_label: str
    channel: str
    category: str
    category_name: str
    priority: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    assigned_unit: str
    assigned_unit_name: str
    assigned_officer: str | None
    created_at: datetime
    state_due_at: datetime | None
    closure_due_at: datetime | None
    overdue: bool
    outcome: str
    offence: str
    offence_name: str
    closing_report: str
    prosecutor_office: str
    prosecutor_reference: str
    version: int
    allowed_transitions: list[str]


class CaseCreatedOut(CaseOut):
    tracking_code: str


class CasePage(Schema):
    count: int = Field(..., description="Exact when count_exact; otherwise more than 10,000 (counted up to 10,001)")
    count_exact: bool
    page: int
    page_size: int
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last")
    previous_cursor: str | None = None
    results: list[CaseOut]


class ListFilters(Schema):
    state: str = ""
    category: str = ""
    channel: str = ""
    overdue: bool | None = None
    officer: RowId | None = None
    q: str = Field("", max_length=100)
    cursor: str = Field("", max_length=200, description="From next_cursor / previous_cursor of a previous page")
    page: Page = Field(1, description="Page number (OFFSET paging, slower on deep pages): prefer `cursor`")
    page_size: int = Field(25, ge=1, le=200)


class TransitionIn(Schema):
    transition: str
    version: RowId | None = Field(None, description="The version you read; a mismatch answers 409")
    note: str = Field("", max_length=5000)
    outcome: str = ""
    prosecutor_office: str = Field("", max_length=200)
    prosecutor_reference: str = Field("", max_length=64)
    unit: str | None = Field(None, description="Unit code, for a transfer")
    offence: str = Field("", max_length=50, description="Offence code of the reference list, to qualify")
    report: str = Field("", max_length=5000, description="The closing report, to close")


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    transition: str
    from_state: str
    to_state: str
    note: str
    data: dict


class ComplainantOut(Schema):
    anonymous: bool
    full_name: str
    cnie: str
    phone: str
    language: str


class SuggestionIn(Schema):
    cnie: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    category: str = Field("", max_length=50)


class CaseSuggestionOut(Schema):
    reference: str
    category_name: str
    created_at: datetime
    state_label: str
    reason: str
    distance_m: int | None = None


class DeidentifiedOut(Schema):
    """A complaint without anything that identifies it or a person: no reference, name, CNIE, phone,
    text or place."""

    category: str
    channel: str
    state: str
    priority: str
    unit: str
    received_on: str
    closed_on: str | None
    outcome: str
    closed_within_deadline: bool | None
    overdue: bool
    escalation_level: int
    reopen_count: int


class DeidentifiedPaging(Schema):
    page: Page = 1
    page_size: int = Field(100, ge=1, le=500)


class DeidentifiedPage(Schema):
    count: int = Field(..., description="Exact when count_exact; otherwise more than 10,000")
    count_exact: bool
    page: int
    page_size: int
    results: list[DeidentifiedOut]


class RouteOut(Schema):
    code: str | None
    name: str | None


def _out(case: Case, user: User) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "state": case.state,
        "state_label": str(State(case.state).label),
        "channel": case.channel,
        "category": case.category.code,
        "category_name": case.category.name,
        "priority": case.priority,
        "description": case.description,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "assigned_unit": case.assigned_unit.code,
        "assigned_unit_name": case.assigned_unit.display_name,
        "assigned_officer": case.assigned_officer.username if case.assigned_officer else None,
        "created_at": case.created_at,
        "state_due_at": case.state_due_at,
        "closure_due_at": case.closure_due_at,
        "overdue": case.overdue,
        "outcome": case.outcome,
        "offence": case.offence.code if case.offence else "",
        "offence_name": case.offence.label if case.offence else "",
        "closing_report": case.closing_report,
        "prosecutor_office": case.prosecutor_office,
        "prosecutor_reference": case.prosecutor_reference,
        "version": case.version,
        "allowed_transitions": [t.name for t in offered(user, case)],
    }


def _category(code: str) -> Category:
    category = selectors.active_category(code)
    if category is None:
        raise ValidationFailed(_("Unknown category."), fields={"category": _("Unknown category.")})
    return category


def _offence(code: str) -> Offence | None:
    if not code:
        return None
    offence = selectors.active_offences().filter(code=code).first()
    if offence is None:
        raise ValidationFailed(_("Unknown offence."), fields={"offence": _("Unknown offence.")})
    return offence


def _unit(code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), fields={field: _("Unknown unit.")})
    return unit


@router.get("/categories", response=list[CategoryOut], summary="Reference list of categories and their procedures")
def list_categories(request: StaffRequest) -> Any:
    return list(selectors.active_categories())


@router.post(
    "/cases",
    response={200: CaseCreatedOut, 201: CaseCreatedOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Register a complaint (send Idempotency-Key to make retries safe)",
)
def create_case(request: StaffRequest, payload: CaseIn) -> Status:
    data = services.IntakeInput(
        channel=payload.channel,
        category=_category(payload.category),
        description=payload.description,
        complainant=services.ComplainantInput(
            anonymous=payload.anonymous,
            full_name=payload.full_name,
            cnie=payload.cnie,
            phone=payload.phone,
            email=payload.email,
            consent=payload.notify_consent,
            language=payload.language,
        ),
        address=payload.address,
        city=payload.city,
        latitude=payload.latitude,
        longitude=payload.longitude,
        priority=payload.priority,
        assigned_unit=_unit(payload.assigned_unit, "assigned_unit"),
        routing_reason=payload.routing_reason,
        external_reference=payload.external_reference,
    )

    def answer(case: Case) -> dict[str, Any]:
        return {**_out(case, request.user), "tracking_code": case.tracking_code}  # type: ignore[attr-defined]

    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return Status(201, answer(services.complaint_register(actor=request.user, data=data)))
    if len(key) > 128:
        raise ValidationFailed(_("The Idempotency-Key is too long (128 characters at most)."))
    fingerprint = hashlib.sha256(json.dumps(payload.dict(), sort_keys=True).encode()).hexdigest()
    body, created = services.complaint_register_idempotent(
        actor=request.user, data=data, key=key, fingerprint=fingerprint, answer=answer
    )
    return Status(201 if created else 200, body)


@router.get("/cases", response=CasePage, summary="Complaints in your jurisdiction, filtered, newest first, by cursor")
def list_cases(request: StaffRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    qs = selectors.case_list(
        request.user,
        selectors.CaseFilters(
            state=filters.state,
            category=filters.category,
            channel=filters.channel,
            overdue=filters.overdue,
            officer=filters.officer,
            q=filters.q,
        ),
    ).select_related(None)
    # The record needs the case's own columns, its category's code and name, the unit and the
    # officer: never the category's procedure texts.
    qs = qs.select_related("category", "assigned_unit", "assigned_officer", "offence").only(*API_FIELDS)
    cursor = Cursor.decode(filters.cursor)
    if cursor is not None or filters.page == 1:
        page = keyset_page(qs, cursor, filters.page_size)
        rows, count, exact = page.rows, page.count, page.count_exact
        next_cursor, previous_cursor = page.next_cursor, page.previous_cursor
    else:
        start = (filters.page - 1) * filters.page_size
        rows = list(qs[start : start + filters.page_size + 1])
        more = len(rows) > filters.page_size
        rows = rows[: filters.page_size]
        count = capped_count(qs)
        exact = count <= COUNT_CAP
        next_cursor = Cursor(rows[-1].created_at, rows[-1].pk).encode() if rows and more else None
        previous_cursor = Cursor(rows[0].created_at, rows[0].pk, backwards=True).encode() if rows else None
    return {
        "count": count,
        "count_exact": exact,
        "page": filters.page,
        "page_size": filters.page_size,
        "next_cursor": next_cursor,
        "previous_cursor": previous_cursor,
        "results": [_out(c, request.user) for c in rows],
    }


API_FIELDS = (
    *selectors.LIST_FIELDS,
    "channel",
    "priority",
    "description",
    "address",
    "latitude",
    "longitude",
    "assigned_unit__code",
    "outcome",
    "prosecutor_office",
    "prosecutor_reference",
    "offence__id",
    "offence__code",
    "offence__name_ar",
    "offence__name_fr",
    "offence__name_en",
    "offence__articles",
    "closing_report",
    "version",
)


@router.get(
    "/cases/deidentified",
    response={200: DeidentifiedPage, **ERRORS},
    summary="De-identified complaints of your jurisdiction, for analysts (no personal data, no free text)",
)
def deidentified(request: StaffRequest, paging: Query[DeidentifiedPaging]) -> dict[str, Any]:
    if not access.allows(request.user.roles, access.DEIDENTIFIED):
        raise PermissionDenied(_("Your role does not give access to this page."))
    page, page_size = paging.page, paging.page_size
    qs = selectors.deidentified_cases(request.user).select_related("category", "assigned_unit").order_by("-id")
    rows = qs[(page - 1) * page_size : page * page_size]
    count = capped_count(qs)
    return {
        "count": count,
        "count_exact": count <= COUNT_CAP,
        "page": page,
        "page_size": page_size,
        "results": [
            {
                "category": c.category.code,
                "channel": c.channel,
                "state": c.state,
                "priority": c.priority,
                "unit": c.assigned_unit.code,
                "received_on": c.created_at.date().isoformat(),
                "closed_on": c.closed_at.date().isoformat() if c.closed_at else None,
                "outcome": c.outcome,
                "closed_within_deadline": c.closed_within_deadline,
                "overdue": c.overdue,
                "escalation_level": c.escalation_level,
                "reopen_count": c.reopen_count,
            }
            for c in rows
        ],
    }


@router.post(
    "/cases/suggestions",
    response={200: list[CaseSuggestionOut], **ERRORS},
    summary="Earlier or nearby complaints, while typing an intake (POST: identity numbers stay out of URLs; "
    "a lookup by CNIE or phone is logged)",
)
def suggestions(request: StaffRequest, payload: SuggestionIn) -> Any:
    return services.intake_suggestions(
        actor=request.user,
        cnie=payload.cnie,
        phone=payload.phone,
        latitude=payload.latitude,
        longitude=payload.longitude,
        category=payload.category,
    )


@router.get("/routing/propose", response=RouteOut, summary="The unit routing would propose for a place and category")
def propose_route(
    request: StaffRequest, category: str, latitude: Latitude | None = None, longitude: Longitude | None = None
) -> dict[str, Any]:
    validate_point(latitude, longitude)
    unit = route_propose(category=_category(category), latitude=latitude, longitude=longitude)
    return {"code": unit.code if unit else None, "name": unit.display_name if unit else None}


@router.get("/cases/{reference}", response={200: CaseOut, 404: ErrorOut}, summary="One complaint")
def get_case(request: StaffRequest, reference: str) -> Any:
    return _out(selectors.case_get(request.user, reference), request.user)


@router.get("/cases/{reference}/events", response={200: list[EventOut], 404: ErrorOut}, summary="Timeline")
def case_events(request: StaffRequest, reference: str) -> list[dict[str, Any]]:
    case = selectors.case_get(request.user, reference)
    return [_event_out(e) for e in selectors.case_timeline(case)]


def _event_out(e: CaseEvent) -> dict:
    return {
        "kind": e.kind,
        "at": e.at,
        "actor": e.actor.username if e.actor else None,
        "transition": e.transition,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "note": e.note,
        "data": e.data,
    }


class RevealIn(Schema):
    purpose: str = Field(..., description="Why the identity is needed", examples=["contact"])
    fields: list[str] = Field(["full_name", "cnie", "phone"], description="Which parts to show")


@router.post(
    "/cases/{reference}/complainant",
    response={200: ComplainantOut, **ERRORS},
    summary="The complainant's personal data, for a stated purpose (every read is logged)",
)
def case_complainant(request: StaffRequest, reference: str, payload: RevealIn) -> Any:
    case = selectors.case_get(request.user, reference)
    view = services.complainant_reveal(
        case=case, actor=request.user, purpose=payload.purpose, fields=tuple(payload.fields)
    )
    return view.__dict__ if view else {"anonymous": True, "full_name": "", "cnie": "", "phone": "", "language": "ar"}


@router.post(
    "/cases/{reference}/transitions",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Move a complaint through its workflow",
)
def transition_case(request: StaffRequest, reference: str, payload: TransitionIn) -> Status:
    case = selectors.case_get(request.user, reference)
    updated = services.case_transition(
        case=case,
        actor=request.user,
        transition=payload.transition,
        version=payload.version,
        data=services.TransitionInput(
            note=payload.note,
            outcome=payload.outcome,
            prosecutor_office=payload.prosecutor_office,
            prosecutor_reference=payload.prosecutor_reference,
            unit=_unit(payload.unit, "unit"),
            offence=_offence(payload.offence),
            report=payload.report,
        ),
    )
    updated = Case.objects.select_related("category", "assigned_unit", "assigned_officer", "offence").get(pk=updated.pk)
    return Status(200, _out(updated, request.user))


@router.post(
    "/cases/{reference}/attachments", response={201: dict, 404: ErrorOut, 422: ErrorOut}, summary="Attach a file"
)
def attach(request: StaffRequest, reference: str, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    case = selectors.case_get(request.user, reference)
    att = services.case_attach(case=case, actor=request.user, upload=file)
    return Status(
        201, {"name": att.original_name, "size": att.size, "content_type": att.content_type, "sha256": att.sha256}
    )
