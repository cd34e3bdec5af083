"""Every write of the citizen portal: online filing, the citizen's reopening, survey answers and
notifications. Each runs in one transaction with its audit record; follow-up work is enqueued
after commit."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases import services as case_services
from cases.choices import Channel, State
from cases.hooks import TransitionEvent
from cases.models import Case, Category, Complainant
from core import crypto
from core.errors import Conflict, NotFound, ValidationFailed
from identity.services import IdentityPurpose, citizen_identity_read
from org.choices import Role
from org.models import User
from org.services import service_account
from portal import conf
from portal.models import (
    ContactChannel,
    Notification,
    NotificationAttempt,
    NotificationStatus,
    OnlineFiling,
    Safer,
    SurveyResponse,
)
from portal.notifications import Backend, Message, get_backend
from portal.selectors import can_reopen, notifications_owed_without_task
from portal.signing import survey_case_id, survey_token
from portal.wording import NOTIFIED_STEPS, PUBLIC_OUTCOME, PUBLIC_STATE

logger = logging.getLogger(__name__)

PORTAL_USERNAME = "portal"
REASON_MAX = 2000
COMMENT_MAX = 1000
LANGUAGES = ("ar", "fr", "en")


# ---------------------------------------------------------------- the service account


def portal_account() -> User:
    """The service account the portal files and reopens complaints with: role PORTAL only, no
    usable password, attached to the central unit (routing proposes the handling unit)."""
    return service_account(username=PORTAL_USERNAME, roles=[Role.PORTAL], first_name="Portal")


# ---------------------------------------------------------------- filing


@dataclass
class FilingInput:
    category: Category | None  # None only while the page checks a half-filled form
    description: str
    address: str = ""
    city: str = ""  # picked in the list of cities (a gazetteer code)
    latitude: float | None = None
    longitude: float | None = None
    contact_channel: str = ContactChannel.NONE
    phone: str = ""  # normalised +212 number
    email: str = ""
    language: str = "ar"


def online_complaint_file(*, citizen: Any | None, data: FilingInput, attachments: Sequence[Any] = ()) -> Case:
    """File a complaint from the portal: named from the citizen's verified identity when signed
    in, else anonymous (only where the category allows it). Returns the case with `.tracking_code`."""
    language = data.language if data.language in LANGUAGES else "ar"
    problems = filing_problems(signed_in=citizen is not None, data=data, attachments=attachments)
    if problems:
        raise ValidationFailed(_("The complaint cannot be sent: correct the marked fields."), fields=problems)
    if citizen is None:
        complainant = case_services.ComplainantInput(anonymous=True, language=language)
    else:
        ident = citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.COMPLAINT_FILING)
        complainant = case_services.ComplainantInput(
            full_name=ident.full_name,
            cnie=ident.cnie,
            phone=data.phone,
            language=language,
        )
    intake = case_services.IntakeInput(
        channel=Channel.ONLINE,
        category=data.category,
        description=data.description,
        complainant=complainant,
        address=data.address,
        city=data.city,
        latitude=data.latitude,
        longitude=data.longitude,
    )
    with transaction.atomic():
        account = portal_account()  # created on first use, rolled back with a refused filing
        case = case_services.complaint_register(actor=account, data=intake, attachments=attachments)
        filing = OnlineFiling.objects.create(
            case=case,
            citizen=citizen,
            contact_channel=data.contact_channel,
            phone_enc=crypto.encrypt(data.phone if data.contact_channel == ContactChannel.SMS else ""),
            email_enc=crypto.encrypt(data.email if data.contact_channel == ContactChannel.EMAIL else ""),
            language=language,
            created_at=case.created_at,
        )
        audit_record(
            actor=account,
            action="portal.file",
            obj=filing,
            after={
                "case": case.pk,
                "signed_in": citizen is not None,
                "contact_channel": data.contact_channel,
                "language": language,
            },
        )
        if citizen is not None:
            # Whose complaint it is, for the staff timeline (an id, never the identity itself).
            audit_record(actor=account, action="portal.citizen_case", obj=case, after={"citizen": citizen.pk})
        notification_queue(filing=filing, event="created")
    return case


def filing_problems(*, signed_in: bool, data: FilingInput, attachments: Sequence[Any] = ()) -> dict[str, Any]:
    """Every problem of a filing, field by field, without writing or reading anyone's identity: the
    citizen corrects all of them in one pass (the page also calls it when its form refused some)."""
    problems: dict[str, Any] = {}
    if not signed_in and data.category is not None and not data.category.allows_anonymous:
        problems["category"] = _(
            "This kind of complaint cannot be reported anonymously: sign in with your digital identity."
        )
    if data.contact_channel not in ContactChannel.values:
        problems["contact_channel"] = _("Unknown choice.")
    language = data.language if data.language in LANGUAGES else "ar"
    intake = case_services.IntakeInput(
        channel=Channel.ONLINE,
        category=data.category,
        description=data.description,
        complainant=case_services.ComplainantInput(anonymous=not signed_in, language=language),
        address=data.address,
        latitude=data.latitude,
        longitude=data.longitude,
    )
    found = case_services.intake_problems(data=intake, attachments=attachments, identity_verified=signed_in)
    for name, message in found.items():
        problems.setdefault(name, message)
    return problems


# ---------------------------------------------------------------- reopening


@transaction.atomic
def portal_reopen(*, citizen: Any, filing: OnlineFiling, reason: str) -> Case:
    """The citizen reopens their closed complaint: once, within the set period, with a reason.

    The move itself is the workflow's `citizen_reopen` transition, made by the portal's service
    account (role PORTAL); this service enforces the "once, in time, own complaint" rules.
    """
    locked = OnlineFiling.objects.select_for_update().select_related("case").filter(pk=filing.pk).first()
    if locked is None or citizen is None or locked.citizen_id != citizen.pk:
        raise NotFound(_("No complaint with this reference among yours."))
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Say why you reopen the complaint."), fields={"reason": _("Required.")})
    if len(text) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long (at most %(n)s characters).") % {"n": REASON_MAX},
            fields={"reason": _("Too long.")},
        )
    if not can_reopen(locked):
        raise Conflict(
            _("This complaint can no longer be reopened online: it can be reopened once, within %(days)s days.")
            % {"days": conf.reopen_days()},
            code="reopen_not_allowed",
        )
    case = case_services.case_transition(
        case=locked.case,
        actor=portal_account(),
        transition="citizen_reopen",
        data=case_services.TransitionInput(note=text),
    )
    locked.reopen_used = True
    locked.reopened_at = timezone.now()
    locked.save(update_fields=["reopen_used", "reopened_at"])
    audit_record(actor=portal_account(), action="portal.reopen", obj=locked, after={"case": case.pk})
    return case


# ---------------------------------------------------------------- satisfaction survey


def survey_case(token: str) -> Case:
    """The closed complaint a survey link is for; a bad, expired or early link is a 404."""
    case_id = survey_case_id(token)
    case = Case.objects.filter(pk=case_id, state=State.CLOSED).first() if case_id is not None else None
    if case is None:
        raise NotFound(_("This survey link is not valid or has expired."))
    return case


@transaction.atomic
def survey_answer(*, case: Case, rating: int, feels_safer: str, comment: str, language: str) -> SurveyResponse:
    """Store the citizen's answer: once per complaint."""
    errors: dict[str, Any] = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5.")
    if feels_safer not in Safer.values:
        errors["feels_safer"] = _("Choose an answer.")
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        errors["comment"] = _("The comment is too long (at most %(n)s characters).") % {"n": COMMENT_MAX}
    if errors:
        raise ValidationFailed(_("The answer cannot be saved: correct the marked fields."), fields=errors)
    if SurveyResponse.objects.filter(case=case).exists():
        raise Conflict(_("This survey was already answered. Thank you."), code="survey_answered")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                case=case,
                rating=rating,
                feels_safer=feels_safer,
                comment=text,
                language=language if language in LANGUAGES else "ar",
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("This survey was already answered. Thank you."), code="survey_answered") from None
    audit_record(actor=None, action="portal.survey", obj=response, after={"case": case.pk, "rating": rating})
    return response


