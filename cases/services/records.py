"""What officers add to a case and what they read from it: notes, attachments, links between
complaints, the complainant's personal data (logged) and the receipt."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.choices import EventKind, RevealPurpose
from cases.models import Attachment, Case, CaseEvent, CaseLink
from cases.selectors import ComplainantView, complainant_decrypted
from cases.services.base import (
    DESCRIPTION_MAX,
    Upload,
    add_event,
    check_upload,
    files_removed_on_failure,
    require,
    require_visible,
    require_worker,
    store_attachment,
)
from cases.workflow import action_allowed
from core import crypto
from core.errors import Conflict, ValidationFailed
from org import access
from org.models import User


@transaction.atomic
def attachment_read(*, attachment: Attachment, actor: User) -> Attachment:
    """Record that a file was opened: attachments may hold personal data (law 09-08)."""
    require(actor, access.FILES, attachment.case, _("Your role does not allow opening this complaint's files."))
    now = timezone.now()
    add_event(
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
    with files_removed_on_failure() as written, transaction.atomic():
        require_worker(actor, case)
        if not action_allowed("attach", case.state):
            raise Conflict(_("A closed complaint takes no new file: reopen it first."), code="action_not_allowed")
        upload_, sniffed = check_upload(upload)
        return store_attachment(case, actor, upload_, sniffed, timezone.now(), written)


@transaction.atomic
def case_add_note(*, case: Case, actor: User, note: str) -> CaseEvent:
    require_worker(actor, case)
    if not action_allowed("note", case.state):
        raise Conflict(_("No note can be added in this state."), code="action_not_allowed")
    text = (note or "").strip()
    if not text:
        raise ValidationFailed(_("The note is empty."), fields={"note": _("Required.")})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationFailed(_("The note is too long."), fields={"note": _("Too long.")})
    now = timezone.now()
    event = add_event(case, EventKind.NOTE, actor, now, note=text)
    audit_record(actor=actor, action="case.note", obj=case, after={"event": event.pk, "length": len(text)})
    return event


def link_cases(case: Case, other: Case, actor: User, reason: str, now: datetime) -> CaseLink:
    """Link two complaints. Each timeline names the other by id: a reader is shown the other
    reference only if they may open that case (cases.selectors.timeline_rows)."""
    if other.pk == case.pk:
        raise ValidationFailed(_("A complaint cannot be linked to itself."), fields={"other": _("Same complaint.")})
    require_visible(actor, other)  # nobody links to, or learns of, a case outside their reach
    link, created = CaseLink.objects.get_or_create(
        from_case=case, to_case=other, defaults={"reason": reason[:200], "created_by": actor, "created_at": now}
    )
    if created:
        add_event(case, EventKind.LINK, actor, now, note=reason[:200], data={"other_id": other.pk})
        add_event(other, EventKind.LINK, actor, now, note=reason[:200], data={"other_id": case.pk})
        audit_record(actor=actor, action="case.link", obj=case, after={"other": other.pk, "reason": reason[:200]})
    return link


@transaction.atomic
def case_link(*, case: Case, other: Case, actor: User, reason: str = "") -> CaseLink:
    """State that two complaints are about the same facts or person (both must be visible)."""
    require_worker(actor, case)
    return link_cases(case, other, actor, reason, timezone.now())


PERSONAL_FIELDS = ("full_name", "cnie", "phone")


@transaction.atomic
def complainant_reveal(
    *, case: Case, actor: User, purpose: str, fields: tuple[str, ...] = PERSONAL_FIELDS
) -> ComplainantView | None:
    """Decrypt the complainant for display, for a stated purpose; the read (who, whose, which fields,
    why) goes on the case's timeline and into the audit chain. Fields not asked for stay blank."""
    require(actor, access.REVEAL, case, _("Your role does not allow showing this complainant's identity."))
    if purpose not in RevealPurpose.values:
        raise ValidationFailed(
            _("Say why you need the complainant's identity."), fields={"purpose": _("Choose a purpose.")}
        )
    if not fields or any(f not in PERSONAL_FIELDS for f in fields):
        raise ValidationFailed(_("Choose what to show."), fields={"fields": _("Unknown field.")})
    view = complainant_decrypted(case)
    if view is None or view.anonymous:
        return view
    view = ComplainantView(
        anonymous=False,
        language=view.language,
        **{name: getattr(view, name) if name in fields else "" for name in PERSONAL_FIELDS},
    )
    now = timezone.now()
    fields = tuple(n for n in PERSONAL_FIELDS if getattr(view, n))
    add_event(case, EventKind.PERSONAL_DATA_READ, actor, now, data={"fields": fields, "purpose": purpose})
    audit_record(actor=actor, action="personal_data.read", obj=case, after={"fields": fields, "purpose": purpose})
    return view


@transaction.atomic
def receipt_issue(*, case: Case, actor: User) -> str:
    """Decrypt the tracking code for the receipt; printing is recorded like any other act."""
    now = timezone.now()
    add_event(case, EventKind.RECEIPT, actor, now)
    audit_record(actor=actor, action="case.receipt", obj=case, after={"reference": case.reference})
    return crypto.decrypt(case.tracking_code_enc)
