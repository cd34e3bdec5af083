"""Reads of the citizen portal: tracking by reference and code, a citizen's own complaints, the
outbox. Nothing here returns a note, an officer or anyone's personal data to a citizen."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Max, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.choices import EventKind, Sensitivity, State
from cases.models import Case, CaseEvent, Category
from cases.references import normalize_tracking_code
from core import crypto
from identity.models import Citizen
from jobs.selectors import pending_arguments
from org import access
from org.models import User
from portal import conf
from portal.models import Notification, NotificationStatus, OnlineFiling, OutboxMessage, SurveyResponse
from portal.signing import survey_token
from portal.wording import PUBLIC_OUTCOME, PUBLIC_STATE, PUBLIC_STEP, public_category

# Compared against when the reference is unknown, so that an unknown reference and a wrong code
# take the same path (one query, one keyed hash, one constant-time comparison).
_NO_HASH = "0" * 64
REFERENCE_MAX = 32
CODE_MAX = 40


@dataclass
class Step:
    label: str
    at: datetime


@dataclass
class PublicCase:
    """What a citizen may read about a complaint: no note, no officer, no personal data."""

    reference: str
    category: str
    state: str
    state_label: str
    unit: str
    filed_at: datetime
    steps: list[Step] = field(default_factory=list)


def categories_for(*, signed_in: bool) -> QuerySet[Category]:
    """Categories offered on the filing form. A visitor who is not signed in may only report
    anonymously, so sees the categories that allow it, and never a sensitive one."""
    qs = Category.objects.filter(active=True).order_by("code")
    if not signed_in:
        qs = qs.filter(allows_anonymous=True, sensitivity=Sensitivity.NORMAL)
    return qs


def case_id_for_tracking(reference: str, code: str) -> int | None:
    """The case whose reference and tracking code both match, else None.

    The code is compared as its keyed hash in constant time, and the same work is done whether
    the reference exists, is unknown or is malformed: nobody learns that a reference exists.
    """
    ref = (reference or "").strip().upper()[:REFERENCE_MAX]
    normalized = normalize_tracking_code((code or "")[:CODE_MAX]) or "-"
    offered = crypto.keyed_hash("tracking", normalized)
    row = Case.objects.filter(reference=ref).values_list("pk", "tracking_code_hash").first()
    stored = row[1] if row is not None else _NO_HASH
    matches = hmac.compare_digest(stored.encode(), offered.encode())
    return row[0] if (matches and row is not None) else None


PUBLIC_EVENT_KINDS = (EventKind.CREATED, EventKind.TRANSITION, EventKind.TRANSFER)


def _public_events() -> Prefetch:
    return Prefetch(
        "events",
        queryset=CaseEvent.objects.filter(kind__in=PUBLIC_EVENT_KINDS)
        .only("case_id", "kind", "transition", "at", "data")
        .order_by("at", "id"),
        to_attr="public_events",
    )


def public_case(case_id: int) -> PublicCase:
    case = Case.objects.select_related("category", "assigned_unit").prefetch_related(_public_events()).get(pk=case_id)
    return _public_view(case)


def _public_view(case: Case) -> PublicCase:
    """Build the citizen's view of a case whose `public_events` were prefetched."""
    steps = []
    for e in case.public_events:  # type: ignore[attr-defined]
        name = "created" if e.kind == EventKind.CREATED else e.transition
        label = PUBLIC_STEP.get(name)
        if label is None:
            continue
        text = str(label)
        if name == "close":
            outcome = PUBLIC_OUTCOME.get((e.data or {}).get("outcome", ""))
            if outcome:
                text = f"{text}: {outcome}"
        steps.append(Step(text, e.at))
    normal = case.sensitivity == Sensitivity.NORMAL
    return PublicCase(
        reference=case.reference,
        category=public_category(case.category),
        state=case.state,
        state_label=str(PUBLIC_STATE.get(case.state, case.state)),
        # Where the complaint is handled, by name; for a protected case not even that.
        unit=case.assigned_unit.display_name if normal else "",
        filed_at=case.created_at,
        steps=steps,
    )


@dataclass
class MyCase:
    public: PublicCase
    can_reopen: bool
    reopen_until: datetime | None
    survey_token: str
    survey_done: bool


