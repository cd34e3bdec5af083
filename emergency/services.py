"""Every write of line 19: calls, grouping into incidents, dispatch, patrol reports, roster.

Each service runs in one transaction with its audit record and publishes the changed incident /
patrol to the live board with `transaction.on_commit`, so nobody sees a change that rolled back.
The workflow table is `emergency.workflow`; this module is the only writer of the states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.geo import bbox_around, geojson_contains, haversine_m, validate_point
from core.validators import normalize_phone
from emergency import conf
from emergency.choices import (
    AssignmentEnd,
    CallEnd,
    CallLanguage,
    CallState,
    IncidentState,
    InterventionOutcome,
    PatrolKind,
    PatrolStatus,
)
from emergency.models import Assignment, Call, CallCategory, Incident, Patrol, RosterShift
from emergency.selectors import (
    _scope,
    calls_visible,
    current_shift,
    incident_snapshot,
    incidents_visible,
    patrol_for_user,
    patrol_snapshot,
    patrols_visible,
)
from emergency.workflow import (
    BUSY_PATROL_STATUSES,
    CALL_END_SOURCES,
    DISPATCH_ROLES,
    LIVE_CALL_STATES,
    OPEN_INCIDENT_STATES,
    PATROL_ROLES,
    PATROL_SELF_STATUSES,
    REPORT_STEPS,
    STEPS,
    Step,
)
from org.choices import UnitKind
from org.models import Unit, User

DESCRIPTION_MAX = 2000
ADDRESS_MAX = 300
MAX_SHIFT_HOURS = 24
_INTL_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


class Suggestion(NamedTuple):
    """A patrol proposed for an incident, nearest first."""

    patrol: Patrol
    distance_m: float | None
    eta_seconds: int | None


# ---------------------------------------------------------------- helpers


def _publish(topic: str, wilaya_id: int | None, data: dict[str, Any]) -> None:
    from live.events import publish

    transaction.on_commit(lambda: publish(topic=topic, wilaya_id=wilaya_id, data=data))


def _publish_incident(incident: Incident) -> None:
    _publish("incident", incident.wilaya_id, incident_snapshot(incident))


def _publish_patrol(patrol: Patrol) -> None:
    _publish("patrol", patrol.wilaya_id, patrol_snapshot(patrol))


def _require_roles(actor: User | None, roles: Iterable[str], message: Any) -> None:
    if actor is not None and not actor.has_role(*roles):
        raise PermissionDenied(message)


def _require_incident_visible(actor: User | None, incident: Incident) -> None:
    if actor is not None and not incidents_visible(actor).filter(pk=incident.pk).exists():
        raise NotFound(_("No such incident."))


def _wilaya_of(unit: Unit) -> Unit | None:
    for u in [unit, *reversed(unit.ancestors())]:
        if u.kind == UnitKind.WILAYA:
            return u
    return None


def _lock_incident(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("category", "patrol", "case")
        .get(pk=incident.pk)
    )


def _lock_patrol(patrol: Patrol) -> Patrol:
    return Patrol.objects.select_for_update().get(pk=patrol.pk)


def triage_priority(category: CallCategory, answers: dict[str, bool]) -> str:
    """The category's base priority moved by the answers (negative deltas raise it), P1..P4."""
    level = int(category.base_priority[1])
    for question in category.questions:
        answer = answers.get(question["code"])
        if answer is True:
            level += int(question.get("yes", 0))
        elif answer is False:
            level += int(question.get("no", 0))
    return f"P{min(max(level, 1), 4)}"


