"""Line-19 calls: triage, grouping into incidents, ending a call, opening a complaint from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.models import Case, Category
from cases.services import ComplainantInput, IntakeInput, complaint_register
from core import crypto
from core.errors import Conflict, NotFound, ValidationFailed
from core.geo import bbox_around, geojson_contains, haversine_m, validate_point
from core.validators import normalize_phone
from emergency import conf
from emergency.choices import CallEnd, CallLanguage, CallState, IncidentState
from emergency.models import Call, CallCategory, Incident
from emergency.selectors import _scope, calls_visible
from emergency.services.base import lock_incident, move_incident, publish_incident, require_roles
from emergency.workflow import CALL_END_SOURCES, DISPATCH_ROLES, LIVE_CALL_STATES, OPEN_INCIDENT_STATES, STEPS
from org.choices import UnitKind
from org.models import Unit, User
from org.selectors import wilaya_of

DESCRIPTION_MAX = 2000
ADDRESS_MAX = 300
_INTL_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


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
        return wilaya_of(actor.unit)
    return None


def _find_proposal(
    *, wilaya: Unit, category: CallCategory, lat: float | None, lon: float | None, at: datetime
) -> tuple[Incident, dict[str, Any]] | None:
    """The open incident a new call is probably about (same wilaya, close in place and time, whatever
    its category) and the reason shown to the dispatcher, who decides; None when nothing is close."""
    if lat is None or lon is None:
        return None
    radius = conf.grouping_radius_m()
    window = timedelta(minutes=conf.grouping_window_minutes())
    min_lat, max_lat, min_lon, max_lon = bbox_around(lat, lon, radius)
    candidates = Incident.objects.select_related("category").filter(
        wilaya=wilaya,
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
    if best is None or best_d is None:
        return None
    other = best.category
    return best, {
        "incident_id": best.pk,
        "reference": best.reference,
        "distance_m": round(best_d),
        "minutes": round(abs((at - best.last_call_at).total_seconds()) / 60),
        "category": other.code,
        "category_name": {"ar": other.name_ar, "fr": other.name_fr, "en": other.name_en},
        "same_category": other.pk == category.pk,
        "compatible": other.group == category.group,
    }


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


@dataclass(frozen=True)
class CallInput:
    """What the call-taker records; checked by `_validate_call`."""

    caller_number: str
    language: str
    category: CallCategory | str
    answers: dict[str, bool]
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    received_at: datetime | None


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
    """Register a call: triage sets its priority; it opens its own incident, with the proposal of a
    matching open incident for the dispatcher to confirm or refuse."""
    data = CallInput(
        caller_number=caller_number,
        language=language,
        category=category,
        answers=answers or {},
        description=(description or "").strip(),
        address=(address or "").strip(),
        latitude=latitude,
        longitude=longitude,
        received_at=received_at,
    )
    return _call_receive(actor=actor, data=data)


@transaction.atomic
def _call_receive(*, actor: User, data: CallInput) -> Call:
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow taking line-19 calls."))
    now = timezone.now()
    category = _validate_call(data, now)
    number = _clean_caller_number(data.caller_number)
    received_at = data.received_at or now
    wilaya, district, area = _place_call(actor, data)
    priority = triage_priority(category, data.answers)
    incident = _open_incident(
        actor=actor,
        data=data,
        category=category,
        priority=priority,
        place=(wilaya, district, area),
        received_at=received_at,
        now=now,
    )
    call = Call.objects.create(
        incident=incident,
        wilaya=wilaya,
        caller_number_enc=crypto.encrypt(number),
        caller_number_hash=crypto.keyed_hash("phone", number),
        language=data.language,
        category=category,
        answers=data.answers,
        priority=priority,
        description=data.description,
        address=data.address,
        latitude=data.latitude,
        longitude=data.longitude,
        received_by=actor,
        received_at=received_at,
        triaged_at=now,
        state=CallState.TRIAGED,
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
            "answers": data.answers,
            "incident": incident.reference,
            "proposed_merge": incident.proposal.get("reference", ""),
            "wilaya": wilaya.pk,
        },
    )
    publish_incident(incident)
    return call


def _validate_call(data: CallInput, now: datetime) -> CallCategory:
    """Every field checked at once; returns the active category the call is about."""
    errors: dict[str, Any] = {}
    category = data.category
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
    if data.language not in CallLanguage.values:
        errors["language"] = _("Unknown language.")
    known = {question["code"] for question in category.questions}
    answers = data.answers
    if not isinstance(answers, dict) or any(k not in known or not isinstance(v, bool) for k, v in answers.items()):
        errors["answers"] = _("Answer the category's questions with yes or no.")
    if len(data.description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX}
    if len(data.address) > ADDRESS_MAX:
        errors["address"] = _("The address is too long.")
    if not data.address and data.latitude is None and data.longitude is None:
        errors["address"] = _("Give the address or the coordinates of the place.")
    if data.received_at is not None and data.received_at > now + timedelta(minutes=1):
        errors["received_at"] = _("The call cannot come from the future.")
    elif data.received_at is not None and data.received_at < now - timedelta(hours=conf.call_max_age_hours()):
        errors["received_at"] = _("The call is more than %(hours)s hours old: it cannot be recorded as a call.") % {
            "hours": conf.call_max_age_hours()
        }
    if errors:
        raise ValidationFailed(_("The call cannot be registered: correct the marked fields."), fields=errors)
    validate_point(data.latitude, data.longitude)
    return category


def _place_call(actor: User, data: CallInput) -> tuple[Unit, Unit | None, Unit | None]:
    """(wilaya, district, area) of the call: the call-taker's command room, refined by the place."""
    wilaya = _actor_wilaya(actor) if actor is not None else None
    district, area = _locate(wilaya, data.latitude, data.longitude)
    if wilaya is None and district is not None:
        wilaya = wilaya_of(district)
    if wilaya is None:
        raise ValidationFailed(
            _("Give the coordinates of the place so the call reaches the right command room."),
            fields={"latitude": _("Required.")},
        )
    return wilaya, district, area