# ---------------------------------------------------------------- notifications


def notification_queue(
    *, filing: OnlineFiling | None = None, event: str, case: Case | None = None
) -> Notification | None:
    """Owe the complainant a message about `event` (inside the caller's transaction); the sending
    task is enqueued once the transaction commits.

    With `filing`, to the contact the citizen gave online; with `case` alone, to the complainant's
    contact recorded at intake with their consent (any channel). Nothing when there is no contact.
    """
    if event not in NOTIFIED_STEPS:
        return None
    if filing is not None:
        if filing.contact_channel == ContactChannel.NONE:
            return None
        case_id, channel, language = filing.case_id, filing.contact_channel, filing.language
    elif case is not None:
        complainant = Complainant.objects.filter(case=case).first()
        if complainant is None or not complainant.notify_consent or not complainant.notify_channel:
            return None
        case_id, channel, language = case.pk, complainant.notify_channel, complainant.language
    else:
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            case_id=case_id,
            filing=filing,
            event=event,
            channel=channel,
            language=language if language in LANGUAGES else "ar",
            created_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action="portal.notification_queue",
            obj=notification,
            after={"case": case_id, "event": event, "channel": channel},
        )
    transaction.on_commit(lambda: _enqueue_send(notification.pk, 1))
    return notification


def _enqueue_send(notification_id: int, attempt: int, delay_seconds: int = 0) -> None:
    # Import cycle, documented: portal.tasks runs this module's services, and this module enqueues
    # its tasks; the import waits until a message is actually sent.
    from portal.tasks import send_notification

    try:
        task = send_notification
        if delay_seconds:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
        task.enqueue(notification_id=notification_id, attempt=attempt)
    except Exception:  # the queue being down must not reach the citizen or the officer
        logger.exception("could not enqueue notification %s (attempt %s)", notification_id, attempt)