def _clean_caller_number(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""  # hidden number
    try:
        return normalize_phone(raw)
    except ValidationFailed:
        compact = re.sub(r"[\s\-().]", "", raw)
        if compact.startswith("00"):
            compact = "+" + compact[2:]
        if _INTL_PHONE.match(compact):
            return compact  # a foreign phone (tourists, roaming)
        raise ValidationFailed(
            _("The caller's number is not a valid phone number."), fields={"caller_number": _("Invalid number.")}
        ) from None


def _locate(wilaya: Unit | None, lat: float | None, lon: float | None) -> tuple[Unit | None, Unit | None]:
    """(district, area) of a place: the district whose territory contains it, else the nearest one,
    looked for inside the wilaya when it is known."""
    if lat is None or lon is None:
        return None, None
    qs = Unit.objects.filter(kind=UnitKind.DISTRICT, latitude__isnull=False, longitude__isnull=False)
    if wilaya is not None:
        qs = qs.filter(path__startswith=wilaya.path)
    districts = list(qs.select_related("parent"))
    if not districts:
        return None, None
    district = next((d for d in districts if d.area_geojson and geojson_contains(d.area_geojson, lat, lon)), None)
    if district is None:
        district = min(districts, key=lambda d: haversine_m(lat, lon, d.latitude or 0.0, d.longitude or 0.0))
    area = district.parent if district.parent is not None and district.parent.kind == UnitKind.AREA else None
    return district, area


def _actor_wilaya(actor: User) -> Unit | None:
    kind, value = _scope(actor)
    if kind == "wilaya":
        return Unit.objects.get(pk=value)
    if kind == "subtree" and actor.unit is not None:
        return _wilaya_of(actor.unit)
    return None


def _find_incident(
    *, wilaya: Unit, category: CallCategory, lat: float | None, lon: float | None, at: datetime
) -> Incident | None:
    """The open incident a call joins: same wilaya, compatible category, close in place and time."""
    if lat is None or lon is None:
        return None
    radius = conf.grouping_radius_m()
    window = timedelta(minutes=conf.grouping_window_minutes())
    min_lat, max_lat, min_lon, max_lon = bbox_around(lat, lon, radius)
    candidates = Incident.objects.select_for_update().filter(
        wilaya=wilaya,
        group=category.group,
        state__in=OPEN_INCIDENT_STATES,
        last_call_at__gte=at - window,
        received_at__lte=at + window,
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
    )
    best, best_d = None, None
    for inc in candidates:
        d = haversine_m(lat, lon, inc.latitude or 0.0, inc.longitude or 0.0)  # non-null: in the box
        if d <= radius and (best_d is None or d < best_d):
            best, best_d = inc, d
    return best


def _call_stamps_from(incident: Incident, received_at: datetime) -> dict[str, Any]:
    """A call joining an incident takes its state; each stamp is no earlier than the call itself."""
    state_map: dict[str, str] = {
        IncidentState.TRIAGED: CallState.TRIAGED,
        IncidentState.DISPATCHED: CallState.DISPATCHED,
        IncidentState.EN_ROUTE: CallState.EN_ROUTE,
        IncidentState.ON_SCENE: CallState.ON_SCENE,
    }
    out: dict[str, Any] = {"state": state_map.get(incident.state, CallState.TRIAGED)}
    for stamp in ("dispatched_at", "en_route_at", "on_scene_at"):
        value = getattr(incident, stamp)
        if value is not None:
            out[stamp] = max(value, received_at)
    return out


def _when(at: datetime | None, not_before: datetime | None) -> datetime:
    """When an act happened: now, or the time given for a radio report entered afterwards; never in
    the future and never before the step it follows."""
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=1) or (not_before is not None and at < not_before):
        raise ValidationFailed(
            _("The time of the act is impossible (in the future or before the previous step)."),
            fields={"at": _("Impossible time.")},
        )
    return at


def _sync_calls(incident: Incident, state: str, stamp: str, now: datetime) -> None:
    """The calls still following the incident take its new state and timestamp."""
    incident.calls.filter(state__in=LIVE_CALL_STATES).update(state=state, **{stamp: now})


# ---------------------------------------------------------------- calls


def call_receive(
    *,
    actor: User,
    caller_number: str,
    language: str,
    category: CallCategory | str,
    answers: dict[str, bool] | None,
    description: str,
    address: str,
    latitude: float | None,
    longitude: float | None,
    received_at: datetime | None = None,
) -> Call:
    """Register a call: triage sets its priority; it joins a matching open incident or opens one."""
    return _call_receive(
        actor=actor,
        caller_number=caller_number,
        language=language,
        category=category,
        answers=answers or {},
        description=description,
        address=address,
        latitude=latitude,
        longitude=longitude,
        received_at=received_at,
    )


