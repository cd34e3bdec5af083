"""Every write to complaints: intake, transitions, assignment, notes, attachments, links, reads of
personal data and the deadline sweep. Each runs in one transaction with its audit record."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases import deadlines, hooks
from cases.choices import Channel, EventKind, Outcome, Priority, Sensitivity, State
from cases.models import Attachment, Case, CaseEvent, CaseLink, Category, Complainant, Escalation
from cases.references import new_tracking_code, next_reference, normalize_tracking_code
from cases.routing import route_propose
from cases.selectors import ComplainantView, complainant_decrypted, visible_cases
from cases.workflow import FIELD_LABELS, TRANSITIONS, Transition
from core import crypto
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.files import check_attachment
from core.geo import validate_point
from core.validators import normalize_cnie, normalize_phone
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.selectors import chiefs_of

DESCRIPTION_MAX = 5000
INTAKE_ROLES = (
    Role.FRONT_DESK,
    Role.INVESTIGATOR,
    Role.UNIT_CHIEF,
    Role.DISPATCHER,
    Role.OVERSIGHT,
    Role.INSPECTOR,
    Role.PORTAL,
)


class Upload(Protocol):
    name: str
    size: int

    def read(self, n: int = -1) -> bytes: ...

    def seek(self, pos: int) -> Any: ...


@dataclass
class ComplainantInput:
    anonymous: bool = False
    full_name: str = ""
    cnie: str = ""
    phone: str = ""
    language: str = "ar"


@dataclass
class IntakeInput:
    channel: str
    category: Category
    description: str
    complainant: ComplainantInput = field(default_factory=ComplainantInput)
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    priority: str = ""
    assigned_unit: Unit | None = None
    assigned_officer: User | None = None
    routing_reason: str = ""
    external_reference: str = ""
    link_to: Sequence[Case] = ()


def snapshot(case: Case) -> dict[str, Any]:
    """What the audit keeps of a case: its workflow fields, never personal data."""
    return {
        "reference": case.reference,
        "state": case.state,
        "category": case.category_id,
        "priority": case.priority,
        "assigned_unit": case.assigned_unit_id,
        "assigned_officer": case.assigned_officer_id,
        "outcome": case.outcome,
        "prosecutor_office": case.prosecutor_office,
        "prosecutor_reference": case.prosecutor_reference,
        "version": case.version,
    }


def _event(case: Case, kind: str, actor: User | None, now: datetime, **kw: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=now, **kw)


# ---------------------------------------------------------------- intake


def _validate_intake(actor: User, data: IntakeInput) -> ComplainantInput:
    errors: dict[str, Any] = {}
    if not actor.has_role(*INTAKE_ROLES):
        raise PermissionDenied(_("Your role does not allow registering complaints."))
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if not data.category.active:
        errors["category"] = _("This category is no longer in use.")
    description = (data.description or "").strip()
    if not description:
        errors["description"] = _("Describe the facts.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX}
    if data.priority and data.priority not in Priority.values:
        errors["priority"] = _("Unknown priority.")
    if len(data.address) > 300:
        errors["address"] = _("The address is too long.")
    if errors:
        raise ValidationFailed(_("The complaint cannot be registered: correct the marked fields."), fields=errors)
    validate_point(data.latitude, data.longitude)
    c = data.complainant
    if c.anonymous:
        if not data.category.allows_anonymous:
            raise ValidationFailed(
                _("This category does not accept anonymous complaints."), fields={"anonymous": _("Not allowed.")}
            )
        return ComplainantInput(anonymous=True, language=c.language)
    if not c.full_name.strip():
        raise ValidationFailed(
            _("Give the complainant's name or mark the complaint anonymous."), fields={"full_name": _("Required.")}
        )
    cleaned = ComplainantInput(
        full_name=c.full_name.strip()[:200],
        cnie=normalize_cnie(c.cnie) if c.cnie.strip() else "",
        phone=normalize_phone(c.phone) if c.phone.strip() else "",
        language=c.language if c.language in {"ar", "fr", "en"} else "ar",
    )
    return cleaned


def _choose_unit(actor: User, data: IntakeInput) -> tuple[Unit, Unit | None]:
    proposed = route_propose(category=data.category, latitude=data.latitude, longitude=data.longitude)
    if data.category.sensitivity == Sensitivity.AGAINST_OFFICER and proposed is not None:
        return proposed, proposed  # never left at the counter's unit
    if data.assigned_unit is not None:
        if data.assigned_unit.kind not in (UnitKind.DISTRICT, UnitKind.DUTY, UnitKind.INSPECTORATE, UnitKind.AREA):
            raise ValidationFailed(
                _("A complaint is assigned to a district, a duty service or the Inspectorate."),
                fields={"assigned_unit": _("Not a station.")},
            )
        return data.assigned_unit, proposed
    if proposed is not None:
        return proposed, proposed
    if actor.unit is None:
        raise ValidationFailed(
            _("Choose the unit that will handle the complaint."), fields={"assigned_unit": _("Required.")}
        )
    return actor.unit, proposed


def complaint_register(*, actor: User, data: IntakeInput, attachments: Sequence[Upload] = ()) -> Case:
    """Register a complaint from any channel; returns the case with `.tracking_code` set (shown once
    on the receipt, stored encrypted)."""
    with _files_removed_on_failure() as written:
        return _complaint_register(actor=actor, data=data, attachments=attachments, written=written)


@transaction.atomic
def _complaint_register(*, actor: User, data: IntakeInput, attachments: Sequence[Upload], written: list) -> Case:
    complainant = _validate_intake(actor, data)
    checked = [_check_upload(u) for u in attachments]  # every file refused before anything is written
    unit, proposed = _choose_unit(actor, data)
    now = timezone.now()
    tracking = new_tracking_code()
    case = Case(
        reference=next_reference(_reference_prefix(unit), timezone.localtime(now).year),
        tracking_code_enc=crypto.encrypt(tracking),
        tracking_code_hash=crypto.keyed_hash("tracking", normalize_tracking_code(tracking)),
        channel=data.channel,
        external_reference=data.external_reference.strip()[:64],
        category=data.category,
        sensitivity=data.category.sensitivity,
        description=data.description.strip(),
        address=data.address.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        priority=data.priority or data.category.default_priority,
        state=State.RECEIVED,
        assigned_unit=unit,
        assigned_officer=data.assigned_officer,
        proposed_unit=proposed,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    deadlines.start_clock(case, now)
    case.save()
    Complainant.objects.create(
        case=case,
        anonymous=complainant.anonymous,
        full_name_enc=crypto.encrypt(complainant.full_name),
        cnie_enc=crypto.encrypt(complainant.cnie),
        cnie_hash=crypto.keyed_hash("cnie", complainant.cnie),
        phone_enc=crypto.encrypt(complainant.phone),
        phone_hash=crypto.keyed_hash("phone", complainant.phone),
        language=complainant.language,
    )
    routing: dict[str, Any] = {"proposed_unit": proposed.pk if proposed else None, "assigned_unit": unit.pk}
    note = ""
    if proposed is not None and unit != proposed:
        note = data.routing_reason.strip()[:300]
        routing["override_reason"] = note
    _event(case, EventKind.CREATED, actor, now, to_state=State.RECEIVED, data=routing, note=note)
    audit_record(
        actor=actor,
        action="case.create",
        obj=case,
        after={**snapshot(case), "channel": case.channel, "anonymous": complainant.anonymous, **routing},
    )
    for upload, sniffed in checked:
        _store_attachment(case, actor, upload, sniffed, now, written)
    for other in data.link_to:
        _link(case, other, actor, str(_("Suggested at intake")), now)
    case.tracking_code = tracking  # type: ignore[attr-defined]
    return case


class _files_removed_on_failure:
    """Files are written inside the transaction; if it rolls back, they are deleted."""

    def __enter__(self) -> list:
        self.written: list = []
        return self.written

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            for storage, name in self.written:
                if storage.exists(name):
                    storage.delete(name)


def _reference_prefix(unit: Unit) -> str:
    for u in [unit, *reversed(unit.ancestors())]:
        if u.kind == UnitKind.WILAYA:
            return u.reference_prefix
    return unit.reference_prefix


def _check_upload(upload: Upload):
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    return upload, check_attachment(upload.name or "", int(upload.size or 0), head)


def _store_attachment(case: Case, actor: User, upload: Upload, sniffed, now: datetime, written: list) -> Attachment:
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    att = Attachment(
        case=case,
        original_name=(upload.name or "")[:255],
        content_type=sniffed.content_type,
        extension=sniffed.extension,
        size=len(content),
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=now,
    )
    att.file.save(f"{digest}.{sniffed.extension}", ContentFile(content), save=False)
    written.append((att.file.storage, att.file.name))
    att.save()
    _event(
        case,
        EventKind.ATTACHMENT,
        actor,
        now,
        data={"name": att.original_name, "size": att.size, "type": att.content_type},
    )
    audit_record(
        actor=actor,
        action="case.attach",
        obj=att,
        after={"case": case.pk, "sha256": digest, "size": att.size, "type": att.content_type},
    )
    return att


@transaction.atomic
def attachment_read(*, attachment: Attachment, actor: User) -> Attachment:
    """Record that a file was opened: attachments may hold personal data (law 09-08)."""
    now = timezone.now()
    _event(
        attachment.case,
        EventKind.PERSONAL_DATA_READ,
        actor,
        now,
        data={"fields": ["attachment"], "purpose": attachment.original_name},
    )
    audit_record(actor=actor, action="attachment.read", obj=attachment, after={"case": attachment.case_id})
    return attachment


def case_attach(*, case: Case, actor: User, upload: Upload) -> Attachment:
    """Add a file to an open case (type and size checked from the bytes)."""
    with _files_removed_on_failure() as written, transaction.atomic():
        _require_worker(actor, case)
        upload_, sniffed = _check_upload(upload)
        return _store_attachment(case, actor, upload_, sniffed, timezone.now(), written)


# ---------------------------------------------------------------- workflow


@dataclass
class TransitionInput:
    note: str = ""
    outcome: str = ""
    prosecutor_office: str = ""
    prosecutor_reference: str = ""
    unit: Unit | None = None


def _require_visible(actor: User, case: Case) -> None:
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise NotFound(_("No complaint with this reference in your jurisdiction."))


def _require_worker(actor: User, case: Case) -> None:
    _require_visible(actor, case)
    if not actor.has_role(Role.INVESTIGATOR, Role.UNIT_CHIEF, Role.FRONT_DESK, Role.INSPECTOR):
        raise PermissionDenied(_("Your role does not allow working on complaints."))


def _lock(case: Case, version: int | None, actor: User) -> Case:
    """Re-read the case under a row lock; refuse if someone changed it since the user read it.

    The jurisdiction is checked again here, not only by the caller's selector: a service never
    acts on a case its actor may not see.
    """
    _require_visible(actor, case)
    locked = Case.objects.select_for_update().select_related("category", "assigned_unit").get(pk=case.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            _("This complaint was changed by someone else while you were working on it. Reload it and try again.")
        )
    return locked


def _check_fields(t: Transition, data: TransitionInput) -> None:
    missing = {}
    for name in t.required:
        value = getattr(data, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing[name] = _("%(field)s is required.") % {"field": FIELD_LABELS[name]}
    if missing:
        raise ValidationFailed(
            _("%(action)s needs: %(fields)s.")
            % {"action": t.label, "fields": ", ".join(str(FIELD_LABELS[n]) for n in missing)},
            fields=missing,
        )
    if data.outcome and data.outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown outcome."), fields={"outcome": _("Unknown outcome.")})
    if len(data.note) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The note is too long."), fields={"note": _("Too long.")})
    if len(data.prosecutor_reference) > 64 or len(data.prosecutor_office) > 200:
        raise ValidationFailed(
            _("The prosecutor's reference is too long."), fields={"prosecutor_reference": _("Too long.")}
        )


@transaction.atomic
def case_transition(
    *, case: Case, actor: User, transition: str, version: int | None = None, data: TransitionInput | None = None
) -> Case:
    """The only writer of `Case.state`: checks the workflow table, the role and the required fields,
    moves the clock, records the timeline and the audit."""
    data = data or TransitionInput()
    t = TRANSITIONS.get(transition)
    if t is None:
        raise ValidationFailed(_("Unknown action."), fields={"transition": _("Unknown action.")})
    locked = _lock(case, version, actor)
    if locked.state not in t.sources:
        raise Conflict(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": t.label, "state": State(locked.state).label},
            code="transition_not_allowed",
        )
    if not actor.has_role(*t.roles):
        raise PermissionDenied(_("Your role does not allow “%(action)s”.") % {"action": t.label})
    _check_fields(t, data)
    before = snapshot(locked)
    now = timezone.now()
    from_state = locked.state
    if t.target is None:
        _apply_transfer(locked, actor, data, now)
    else:
        _apply_move(locked, t, data, now)
    locked.version += 1
    locked.updated_at = now
    locked.save()
    _event(
        locked,
        EventKind.TRANSFER if t.target is None else EventKind.TRANSITION,
        actor,
        now,
        transition=t.name,
        from_state=from_state,
        to_state=locked.state,
        note=data.note.strip(),
        data=_event_details(t, locked, before),
    )
    audit_record(actor=actor, action=f"case.{t.name}", obj=locked, before=before, after=snapshot(locked))
    event = hooks.TransitionEvent(locked.pk, t.name, from_state, locked.state, actor.pk)
    transaction.on_commit(lambda: hooks.notify_transition(event))
    return locked


def _apply_move(case: Case, t: Transition, data: TransitionInput, now: datetime) -> None:
    assert t.target is not None
    if t.name == "close":
        if data.outcome == Outcome.SOLVED and case.category.prosecutor_mandatory and case.referred_at is None:
            raise ValidationFailed(
                _("This category requires a referral to the prosecutor before it can be closed as solved."),
                fields={"outcome": _("Refer to the prosecutor first.")},
            )
        case.outcome = data.outcome
        case.closed_at = now
        case.closed_within_deadline = case.within_deadline(now)
    if t.name == "refer":
        case.prosecutor_office = data.prosecutor_office.strip()
        case.prosecutor_reference = data.prosecutor_reference.strip()
        case.referred_at = now
    if t.name == "record_instructions":
        case.instructions_at = now
    if t.name in ("reopen", "citizen_reopen"):
        case.reopen_count += 1
        case.outcome = ""
        case.closed_at = None
        case.closed_within_deadline = None
    if case.first_action_at is None and case.state == State.RECEIVED:
        case.first_action_at = now
    deadlines.enter_state(case, t.target, now)
    case.state = t.target


def _apply_transfer(case: Case, actor: User, data: TransitionInput, now: datetime) -> None:
    unit = data.unit
    if unit is None or unit.kind not in (UnitKind.DISTRICT, UnitKind.DUTY, UnitKind.INSPECTORATE, UnitKind.AREA):
        raise ValidationFailed(
            _("Choose a district, a duty service or the Inspectorate."), fields={"unit": _("Not a station.")}
        )
    if unit.pk == case.assigned_unit_id:
        raise ValidationFailed(_("The complaint is already with this unit."), fields={"unit": _("Same unit.")})
    case.assigned_unit = unit
    case.assigned_officer = None


def _event_details(t: Transition, case: Case, before: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if t.name == "transfer":
        details = {"from_unit": before["assigned_unit"], "to_unit": case.assigned_unit_id}
    elif t.name == "refer":
        details = {"prosecutor_office": case.prosecutor_office, "prosecutor_reference": case.prosecutor_reference}
    elif t.name == "close":
        details = {"outcome": case.outcome, "within_deadline": case.closed_within_deadline}
    return details


@transaction.atomic
def case_assign(*, case: Case, actor: User, officer: User | None, version: int | None = None) -> Case:
    """A chief gives the case to an officer of the assigned unit (or takes it back)."""
    locked = _lock(case, version, actor)
    if not actor.has_role(Role.UNIT_CHIEF, Role.INSPECTOR):
        raise PermissionDenied(_("Only a unit chief assigns complaints."))
    if officer is not None and (officer.unit_id != locked.assigned_unit_id or not officer.is_active):
        raise ValidationFailed(
            _("The officer must belong to the unit handling the complaint."), fields={"officer": _("Not in this unit.")}
        )
    before = snapshot(locked)
    now = timezone.now()
    locked.assigned_officer = officer
    locked.version += 1
    locked.updated_at = now
    locked.save(update_fields=["assigned_officer", "version", "updated_at"])
    _event(
        locked,
        EventKind.ASSIGNMENT,
        actor,
        now,
        data={"officer": officer.pk if officer else None, "name": officer.get_full_name() if officer else ""},
    )
    audit_record(actor=actor, action="case.assign", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def case_add_note(*, case: Case, actor: User, note: str) -> CaseEvent:
    _require_worker(actor, case)
    text = (note or "").strip()
    if not text:
        raise ValidationFailed(_("The note is empty."), fields={"note": _("Required.")})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The note is too long."), fields={"note": _("Too long.")})
    now = timezone.now()
    event = _event(case, EventKind.NOTE, actor, now, note=text)
    audit_record(actor=actor, action="case.note", obj=case, after={"event": event.pk, "length": len(text)})
    return event


def _link(case: Case, other: Case, actor: User, reason: str, now: datetime) -> CaseLink:
    if other.pk == case.pk:
        raise ValidationFailed(_("A complaint cannot be linked to itself."), fields={"other": _("Same complaint.")})
    _require_visible(actor, other)  # nobody links to, or learns of, a case outside their reach
    link, created = CaseLink.objects.get_or_create(
        from_case=case, to_case=other, defaults={"reason": reason[:200], "created_by": actor, "created_at": now}
    )
    if created:
        _event(case, EventKind.LINK, actor, now, note=reason[:200], data={"other": other.reference})
        _event(other, EventKind.LINK, actor, now, note=reason[:200], data={"other": case.reference})
        audit_record(actor=actor, action="case.link", obj=case, after={"other": other.pk, "reason": reason[:200]})
    return link


@transaction.atomic
def case_link(*, case: Case, other: Case, actor: User, reason: str = "") -> CaseLink:
    """State that two complaints are about the same facts or person (both must be visible)."""
    _require_worker(actor, case)
    return _link(case, other, actor, reason, timezone.now())


@transaction.atomic
def complainant_reveal(*, case: Case, actor: User, purpose: str = "case page") -> ComplainantView | None:
    """Decrypt the complainant for display and log the read in the timeline and the audit chain."""
    _require_visible(actor, case)
    view = complainant_decrypted(case)
    if view is None or view.anonymous:
        return view
    now = timezone.now()
    fields = [n for n in ("full_name", "cnie", "phone") if getattr(view, n)]
    _event(case, EventKind.PERSONAL_DATA_READ, actor, now, data={"fields": fields, "purpose": purpose})
    audit_record(actor=actor, action="personal_data.read", obj=case, after={"fields": fields, "purpose": purpose})
    return view


@transaction.atomic
def receipt_issue(*, case: Case, actor: User) -> str:
    """Decrypt the tracking code for the receipt; printing is recorded like any other act."""
    now = timezone.now()
    _event(case, EventKind.RECEIPT, actor, now)
    audit_record(actor=actor, action="case.receipt", obj=case, after={"reference": case.reference})
    return crypto.decrypt(case.tracking_code_enc)


# ---------------------------------------------------------------- deadlines


def _escalation_unit(case: Case, level: int) -> Unit:
    """Level 1: the unit itself; 2: the area above it; 3: the wilaya."""
    chain = [case.assigned_unit, *reversed(case.assigned_unit.ancestors())]
    wanted = {2: UnitKind.AREA, 3: UnitKind.WILAYA}.get(level)
    if wanted is None:
        return case.assigned_unit
    for unit in chain:
        if unit.kind == wanted:
            return unit
    return chain[min(level - 1, len(chain) - 1)]


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Mark overdue cases and escalate them level by level. Idempotent; run periodically."""
    now = now or timezone.now()
    delays = [timedelta(hours=h) for h in settings.ESCALATION_DELAYS_HOURS]
    stats = {"overdue": 0, "escalations": 0}
    candidates = (
        Case.objects.filter(clock_running_since__isnull=False)
        .filter(Q(state_due_at__lt=now) | Q(closure_due_at__lt=now))
        .values_list("pk", flat=True)
    )
    for pk in list(candidates.iterator()):
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("assigned_unit", "category").get(pk=pk)
            due = deadlines.missed_deadline(case)
            if due is None or due >= now:
                continue
            if not case.overdue:
                case.overdue = True
                stats["overdue"] += 1
                audit_record(actor=None, action="case.overdue", obj=case, after={"due_at": due})
            late = now - due
            level = case.escalation_level
            while level < len(delays) and late >= delays[level]:
                level += 1
                unit = _escalation_unit(case, level)
                esc, created = Escalation.objects.get_or_create(
                    case=case, level=level, due_at=due, defaults={"unit": unit, "at": now}
                )
                if created:
                    esc.recipients.set(chiefs_of(unit))
                    _event(
                        case,
                        EventKind.ESCALATION,
                        None,
                        now,
                        data={"level": level, "unit": unit.pk, "unit_name": unit.name_fr},
                    )
                    audit_record(
                        actor=None,
                        action="case.escalate",
                        obj=case,
                        after={"level": level, "unit": unit.pk, "due_at": due},
                    )
                    stats["escalations"] += 1
            case.escalation_level = level
            case.save(update_fields=["overdue", "escalation_level"])
    return stats


# ---------------------------------------------------------------- idempotent API intake


def complaint_register_idempotent(*, actor: User, data: IntakeInput, key: str, fingerprint: str) -> tuple[Case, bool]:
    """Register once per (user, Idempotency-Key): a retry returns the first case and False.

    The key row is written in the same transaction as the case, so a crash between them is
    impossible; two retries racing each other meet on the unique constraint and the loser
    returns the winner's case.
    """
    from django.db import IntegrityError

    from cases.models import IdempotencyKey

    def existing() -> Case | None:
        row = IdempotencyKey.objects.select_related("case").filter(user=actor, key=key).first()
        if row is None:
            return None
        if row.fingerprint != fingerprint:
            raise Conflict(
                _("This Idempotency-Key was already used for a different complaint."), code="idempotency_key_reused"
            )
        return row.case

    found = existing()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            case = complaint_register(actor=actor, data=data)
            IdempotencyKey.objects.create(
                user=actor, key=key, fingerprint=fingerprint, case=case, created_at=timezone.now()
            )
            return case, True
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found, False