def on_case_transition(event: TransitionEvent) -> None:
    """cases.hooks listener (after commit): queue a message for the steps complainants hear
    about, to the online filer's contact or to the contact the complainant agreed to at intake."""
    if event.transition not in NOTIFIED_STEPS:
        return
    if event.transition == "created" and event.complainant_contact is False:
        # Nobody to tell: no consent or no contact at intake (an online filing queues its own
        # acknowledgement in its transaction, whatever this says).
        return
    filing = OnlineFiling.objects.filter(case_id=event.case_id).first()
    if filing is not None:
        if event.transition == "created":
            return  # queued by online_complaint_file, in the filing's own transaction
        with transaction.atomic():
            notification_queue(filing=filing, event=event.transition)
        return
    case = Case.objects.filter(pk=event.case_id).first()
    if case is None:
        return
    with transaction.atomic():
        notification_queue(case=case, event=event.transition)


def render_message(notification: Notification) -> tuple[str, str]:
    """Subject and body in the citizen's language: the reference and the step in plain words, and
    the survey link after closure. No personal data, no category, no officer."""
    case = notification.case
    with translation.override(notification.language):
        state = PUBLIC_STATE.get(case.state, "")
        if notification.event == "created":
            body = _("Amane: your complaint %(ref)s was received. Keep your tracking code to follow it.") % {
                "ref": case.reference
            }
        elif notification.event == "close":
            outcome = PUBLIC_OUTCOME.get(case.outcome, "")
            body = _("Amane: your complaint %(ref)s was closed (%(outcome)s).") % {
                "ref": case.reference,
                "outcome": outcome or state,
            }
            link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:survey", args=[survey_token(case.pk)])
            body = "{} {}".format(body, _("Tell us how we did: %(url)s") % {"url": link})
        elif notification.event in ("reopen", "citizen_reopen"):
            body = _("Amane: your complaint %(ref)s was reopened.") % {"ref": case.reference}
        else:
            body = _("Amane: your complaint %(ref)s: %(state)s.") % {"ref": case.reference, "state": state}
        subject = _("Your complaint %(ref)s") % {"ref": case.reference}
        return str(subject), str(body)


def notification_send(*, notification_id: int, attempt: int) -> str:
    """Attempt number `attempt` at sending one notification; on failure, retry later (bounded) and
    record every attempt. Runs in the task worker, never in the request that moved the case.

    Safe to run again after a crash at any point: a run whose attempt is not the one the
    notification waits for does nothing ("skipped"); with a transactional backend (the outbox) the
    message and its record commit together; with a gateway, "sending" is committed before the call
    and a later run settles it with the same idempotency key (portal.notifications says how).
    """
    backend = get_backend()
    if getattr(backend, "transactional", False):
        with transaction.atomic():
            notification = _notification_locked(notification_id)
            if notification is None or not _attempt_due(notification, attempt):
                return "skipped"
            _attempt_record(notification, attempt, _backend_send(backend, _message(notification, attempt)))
            return notification.status
    with transaction.atomic():
        notification = _notification_locked(notification_id)
        if notification is None or not _attempt_due(notification, attempt):
            return "skipped"
        in_doubt = notification.status == NotificationStatus.SENDING
        if not in_doubt:
            notification.status, notification.attempts = NotificationStatus.SENDING, attempt
            notification.save(update_fields=["status", "attempts"])
    message = _message(notification, attempt)
    error = "" if in_doubt and _gateway_has(backend, message.idempotency_key) else _backend_send(backend, message)
    with transaction.atomic():
        notification = _notification_locked(notification_id)
        in_flight = (NotificationStatus.SENDING, attempt)
        if notification is None or (notification.status, notification.attempts) != in_flight:
            return "skipped"  # settled meanwhile by a run that took over after this one's lease lapsed
        _attempt_record(notification, attempt, error)
        return notification.status


def _notification_locked(notification_id: int) -> Notification | None:
    # Only the notification's row is locked (not its filing and case, which staff may be moving).
    return (
        Notification.objects.select_for_update(of=("self",))
        .select_related("case", "filing")
        .filter(pk=notification_id)
        .first()
    )