@transaction.atomic
def _call_receive(
    *,
    actor: User,
    caller_number: str,
    language: str,
    category: CallCategory | str,
    answers: dict[str, bool],
    description: str,
    address: str,
    latitude: float | None,
    longitude: float | None,
    received_at: datetime | None,
) -> Call:
    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow taking line-19 calls."))
    now = timezone.now()
    errors: dict[str, Any] = {}
    if isinstance(category, str):
        found = CallCategory.objects.filter(code=category, active=True).first()
        if found is None:
            raise ValidationFailed(
                _("Unknown call category: %(code)s.") % {"code": category[:50]},
                fields={"category": _("Unknown category.")},
            )
        category = found
    elif not category.active:
        errors["category"] = _("This category is no longer in use.")
    if language not in CallLanguage.values:
        errors["language"] = _("Unknown language.")
    known = {question["code"] for question in category.questions}
    if not isinstance(answers, dict) or any(k not in known or not isinstance(v, bool) for k, v in answers.items()):
        errors["answers"] = _("Answer the category's questions with yes or no.")
    description = (description or "").strip()
    address = (address or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX}
    if len(address) > ADDRESS_MAX:
        errors["address"] = _("The address is too long.")
    if not address and latitude is None and longitude is None:
        errors["address"] = _("Give the address or the coordinates of the place.")
    if received_at is not None and received_at > now + timedelta(minutes=1):
        errors["received_at"] = _("The call cannot come from the future.")
    if errors:
        raise ValidationFailed(_("The call cannot be registered: correct the marked fields."), fields=errors)
    validate_point(latitude, longitude)
    number = _clean_caller_number(caller_number)
    received_at = received_at or now

    wilaya = _actor_wilaya(actor) if actor is not None else None
    district, area = _locate(wilaya, latitude, longitude)
    if wilaya is None and district is not None:
        wilaya = _wilaya_of(district)
    if wilaya is None:
        raise ValidationFailed(
            _("Give the coordinates of the place so the call reaches the right command room."),
            fields={"latitude": _("Required.")},
        )
    priority = triage_priority(category, answers)

    incident = _find_incident(wilaya=wilaya, category=category, lat=latitude, lon=longitude, at=received_at)
    created = incident is None
    if incident is None:
        incident = Incident.objects.create(
            category=category,
            group=category.group,
            priority=priority,
            state=IncidentState.TRIAGED,
            wilaya=wilaya,
            area=area,
            district=district,
            latitude=latitude,
            longitude=longitude,
            address=address,
            description=description,
            call_count=1,
            last_call_at=received_at,
            received_at=received_at,
            triaged_at=now,
            created_by=actor,
        )
        year = timezone.localtime(received_at).year
        incident.reference = f"{wilaya.reference_prefix}-19-{year}-{incident.pk:06d}"
        incident.save(update_fields=["reference"])
        stamps: dict[str, Any] = {"state": CallState.TRIAGED}
    else:
        before_priority = incident.priority
        incident.call_count += 1
        incident.last_call_at = max(incident.last_call_at, received_at)
        incident.received_at = min(incident.received_at, received_at)
        incident.priority = min(incident.priority, priority)  # "P1" < "P2": the most urgent wins
        incident.version += 1
        incident.save(update_fields=["call_count", "last_call_at", "received_at", "priority", "version"])
        stamps = _call_stamps_from(incident, received_at)
        if before_priority != incident.priority:
            audit_record(
                actor=actor,
                action="incident.priority",
                obj=incident,
                before={"priority": before_priority},
                after={"priority": incident.priority},
            )
    call = Call.objects.create(
        incident=incident,
        wilaya=wilaya,
        caller_number_enc=crypto.encrypt(number),
        caller_number_hash=crypto.keyed_hash("phone", number),
        language=language,
        category=category,
        answers=answers,
        priority=priority,
        description=description,
        address=address,
        latitude=latitude,
        longitude=longitude,
        received_by=actor,
        received_at=received_at,
        triaged_at=now,
        **stamps,
    )
    call.reference = f"{wilaya.reference_prefix}-C-{timezone.localtime(received_at).year}-{call.pk:07d}"
    call.save(update_fields=["reference"])
    audit_record(
        actor=actor,
        action="call.receive",
        obj=call,
        after={
            "reference": call.reference,
            "category": category.code,
            "priority": priority,
            "answers": answers,
            "incident": incident.reference,
            "new_incident": created,
            "wilaya": wilaya.pk,
        },
    )
    _publish_incident(incident)
    return call


