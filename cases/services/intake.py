"""Intake: registering a complaint from any channel (validation, routing, reference, complainant,
attachments, links), once per Idempotency-Key for API clients."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases import deadlines, hooks, selectors
from cases.choices import Channel, EventKind, Priority, Sensitivity, State
from cases.models import Case, Category, Complainant, IdempotencyKey
from cases.references import new_tracking_code, next_reference, normalize_tracking_code
from cases.routing import Placement, locate, place_district, route_propose, routing_desk_for, wilaya_region
from cases.services.base import (
    DESCRIPTION_MAX,
    Upload,
    add_event,
    check_upload,
    files_removed_on_failure,
    snapshot,
    store_attachment,
)
from cases.services.records import link_cases
from core import crypto
from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from core.geo import validate_point
from core.inserts import insert
from core.validators import normalize_cnie, normalize_phone
from org import access
from org.choices import UnitKind
from org.models import Unit, User
from org.selectors import ancestors_of, wilaya_of

# The languages the complainant can be written to in (notifications, receipts).
CONTACT_LANGUAGES = ("ar", "fr", "en")


@dataclass
class ComplainantInput:
    anonymous: bool = False
    full_name: str = ""
    cnie: str = ""
    phone: str = ""
    language: str = "ar"
    email: str = ""
    # The complainant agrees to be told of progress by SMS (with a phone) or e-mail.
    consent: bool = False


@dataclass
class IntakeInput:
    channel: str
    category: Category | None  # None only while a page checks a half-filled form
    description: str
    complainant: ComplainantInput = field(default_factory=ComplainantInput)
    address: str = ""
    # The city picked in a list (a gazetteer code or name): narrows the geocoding of the address.
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    priority: str = ""
    assigned_unit: Unit | None = None
    assigned_officer: User | None = None
    routing_reason: str = ""
    external_reference: str = ""
    link_to: Sequence[Case] = ()


def _validate_intake(actor: User, data: IntakeInput, attachments: Sequence[Upload] = ()) -> ComplainantInput:
    """The cleaned complainant, or one ValidationFailed naming every problem of the intake."""
    if not access.allows(actor.roles, access.REGISTER):
        raise PermissionDenied(_("Your role does not allow registering complaints."))
    complainant, problems = _intake_check(data, attachments)
    if problems.fields:
        raise problems.failure()
    return complainant


@dataclass
class _Problems:
    """Problems of one intake collected field by field, so that the officer or the citizen learns
    of all of them in one answer (not one kind per submit)."""

    fields: dict[str, Any] = field(default_factory=dict)
    messages: list[Any] = field(default_factory=list)
    plain: bool = False  # a problem found here, not by a check with its own sentence

    def add(self, name: str, message: Any) -> None:
        self.fields.setdefault(name, message)
        self.plain = True

    def run(self, check: Callable[..., Any], *args: Any) -> Any:
        """The value `check(*args)` returns, or None with its refusal recorded."""
        try:
            return check(*args)
        except ValidationFailed as exc:
            self.messages.append(exc.message)
            for name, message in exc.fields.items():
                self.fields.setdefault(name, message)
            return None

    def failure(self) -> ValidationFailed:
        # A single refusal keeps its own words; several get the general sentence.
        alone = len(self.messages) == 1 and not self.plain
        message = self.messages[0] if alone else _("The complaint cannot be registered: correct the marked fields.")
        return ValidationFailed(message, fields=self.fields)


def intake_problems(
    *, data: IntakeInput, attachments: Sequence[Upload] = (), identity_verified: bool = False
) -> dict[str, Any]:
    """Every problem of an intake, field by field, without writing anything: the pages call it when
    their own form already refused some fields, so that the rest are named in the same answer.
    `identity_verified`: the complainant comes from a verified digital identity (the portal), so
    their name and the category's anonymity rule are not the form's concern."""
    return _intake_check(data, attachments, identity_verified=identity_verified)[1].fields


def _intake_check(
    data: IntakeInput, attachments: Sequence[Upload], *, identity_verified: bool = False
) -> tuple[ComplainantInput, _Problems]:
    p = _Problems()
    if data.channel not in Channel.values:
        p.add("channel", _("Unknown channel."))
    if data.category is None:
        p.add("category", _("Choose the kind of complaint."))
    elif not data.category.active:
        p.add("category", _("This category is no longer in use."))
    description = (data.description or "").strip()
    if not description:
        p.add("description", _("Describe the facts."))
    elif len(description) > DESCRIPTION_MAX:
        p.add("description", _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX})
    if data.priority and data.priority not in Priority.values:
        p.add("priority", _("Unknown priority."))
    if len(data.address) > 300:
        p.add("address", _("The address is too long."))
    c = data.complainant
    if c.language not in CONTACT_LANGUAGES:
        p.add("language", _("Unknown language: choose ar, fr or en."))
    p.run(validate_point, data.latitude, data.longitude)
    for upload in attachments:
        p.run(check_upload, upload)
    if identity_verified:
        return c, p
    if c.anonymous:
        if data.category is not None and not data.category.allows_anonymous:
            p.run(_refuse, _("This category does not accept anonymous complaints."), "anonymous", _("Not allowed."))
        return ComplainantInput(anonymous=True, language=c.language), p
    if not c.full_name.strip():
        p.run(_refuse, _("Give the complainant's name or mark the complaint anonymous."), "full_name", _("Required."))
    cnie = p.run(normalize_cnie, c.cnie) if c.cnie.strip() else ""
    phone = p.run(normalize_phone, c.phone) if c.phone.strip() else ""
    cleaned = ComplainantInput(
        full_name=c.full_name.strip()[:200],
        cnie=cnie or "",
        phone=phone or "",
        language=c.language,
        email=p.run(_clean_email, c.email) or "",
        consent=bool(c.consent),
    )
    return cleaned, p


def _refuse(message: Any, name: str, field_message: Any) -> None:
    raise ValidationFailed(message, fields={name: field_message})


def _checked_category(data: IntakeInput) -> Category:
    """The category of an intake that passed `_validate_intake` (which refuses one without)."""
    assert data.category is not None
    return data.category


def _clean_email(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except DjangoValidationError:
        value = ""
    if not value or len(value) > 254:
        raise ValidationFailed(_("The e-mail address is not valid."), fields={"email": _("Invalid address.")})
    return value


def notify_channel(complainant: ComplainantInput) -> str:
    """How the complainant will be informed: "sms", "email", or "" (no consent or no contact)."""
    if not complainant.consent or complainant.anonymous:
        return ""
    if complainant.phone:
        return "sms"
    return "email" if complainant.email else ""


# Units a complaint may be assigned to: someone there (or a chief above) works and sends it on.
HANDLING_KINDS = (UnitKind.DISTRICT, UnitKind.DUTY, UnitKind.INSPECTORATE, UnitKind.AREA, UnitKind.ROUTING_DESK)


def _choose_unit(actor: User, data: IntakeInput, category: Category) -> tuple[Unit, Unit | None, Placement]:
    """(the assigned unit, the unit routing proposed, where the complaint was placed)."""
    placement = locate(latitude=data.latitude, longitude=data.longitude, address=data.address, city=data.city)
    proposed = route_propose(category=category, latitude=placement.latitude, longitude=placement.longitude)
    if category.sensitivity == Sensitivity.AGAINST_OFFICER and proposed is not None:
        return proposed, proposed, placement  # never left at the counter's unit
    if data.assigned_unit is not None:
        if data.assigned_unit.kind not in HANDLING_KINDS:
            raise ValidationFailed(
                _("A complaint is assigned to a district, a duty service or the Inspectorate."),
                fields={"assigned_unit": _("Not a station.")},
            )
        return data.assigned_unit, proposed, placement
    if proposed is not None:
        return proposed, proposed, placement
    own = actor.unit
    own_wilaya = wilaya_of(own) if own is not None else None
    # Taken at a station and not placed elsewhere: the station keeps it (its officers can still
    # send it on).
    elsewhere = placement.region and (own_wilaya is None or wilaya_region(own_wilaya) != placement.region)
    if own is not None and own.kind in HANDLING_KINDS and not elsewhere:
        return own, None, placement
    # Not placed: a routing desk, whose staff can act on it and send it on.
    desk = routing_desk_for(placement, wilaya=own_wilaya)
    return desk, desk, placement


def complaint_register(*, actor: User, data: IntakeInput, attachments: Sequence[Upload] = ()) -> Case:
    """Register a complaint from any channel; returns the case with `.tracking_code` set (shown once
    on the receipt, stored encrypted)."""
    with files_removed_on_failure() as written:
        return _complaint_register(actor=actor, data=data, attachments=attachments, written=written)


def _complainant_row(complainant: ComplainantInput) -> Complainant:
    """The complainant's row, personal data encrypted and keyed-hashed (saved by the caller)."""
    return Complainant(
        anonymous=complainant.anonymous,
        full_name_enc=crypto.encrypt(complainant.full_name),
        cnie_enc=crypto.encrypt(complainant.cnie),
        cnie_hash=crypto.keyed_hash("cnie", complainant.cnie),
        phone_enc=crypto.encrypt(complainant.phone),
        phone_hash=crypto.keyed_hash("phone", complainant.phone),
        language=complainant.language,
        email_enc=crypto.encrypt(complainant.email) if complainant.email else "",
        notify_consent=complainant.consent,
        notify_channel=notify_channel(complainant),
    )