def _attempt_due(notification: Notification, attempt: int) -> bool:
    """Is `attempt` the one this notification waits for: the next one, or the one left in doubt?"""
    if notification.status == NotificationStatus.SENDING:
        return attempt == notification.attempts
    return notification.status == NotificationStatus.PENDING and attempt == notification.attempts + 1


def _message(notification: Notification, attempt: int) -> Message:
    subject, body = render_message(notification)
    return Message(
        channel=notification.channel,
        to=_recipient(notification),
        body=body,
        subject=subject,
        language=notification.language,
        notification_id=notification.pk,
        idempotency_key=f"amane-notification-{notification.pk}-{attempt}",
    )


def _recipient(notification: Notification) -> str:
    """The phone number or e-mail address the message goes to (decrypted for the gateway only)."""
    sms = notification.channel == ContactChannel.SMS
    filing = notification.filing
    if filing is not None:
        return crypto.decrypt(filing.phone_enc if sms else filing.email_enc)
    complainant = Complainant.objects.filter(case_id=notification.case_id).first()
    if complainant is None:
        return ""
    return crypto.decrypt(complainant.phone_enc if sms else complainant.email_enc)


def _backend_send(backend: Backend, message: Message) -> str:
    """Hand the message over; the error in one line, or "" when the backend took it."""
    # A failed transactional send rolls back its own writes only (a savepoint); a gateway is called
    # outside any transaction (on SQLite a transaction would hold the write lock during the call).
    in_savepoint = transaction.atomic() if getattr(backend, "transactional", False) else nullcontext()
    try:
        with in_savepoint:
            backend.send(message)
    except Exception as exc:
        logger.warning("notification %s failed: %s", message.idempotency_key, exc)
        return f"{type(exc).__name__}: {exc}"[:300]
    return ""


def _gateway_has(backend: Backend, key: str) -> bool:
    """Did the gateway accept the message with this key before a crash? False when it cannot tell
    (the message is then sent again with the same key)."""
    lookup = getattr(backend, "lookup", None)
    if lookup is None:
        return False
    try:
        return bool(lookup(key))
    except Exception as exc:
        logger.warning("gateway lookup of %s failed: %s", key, exc)
        return False


def _attempt_record(notification: Notification, attempt: int, error: str) -> None:
    """Record the attempt's outcome (caller's transaction) and queue the next one after a failure."""
    now = timezone.now()
    policy = conf.NOTIFY_RETRY
    last = attempt >= policy.attempts()
    NotificationAttempt.objects.create(notification=notification, number=attempt, at=now, ok=not error, error=error)
    notification.attempts = attempt
    notification.last_error = error
    if not error:
        notification.status, notification.sent_at = NotificationStatus.SENT, now
    else:
        notification.status = NotificationStatus.FAILED if last else NotificationStatus.PENDING
    notification.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    audit_record(
        actor=None,
        action="portal.notification_attempt",
        obj=notification,
        after={"attempt": attempt, "ok": not error, "status": notification.status},
    )
    if error and not last:
        delay = int(policy.delay(attempt))
        transaction.on_commit(lambda: _enqueue_send(notification.pk, attempt + 1, delay))


def notification_requeue_owed(*, grace_seconds: int | None = None) -> int:
    """The sweep: queue again each notification owed with no task to send it (a crash between its
    commit and its enqueue, a task failed for good after crashes); give up on one found so more
    times than the retry policy's attempts. Returns how many were queued again."""
    grace = conf.notify_sweep_grace_seconds() if grace_seconds is None else grace_seconds
    queued = 0
    for found in notifications_owed_without_task(grace_seconds=grace):
        with transaction.atomic():
            notification = _notification_locked(found.pk)
            if notification is None or notification.status in (NotificationStatus.SENT, NotificationStatus.FAILED):
                continue
            giving_up = notification.requeues >= conf.NOTIFY_RETRY.attempts()
            notification.requeues += 1
            if giving_up:
                notification.status = NotificationStatus.FAILED
                notification.last_error = "no task could send it"
            notification.save(update_fields=["requeues", "status", "last_error"])
            audit_record(
                actor=None,
                action="portal.notification_requeue",
                obj=notification,
                after={"requeues": notification.requeues, "status": notification.status},
            )
            if not giving_up:
                # The attempt left in doubt is settled with its own key; else the next attempt.
                in_doubt = notification.status == NotificationStatus.SENDING
                attempt = notification.attempts if in_doubt else notification.attempts + 1
                transaction.on_commit(partial(_enqueue_send, notification.pk, attempt))
                queued += 1
    return queued


@transaction.atomic
def outbox_read(*, actor: User) -> None:
    """Showing the outbox shows phone numbers: the read is logged (law 09-08)."""
    audit_record(actor=actor, action="portal.outbox_read", object_type="portal.outbox", object_id="-")