@transaction.atomic
def call_close_without_dispatch(*, call: Call, actor: User, outcome: str) -> Call:
    """End a call before any patrol is sent: cancelled, duplicate, information only, no action needed.

    When the last live call of a waiting incident ends this way, the incident is cancelled.
    """
    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow closing calls."))
    if actor is not None and not calls_visible(actor).filter(pk=call.pk).exists():
        raise NotFound(_("No such call."))
    if outcome not in CallEnd.values:
        raise ValidationFailed(_("Unknown way to end a call."), fields={"outcome": _("Unknown value.")})
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.state not in CALL_END_SOURCES:
        raise Conflict(_("This call already has a patrol or is closed: it cannot be ended this way."))
    now = timezone.now()
    before = call.state
    call.state = outcome
    call.closed_at = now
    call.save(update_fields=["state", "closed_at"])
    audit_record(actor=actor, action="call.end", obj=call, before={"state": before}, after={"state": outcome})
    incident = _lock_incident(call.incident)
    if incident.state == IncidentState.TRIAGED and not incident.calls.filter(state__in=LIVE_CALL_STATES).exists():
        _move(incident, STEPS["cancel"], actor, now)
        incident.save()
        audit_record(
            actor=actor,
            action="incident.cancel",
            obj=incident,
            before={"state": IncidentState.TRIAGED},
            after={"state": incident.state},
        )
    _publish_incident(incident)
    return call


def _move(incident: Incident, step: Step, actor: User | None, now: datetime) -> None:
    if incident.state not in step.sources:
        raise Conflict(
            _("Impossible step: %(step)s is not allowed while the incident is %(state)s.")
            % {"step": step.label, "state": IncidentState(incident.state).label}
        )
    if actor is not None and not actor.has_role(*step.roles):
        raise PermissionDenied(_("Your role does not allow this step."))
    incident.state = step.target
    if step.code == "dispatch":
        incident.dispatched_at = incident.dispatched_at or now
        incident.en_route_at = None  # a reassigned patrol reports its own departure
    else:
        setattr(incident, step.stamp, now)
    incident.version += 1


# ---------------------------------------------------------------- dispatch


def _on_shift_q(at: datetime):
    return Exists(RosterShift.objects.filter(patrol=OuterRef("pk"), starts_at__lte=at, ends_at__gt=at))


def eta_seconds(distance_m: float, kind: str) -> int:
    """Arrival estimate: straight line × road factor at the kind's average urban speed."""
    speed_ms = conf.patrol_speeds_kmh().get(kind, 30.0) * 1000 / 3600
    return round(distance_m * conf.road_factor() / speed_ms)


