"""What the complaint services share: the audit snapshot, timeline events, visibility and row locks,
and attachments written inside the transaction (deleted again if it rolls back)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.choices import EventKind
from cases.models import Attachment, Case, CaseEvent
from cases.selectors import may
from core.errors import Conflict, NotFound, PermissionDenied
from core.files import Sniffed, check_attachment
from core.inserts import insert
from org import access
from org.models import User

DESCRIPTION_MAX = 5000


class Upload(Protocol):
    """An uploaded file as Django and django-ninja hand it over (name and size may be missing)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, n: int = -1) -> bytes: ...

    def seek(self, pos: int) -> Any: ...


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
        "offence": case.offence_id,
        "prosecutor_office": case.prosecutor_office,
        "prosecutor_reference": case.prosecutor_reference,
        "version": case.version,
    }


def add_event(case: Case, kind: str, actor: User | None, now: datetime, **kw: Any) -> CaseEvent:
    return insert(CaseEvent(case=case, kind=kind, actor=actor, at=now, **kw))


class files_removed_on_failure:
    """Files are written inside the transaction; if it rolls back, they are deleted."""

    def __enter__(self) -> list:
        self.written: list = []
        return self.written

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is not None:
            for storage, name in self.written:
                if storage.exists(name):
                    storage.delete(name)


def check_upload(upload: Upload) -> tuple[Upload, Sniffed]:
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    return upload, check_attachment(upload.name or "", int(upload.size or 0), head)


def store_attachment(
    case: Case, actor: User, upload: Upload, sniffed: Sniffed, now: datetime, written: list[tuple[Any, str]]
) -> Attachment:
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
    written.append((att.file.storage, att.file.name or ""))
    att.save()
    add_event(
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


def require_visible(actor: User, case: Case) -> None:
    """Services re-check the policy themselves: a case the actor may not open is "not found"."""
    if not may(actor, access.OPEN, case):
        raise NotFound(_("No complaint with this reference in your jurisdiction."))


def require(actor: User, act: str, case: Case, refusal: Any) -> None:
    """The actor may open the case (else 404) and do `act` on it (else 403 with `refusal`)."""
    require_visible(actor, case)
    if not may(actor, act, case):
        raise PermissionDenied(refusal)


def require_worker(actor: User, case: Case) -> None:
    require(actor, access.WORK, case, _("Your role does not allow working on this complaint."))


def lock_case(case: Case, version: int | None, actor: User) -> Case:
    """Re-read the case under a row lock; refuse if someone changed it since the user read it.

    The jurisdiction is checked again here, not only by the caller's selector: a service never
    acts on a case its actor may not see.
    """
    require_visible(actor, case)
    locked = Case.objects.select_for_update().select_related("category", "assigned_unit").get(pk=case.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            _("This complaint was changed by someone else while you were working on it. Reload it and try again.")
        )
    return locked