def _routing_record(
    data: IntakeInput, unit: Unit, proposed: Unit | None, placement: Placement
) -> tuple[dict[str, Any], str]:
    """What the created event and the audit keep of the routing (unit ids, place codes, the
    officer's reason for overriding the proposal), and that reason as the event's note."""
    routing: dict[str, Any] = {"proposed_unit": proposed.pk if proposed else None, "assigned_unit": unit.pk}
    if placement.geocoded is not None:
        routing["geocoded"] = placement.event_data()
    note = ""
    if proposed is not None and unit != proposed:
        note = data.routing_reason.strip()[:300]
        routing["override_reason"] = note
    return routing, note


@transaction.atomic
def _complaint_register(*, actor: User, data: IntakeInput, attachments: Sequence[Upload], written: list) -> Case:
    complainant = _validate_intake(actor, data, attachments)
    checked = [check_upload(u) for u in attachments]  # every file refused before anything is written
    category = _checked_category(data)
    unit, proposed, placement = _choose_unit(actor, data, category)
    now = timezone.now()
    tracking = new_tracking_code()
    prefix = _reference_prefix(_prefix_unit(actor, data, unit, category))
    case = Case(
        tracking_code_enc=crypto.encrypt(tracking),
        tracking_code_hash=crypto.keyed_hash("tracking", normalize_tracking_code(tracking)),
        channel=data.channel,
        external_reference=data.external_reference.strip()[:64],
        category=category,
        sensitivity=category.sensitivity,
        description=data.description.strip(),
        address=data.address.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        priority=data.priority or category.default_priority,
        state=State.RECEIVED,
        assigned_unit=unit,
        assigned_officer=data.assigned_officer,
        proposed_unit=proposed,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    deadlines.start_clock(case, now)
    person = _complainant_row(complainant)
    # The reference counter last: everything that can be computed before is, so that its row stays
    # locked only for the few inserts left before COMMIT (every intake of a wilaya waits on it).
    case.reference = next_reference(prefix, timezone.localtime(now).year)
    insert(case)
    person.case = case
    insert(person)
    routing, note = _routing_record(data, unit, proposed, placement)
    add_event(case, EventKind.CREATED, actor, now, to_state=State.RECEIVED, data=routing, note=note)
    audit_record(
        actor=actor,
        action="case.create",
        obj=case,
        after={
            **snapshot(case),
            "channel": case.channel,
            "anonymous": complainant.anonymous,
            "notify_consent": complainant.consent,
            **routing,
        },
    )
    for upload, sniffed in checked:
        store_attachment(case, actor, upload, sniffed, now, written)
    for other in data.link_to:
        link_cases(case, other, actor, str(_("Suggested at intake")), now)
    # Listeners (the portal's acknowledgement) hear of it once committed, and whether anyone is to be told.
    event = hooks.TransitionEvent(case.pk, "created", "", State.RECEIVED, actor.pk, bool(person.notify_channel))
    transaction.on_commit(lambda: hooks.notify_transition(event))
    case.tracking_code = tracking  # type: ignore[attr-defined]
    return case


def _prefix_unit(actor: User, data: IntakeInput, unit: Unit, category: Category) -> Unit:
    """The unit whose wilaya names the reference. A complaint against an officer is numbered like
    any complaint of its place (or of the counter that took it), never with the Inspectorate's
    prefix: a reference read out on the phone or seen on a desk must not give it away."""
    if category.sensitivity != Sensitivity.AGAINST_OFFICER:
        return unit
    place = place_district(data.latitude, data.longitude)
    if place is not None:
        return place
    if actor.unit is not None and actor.unit.kind != UnitKind.INSPECTORATE:
        return actor.unit
    return Unit.objects.filter(kind=UnitKind.CENTRAL).order_by("path").first() or unit


def _reference_prefix(unit: Unit) -> str:
    for u in [unit, *reversed(ancestors_of(unit))]:
        if u.kind == UnitKind.WILAYA:
            return u.reference_prefix
    return unit.reference_prefix


def complaint_register_idempotent(
    *, actor: User, data: IntakeInput, key: str, fingerprint: str, answer: Callable[[Case], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """Register once per (user, Idempotency-Key) and return (the answer, created).

    The first call stores `answer(case)` with the key; a retry with the same key and request gets
    that first answer again (False), not the complaint as it is now, which the caller may no longer
    be allowed to see. The same key with a different request is a Conflict. A key is remembered for
    AMANE_IDEMPOTENCY_KEY_HOURS, then forgotten (and purged by `idempotency_keys_purge`).

    The key row is written in the same transaction as the case, so a crash between them is
    impossible; two retries racing each other meet on the unique constraint and the loser
    returns the winner's answer.
    """

    def replay() -> dict[str, Any] | None:
        row = IdempotencyKey.objects.filter(user=actor, key=key).first()
        if row is None:
            return None
        if row.created_at < idempotency_horizon() or not row.answer_enc:
            IdempotencyKey.objects.filter(pk=row.pk).delete()  # expired: the key may be used again
            return None
        if row.fingerprint != fingerprint:
            raise Conflict(
                _("This Idempotency-Key was already used for a different complaint."), code="idempotency_key_reused"
            )
        stored: dict[str, Any] = json.loads(crypto.decrypt(row.answer_enc))
        return stored

    found = replay()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            case = complaint_register(actor=actor, data=data)
            body = json.loads(json.dumps(answer(case), cls=DjangoJSONEncoder))
            IdempotencyKey.objects.create(
                user=actor,
                key=key,
                fingerprint=fingerprint,
                case=case,
                created_at=timezone.now(),
                answer_enc=crypto.encrypt(json.dumps(body)),
            )
            return body, True
    except IntegrityError:
        found = replay()
        if found is None:
            raise
        return found, False


def idempotency_horizon() -> datetime:
    """Keys created before this moment are expired."""
    return timezone.now() - timedelta(hours=max(settings.IDEMPOTENCY_KEY_HOURS, 1))


def idempotency_keys_purge() -> int:
    """Delete expired Idempotency-Keys (housekeeping: the complaints stay); returns how many."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=idempotency_horizon()).delete()
    return deleted


# ---------------------------------------------------------------- suggestions while typing


@transaction.atomic
def intake_suggestions(
    *,
    actor: User,
    cnie: str = "",
    phone: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    category: str = "",
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """What the intake form shows while the officer types: earlier complaints of the same person
    (by keyed hash, no decryption) and similar complaints nearby, among those the officer may list.
    Invalid partial input suggests nothing. A lookup by CNIE or phone is a read of personal data
    (it tells whether this person complained before): it is logged, without the values."""
    if not access.allows(actor.roles, access.REGISTER):
        raise PermissionDenied(_("Your role does not allow registering complaints."))
    found: dict[str, dict[str, Any]] = {}
    cnie_n, phone_n = _quietly(normalize_cnie, cnie), _quietly(normalize_phone, phone)
    if cnie_n or phone_n:
        earlier = list(selectors.earlier_cases_of_person(actor, cnie=cnie_n, phone=phone_n, exclude_id=exclude_id))
        audit_record(
            actor=actor,
            action="personal_data.lookup",
            object_type="cases.complainant",
            object_id="-",
            after={
                "fields": [f for f, v in (("cnie", cnie_n), ("phone", phone_n)) if v],
                "found": [c.pk for c in earlier],
            },
        )
        for case in earlier:
            found[case.reference] = _row(case, gettext("Same person"), None)
    if latitude is not None and longitude is not None:
        cat = selectors.active_categories().filter(code=category).first() if category else None
        for case, distance in selectors.similar_cases_nearby(
            actor, latitude=latitude, longitude=longitude, category=cat, exclude_id=exclude_id
        ):
            found.setdefault(case.reference, _row(case, gettext("Similar complaint nearby"), distance))
    return list(found.values())


def _quietly(normalise: Callable[[str], str], raw: str) -> str:
    try:
        return normalise(raw) if raw and raw.strip() else ""
    except DomainError:
        return ""


def _row(case: Case, reason: str, distance: int | None) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "category_name": case.category.name,
        "created_at": case.created_at,
        "state_label": str(State(case.state).label),
        "reason": str(reason),
        "distance_m": distance,
    }