def dispatch_suggestions(
    *, incident: Incident, at: datetime | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Available, on-duty patrols of the incident's wilaya, nearest (by estimated arrival) first."""
    at = at or timezone.now()
    limit = limit or conf.suggestion_count()
    patrols = list(
        Patrol.objects.filter(wilaya_id=incident.wilaya_id, active=True, status=PatrolStatus.AVAILABLE).filter(
            _on_shift_q(at)
        )
    )
    if incident.latitude is None or incident.longitude is None:
        return [Suggestion(p, None, None) for p in sorted(patrols, key=lambda p: p.call_sign)][:limit]
    out = []
    for p in patrols:
        if p.latitude is None or p.longitude is None:
            continue
        d = haversine_m(incident.latitude, incident.longitude, p.latitude, p.longitude)
        out.append(Suggestion(p, round(d, 1), eta_seconds(d, p.kind)))
    out.sort(key=lambda s: (s.eta_seconds, s.distance_m, s.patrol.call_sign))
    return out[:limit]


@transaction.atomic
def incident_dispatch(
    *, incident: Incident, patrol: Patrol, actor: User, override_reason: str = "", at: datetime | None = None
) -> Assignment:
    """Send a patrol (the dispatcher's recorded choice); reassigns when another patrol had it."""
    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow dispatching patrols."))
    _require_incident_visible(actor, incident)
    incident = _lock_incident(incident)
    if patrol.wilaya_id != incident.wilaya_id or (
        actor is not None and not patrols_visible(actor).filter(pk=patrol.pk).exists()
    ):
        raise ValidationFailed(
            _("This patrol does not belong to the incident's command room."), fields={"patrol": _("Unknown patrol.")}
        )
    patrol = _lock_patrol(patrol)
    now = _when(at, incident.last_call_at)
    if incident.state not in STEPS["dispatch"].sources:
        raise Conflict(
            _("Impossible step: %(step)s is not allowed while the incident is %(state)s.")
            % {"step": STEPS["dispatch"].label, "state": IncidentState(incident.state).label}
        )
    if not patrol.active or patrol.status == PatrolStatus.OFF_DUTY or current_shift(patrol, now) is None:
        raise Conflict(_("Patrol %(sign)s is off duty: it cannot be dispatched.") % {"sign": patrol.call_sign})
    if patrol.status != PatrolStatus.AVAILABLE:
        raise Conflict(_("Patrol %(sign)s is busy on another mission.") % {"sign": patrol.call_sign})
    suggestions = dispatch_suggestions(incident=incident, at=now)
    mine = next((s for s in suggestions if s.patrol.pk == patrol.pk), None)
    distance = eta = None
    if mine is not None:
        distance, eta = mine.distance_m, mine.eta_seconds
    elif None not in (incident.latitude, incident.longitude, patrol.latitude, patrol.longitude):
        distance = round(
            haversine_m(
                incident.latitude or 0.0, incident.longitude or 0.0, patrol.latitude or 0.0, patrol.longitude or 0.0
            ),
            1,
        )
        eta = eta_seconds(distance, patrol.kind)

    before = {"state": incident.state, "patrol": incident.patrol.call_sign if incident.patrol else None}
    previous = incident.assignments.select_for_update().filter(active=True).first()
    if previous is not None:
        previous.active = False
        previous.ended_at = now
        previous.end_reason = AssignmentEnd.REASSIGNED
        previous.save(update_fields=["active", "ended_at", "end_reason"])
        old = _lock_patrol(previous.patrol)
        old.status, old.status_at, old.current_incident = PatrolStatus.AVAILABLE, now, None
        old.save(update_fields=["status", "status_at", "current_incident"])
        _publish_patrol(old)

    _move(incident, STEPS["dispatch"], actor, now)
    incident.patrol = patrol
    incident.save()
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                incident=incident,
                patrol=patrol,
                dispatched_by=actor,
                suggested=[
                    {"patrol": s.patrol.call_sign, "distance_m": s.distance_m, "eta_seconds": s.eta_seconds}
                    for s in suggestions
                ],
                was_first_suggestion=bool(suggestions) and suggestions[0].patrol.pk == patrol.pk,
                override_reason=(override_reason or "").strip()[:300],
                distance_m=distance,
                eta_seconds=eta,
                dispatched_at=now,
            )
    except IntegrityError:
        raise Conflict(_("Patrol %(sign)s is busy on another mission.") % {"sign": patrol.call_sign}) from None
    patrol.status, patrol.status_at, patrol.current_incident = PatrolStatus.ASSIGNED, now, incident
    patrol.save(update_fields=["status", "status_at", "current_incident"])
    _sync_calls(incident, CallState.DISPATCHED, "dispatched_at", now)
    audit_record(
        actor=actor,
        action="incident.reassign" if previous else "incident.dispatch",
        obj=incident,
        before=before,
        after={
            "state": incident.state,
            "patrol": patrol.call_sign,
            "first_suggestion": assignment.was_first_suggestion,
            "override_reason": assignment.override_reason,
            "suggested": assignment.suggested,
            "eta_seconds": eta,
        },
    )
    _publish_incident(incident)
    _publish_patrol(patrol)
    return assignment