def _open_incident(
    *,
    actor: User,
    data: CallInput,
    category: CallCategory,
    priority: str,
    place: tuple[Unit, Unit | None, Unit | None],
    received_at: datetime,
    now: datetime,
) -> Incident:
    """A new waiting incident for a call, with the proposal of the open incident it probably
    duplicates (never joined without the dispatcher's word: see `incident_merge`)."""
    wilaya, district, area = place
    found = _find_proposal(wilaya=wilaya, category=category, lat=data.latitude, lon=data.longitude, at=received_at)
    incident = Incident.objects.create(
        category=category,
        group=category.group,
        priority=priority,
        state=IncidentState.TRIAGED,
        wilaya=wilaya,
        area=area,
        district=district,
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address,
        description=data.description,
        call_count=1,
        last_call_at=received_at,
        received_at=received_at,
        triaged_at=now,
        created_by=actor,
        proposed_merge=found[0] if found else None,
        proposal=found[1] if found else {},
    )
    assign_incident_reference(incident)
    return incident


def assign_incident_reference(incident: Incident) -> None:
    """WILAYA-19-YEAR-NNNNNN, from the incident's id and the year of its first call."""
    year = timezone.localtime(incident.received_at).year
    incident.reference = f"{incident.wilaya.reference_prefix}-19-{year}-{incident.pk:06d}"
    incident.save(update_fields=["reference"])


@transaction.atomic
def call_close_without_dispatch(*, call: Call, actor: User, outcome: str) -> Call:
    """End a call before any patrol is sent: cancelled, duplicate, information only, no action needed.

    When the last live call of a waiting incident ends this way, the incident is cancelled.
    """
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow closing calls."))
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
    incident = lock_incident(call.incident)
    if incident.state == IncidentState.TRIAGED and not incident.calls.filter(state__in=LIVE_CALL_STATES).exists():
        move_incident(incident, STEPS["cancel"], actor, now)
        incident.save()
        audit_record(
            actor=actor,
            action="incident.cancel",
            obj=incident,
            before={"state": IncidentState.TRIAGED},
            after={"state": incident.state},
        )
    publish_incident(incident)
    return call


@transaction.atomic
def call_open_complaint(
    *, call: Call, actor: User, caller_name: str = "", case_category: str = "", notify_consent: bool = False
) -> Case:
    """Open a complaint from a call that needs follow-up, linked both ways (the case's external
    reference is the call's reference; the call and its incident keep the case). With
    `notify_consent` (the caller agreed on the phone), the caller is sent SMS about its progress."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow opening complaints from calls."))
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
                consent=notify_consent,
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
    incident = lock_incident(call.incident)
    if incident.case_id is None:
        incident.case = case
        incident.save(update_fields=["case"])
    audit_record(actor=actor, action="call.complaint", obj=call, after={"case": case.reference})
    publish_incident(incident)
    return case