def filings_of(citizen: Citizen) -> QuerySet[OnlineFiling]:
    return (
        OnlineFiling.objects.filter(citizen=citizen)
        .select_related("case", "case__category", "case__assigned_unit")
        .order_by("-created_at", "-id")
    )


def filing_of(citizen: Citizen, reference: str) -> OnlineFiling | None:
    return filings_of(citizen).filter(case__reference=(reference or "").strip().upper()).first()


def reopen_deadline(filing: OnlineFiling) -> datetime | None:
    closed_at = filing.case.closed_at
    return closed_at + timedelta(days=conf.reopen_days()) if closed_at else None


def can_reopen(filing: OnlineFiling, now: datetime | None = None) -> bool:
    deadline = reopen_deadline(filing)
    now = now or timezone.now()
    return (
        filing.case.state == State.CLOSED
        and not filing.reopen_used
        and filing.citizen_id is not None
        and deadline is not None
        and now <= deadline
    )


def my_cases(citizen: Citizen) -> list[MyCase]:
    filings = list(filings_of(citizen)[:100])
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=[f.case_id for f in filings])
        .select_related("category", "assigned_unit")
        .prefetch_related(_public_events())
    }
    answered = set(
        SurveyResponse.objects.filter(case_id__in=[f.case_id for f in filings]).values_list("case_id", flat=True)
    )
    rows = []
    for f in filings:
        closed = f.case.state == State.CLOSED
        rows.append(
            MyCase(
                public=_public_view(cases[f.case_id]),
                can_reopen=can_reopen(f),
                reopen_until=reopen_deadline(f) if closed else None,
                survey_token=survey_token(f.case_id) if closed and f.case_id not in answered else "",
                survey_done=f.case_id in answered,
            )
        )
    return rows


LINK = re.compile(r"https?://\S+")


def mask_address(value: str) -> str:
    """+212612345678 → +2126•••••678; fatima@example.org → f•••@example.org. Enough for an
    administrator to tell messages apart, not to call or write to anyone."""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}•••@{domain}"
    if len(value) > 8:
        return value[:5] + "•" * (len(value) - 8) + value[-3:]
    return "•" * len(value)


def outbox_messages(user: User, limit: int = 50) -> list[dict[str, Any]]:
    """The notification outbox for an administrator checking the notification service, newest
    first: addresses masked, links (survey links are personal) replaced by a mark."""
    if not access.allows(user.roles, access.OUTBOX):
        return []
    return [
        {
            "channel": m.get_channel_display(),
            "to": mask_address(crypto.decrypt(m.recipient_enc)),
            "subject": m.subject,
            "body": LINK.sub("[…]", m.body),
            "language": m.language,
            "at": m.created_at,
        }
        for m in OutboxMessage.objects.all()[:limit]
    ]


# The sending task by path (portal.tasks imports the services, which import this module).
SEND_TASK_PATH = "portal.tasks.send_notification"
OWED_BATCH = 500


def notifications_owed_without_task(*, grace_seconds: int, limit: int = OWED_BATCH) -> list[Notification]:
    """Notifications still owed (pending, or left "sending" by a crash) that nothing will send: no
    run of the sending task queued or running for them, and quiet (no attempt, no creation) for
    longer than the grace period, which covers the moment between a commit and its enqueue.
    Oldest first, at most `limit`."""
    quiet_since = timezone.now() - timedelta(seconds=grace_seconds)
    queued = pending_arguments(task_path=SEND_TASK_PATH, name="notification_id")
    owed = (
        Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING], created_at__lt=quiet_since
        )
        .annotate(last_seen=Coalesce(Max("attempt_log__at"), F("created_at")))
        .filter(last_seen__lt=quiet_since)
        .order_by("created_at", "id")
    )
    found: list[Notification] = []
    # The queued ones are skipped here rather than in SQL: a backlog would make a long NOT IN list.
    for notification in owed.iterator(chunk_size=limit):
        if notification.pk not in queued:
            found.append(notification)
            if len(found) >= limit:
                break
    return found


def case_filed_in_session(entry: dict | None) -> Case | None:
    """The case this browser session just filed (its receipt may be printed), and nothing else."""
    if not entry or not entry.get("id"):
        return None
    return Case.objects.select_related("category", "assigned_unit").filter(pk=entry["id"]).first()


def survey_answered(case: Case) -> bool:
    return SurveyResponse.objects.filter(case=case).exists()