def _acting_patrol(actor: User | None, incident: Incident) -> Patrol:
    """The patrol a report speaks for: the officer's own (on the roster now), or, for a dispatcher
    relaying a radio report, the one assigned."""
    if actor is None or actor.has_role(*DISPATCH_ROLES):
        if incident.patrol is None:
            raise Conflict(_("No patrol is assigned to this incident."))
        return incident.patrol
    if not actor.has_role(*PATROL_ROLES):
        raise PermissionDenied(_("Your role does not allow patrol reports."))
    patrol = patrol_for_user(actor)
    if patrol is None:
        raise PermissionDenied(_("You are not on duty with a patrol (check the roster)."))
    if incident.patrol_id != patrol.pk:
        raise PermissionDenied(
            _("Patrol %(sign)s is not assigned to this incident.") % {"sign": patrol.call_sign},
            code="not_assigned",
        )
    return patrol


@transaction.atomic
def patrol_report(
    *,
    actor: User,
    incident: Incident,
    status: str,
    outcome: str = "",
    note: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    at: datetime | None = None,
) -> Incident:
    """A patrol reports en route, on scene or resolved (with an outcome) on its mission."""
    step = REPORT_STEPS.get(status)
    if step is None:
        raise ValidationFailed(
            _("Unknown report: use en route, on scene or resolved."), fields={"status": _("Unknown value.")}
        )
    if outcome and outcome not in InterventionOutcome.values:
        raise ValidationFailed(_("Unknown outcome."), fields={"outcome": _("Unknown value.")})
    validate_point(latitude, longitude)
    _require_incident_visible(actor, incident)
    incident = _lock_incident(incident)
    patrol = _lock_patrol(_acting_patrol(actor, incident))
    now = _when(at, incident.on_scene_at or incident.en_route_at or incident.dispatched_at)
    before = {"state": incident.state}
    _move(incident, step, None, now)  # roles checked by _acting_patrol
    assignment = incident.assignments.select_for_update().filter(active=True, patrol=patrol).first()
    if assignment is None:
        raise Conflict(_("No patrol is assigned to this incident."))
    if step.code == "resolved":
        incident.outcome = outcome or InterventionOutcome.HANDLED
        incident.outcome_note = (note or "").strip()[:500]
        assignment.active, assignment.ended_at, assignment.end_reason = False, now, AssignmentEnd.RESOLVED
        patrol.current_incident = None
    else:
        setattr(assignment, step.stamp, now)
    assignment.save()
    incident.save()
    patrol.status, patrol.status_at = step.patrol_status or PatrolStatus.AVAILABLE, now
    if latitude is not None:
        patrol.latitude, patrol.longitude, patrol.position_at = latitude, longitude, now
    patrol.save()
    _sync_calls(incident, step.target, step.stamp, now)
    audit_record(
        actor=actor,
        action=f"incident.{step.code}",
        obj=incident,
        before=before,
        after={"state": incident.state, "patrol": patrol.call_sign, "outcome": incident.outcome},
    )
    _publish_incident(incident)
    _publish_patrol(patrol)
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor: User, at: datetime | None = None) -> Incident:
    """The dispatcher closes a resolved incident (and its calls)."""
    _require_incident_visible(actor, incident)
    incident = _lock_incident(incident)
    now = _when(at, incident.resolved_at)
    before = {"state": incident.state}
    _move(incident, STEPS["close"], actor, now)
    incident.save()
    _sync_calls(incident, CallState.CLOSED, "closed_at", now)
    audit_record(actor=actor, action="incident.close", obj=incident, before=before, after={"state": incident.state})
    _publish_incident(incident)
    return incident


@transaction.atomic
def call_open_complaint(*, call: Call, actor: User, caller_name: str = "", case_category: str = ""):
    """Open a complaint from a call that needs follow-up, linked both ways (the case's external
    reference is the call's reference; the call and its incident keep the case)."""
    from cases.models import Category
    from cases.services import ComplainantInput, IntakeInput, complaint_register

    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow opening complaints from calls."))
    if not calls_visible(actor).filter(pk=call.pk).exists():
        raise NotFound(_("No such call."))
    call = Call.objects.select_for_update(of=("self",)).select_related("category", "incident").get(pk=call.pk)
    if call.case_id is not None:
        raise Conflict(_("A complaint was already opened from this call."))
    code = case_category or call.category.case_category_code
    category = Category.objects.filter(code=code, active=True).first() if code else None
    if category is None:
        raise ValidationFailed(_("Choose the complaint category."), fields={"case_category": _("Unknown category.")})
    number = crypto.decrypt(call.caller_number_enc)
    name = (caller_name or "").strip()
    case = complaint_register(
        actor=actor,
        data=IntakeInput(
            channel="line19",
            category=category,
            description=call.description or call.category.name,
            complainant=ComplainantInput(
                anonymous=not name,
                full_name=name,
                phone=number if number.startswith("+212") else "",
                language=call.language if call.language in ("ar", "fr", "en") else "ar",
            ),
            address=call.address,
            latitude=call.latitude,
            longitude=call.longitude,
            external_reference=call.reference,
        ),
    )
    call.case = case
    call.save(update_fields=["case"])
    incident = _lock_incident(call.incident)
    if incident.case_id is None:
        incident.case = case
        incident.save(update_fields=["case"])
    audit_record(actor=actor, action="call.complaint", obj=call, after={"case": case.reference})
    _publish_incident(incident)
    return case


# ---------------------------------------------------------------- patrols and roster


@transaction.atomic
def patrol_create(
    *,
    actor: User | None,
    call_sign: str,
    kind: str,
    home_unit: Unit,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Patrol:
    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow creating patrols."))
    call_sign = (call_sign or "").strip().upper()
    if not call_sign or len(call_sign) > 20:
        raise ValidationFailed(_("Give a call sign."), fields={"call_sign": _("Required.")})
    if kind not in PatrolKind.values:
        raise ValidationFailed(_("Unknown kind of patrol."), fields={"kind": _("Unknown value.")})
    validate_point(latitude, longitude)
    wilaya = _wilaya_of(home_unit)
    if wilaya is None:
        raise ValidationFailed(_("A patrol belongs to a unit under a wilaya."), fields={"home_unit": _("No wilaya.")})
    if Patrol.objects.filter(call_sign=call_sign).exists():
        raise Conflict(_("Call sign %(sign)s is taken.") % {"sign": call_sign})
    patrol = Patrol.objects.create(
        call_sign=call_sign,
        kind=kind,
        home_unit=home_unit,
        wilaya=wilaya,
        latitude=latitude,
        longitude=longitude,
        position_at=timezone.now() if latitude is not None else None,
        status=PatrolStatus.OFF_DUTY,
        status_at=timezone.now(),
    )
    audit_record(actor=actor, action="patrol.create", obj=patrol, after={"call_sign": call_sign, "kind": kind})
    _publish_patrol(patrol)
    return patrol


@transaction.atomic
def roster_assign(
    *,
    actor: User | None,
    patrol: Patrol,
    starts_at: datetime,
    ends_at: datetime,
    officers: Sequence[User] = (),
    unit: Unit | None = None,
) -> RosterShift:
    """Put a patrol and its officers on a shift (the plan readiness is measured against)."""
    _require_roles(actor, DISPATCH_ROLES, _("Your role does not allow changing the roster."))
    if actor is not None and not patrols_visible(actor).filter(pk=patrol.pk).exists():
        raise NotFound(_("No such patrol."))
    if ends_at <= starts_at:
        raise ValidationFailed(_("The shift must end after it starts."), fields={"ends_at": _("Before the start.")})
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationFailed(
            _("A shift lasts at most %(n)s hours.") % {"n": MAX_SHIFT_HOURS}, fields={"ends_at": _("Too long.")}
        )
    if RosterShift.objects.filter(patrol=patrol, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise Conflict(_("Patrol %(sign)s already has a shift at that time.") % {"sign": patrol.call_sign})
    wilaya_path = patrol.wilaya.path
    for officer in officers:
        if officer.unit is None or not officer.unit.path.startswith(wilaya_path):
            raise ValidationFailed(
                _("%(name)s does not serve in this patrol's wilaya.") % {"name": officer.get_username()},
                fields={"officers": _("Outside the wilaya.")},
            )
        if RosterShift.objects.filter(officers=officer, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise Conflict(_("%(name)s is already on another shift at that time.") % {"name": officer.get_username()})
    shift = RosterShift.objects.create(
        patrol=patrol, unit=unit or patrol.home_unit, starts_at=starts_at, ends_at=ends_at
    )
    if officers:
        shift.officers.set(officers)
    audit_record(
        actor=actor,
        action="roster.assign",
        obj=shift,
        after={
            "patrol": patrol.call_sign,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "officers": [o.pk for o in officers],
        },
    )
    return shift


def _require_patrol_actor(actor: User | None, patrol: Patrol) -> None:
    if actor is None:
        return
    if actor.has_role(*DISPATCH_ROLES):
        if not patrols_visible(actor).filter(pk=patrol.pk).exists():
            raise NotFound(_("No such patrol."))
        return
    mine = patrol_for_user(actor)
    if not actor.has_role(*PATROL_ROLES) or mine is None or mine.pk != patrol.pk:
        raise PermissionDenied(_("Only the officers on duty with this patrol or the command room may do this."))


@transaction.atomic
def patrol_set_status(
    *,
    patrol: Patrol,
    actor: User | None,
    status: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Patrol:
    """Sign a patrol on (available, only during one of its shifts) or off duty (only when free)."""
    if status not in PATROL_SELF_STATUSES:
        raise ValidationFailed(
            _("A patrol sets itself available or off duty; missions set the other statuses."),
            fields={"status": _("Not allowed.")},
        )
    validate_point(latitude, longitude)
    _require_patrol_actor(actor, patrol)
    patrol = _lock_patrol(patrol)
    now = timezone.now()
    if patrol.status in BUSY_PATROL_STATUSES:
        raise Conflict(_("Patrol %(sign)s is on a mission: finish it first.") % {"sign": patrol.call_sign})
    before = {"status": patrol.status}
    if status == PatrolStatus.AVAILABLE:
        shift = current_shift(patrol, now)
        if shift is None:
            raise Conflict(_("Patrol %(sign)s has no shift now: it stays off duty.") % {"sign": patrol.call_sign})
        if shift.signed_on_at is None:
            shift.signed_on_at = now
            shift.save(update_fields=["signed_on_at"])
    patrol.status, patrol.status_at = status, now
    if latitude is not None:
        patrol.latitude, patrol.longitude, patrol.position_at = latitude, longitude, now
    patrol.save()
    audit_record(actor=actor, action="patrol.status", obj=patrol, before=before, after={"status": status})
    _publish_patrol(patrol)
    return patrol


@transaction.atomic
def patrol_move(*, patrol: Patrol, actor: User | None, latitude: float, longitude: float) -> Patrol:
    """Record a patrol's position (from its phone or the car's tracker)."""
    if latitude is None or longitude is None:
        raise ValidationFailed(_("Give both coordinates."), fields={"latitude": _("Required.")})
    validate_point(latitude, longitude)
    _require_patrol_actor(actor, patrol)
    patrol = _lock_patrol(patrol)
    patrol.latitude, patrol.longitude, patrol.position_at = latitude, longitude, timezone.now()
    patrol.save(update_fields=["latitude", "longitude", "position_at"])
    audit_record(actor=actor, action="patrol.move", obj=patrol, after={"lat": latitude, "lon": longitude})
    _publish_patrol(patrol)
    return patrol
