"""What the citizen portal keeps beside the complaint: the online filing, notifications and their
attempts, the outbox of the demo backend, survey answers and the rate-limit counters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    NONE = "none", _("No notifications")


class OnlineFiling(models.Model):
    """A complaint filed through the portal: who filed it (a signed-in citizen, or nobody for an
    anonymous report), how they want to be told of its progress, and whether they reopened it.

    Phone and e-mail are encrypted at rest (law 09-08); they serve notifications only.
    """

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="online_filing"
    )
    citizen = models.ForeignKey(
        "identity.Citizen",
        verbose_name=_("citizen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="online_filings",
    )
    contact_channel = models.CharField(
        _("contact preference"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.NONE
    )
    phone_enc = models.TextField(_("phone (encrypted)"), blank=True)
    email_enc = models.TextField(_("e-mail (encrypted)"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="ar")
    reopen_used = models.BooleanField(_("reopen used"), default=False)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"))

    class Meta:
        verbose_name = _("online filing")
        verbose_name_plural = _("online filings")
        indexes = [models.Index(fields=["citizen", "-created_at"], name="filing_citizen_created")]

    def __str__(self) -> str:
        return f"filing of case {self.case_id}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Handed to a gateway, outcome not yet recorded: a re-run after a crash asks the gateway or
    # sends again with the same idempotency key (portal.services.notification_send).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message owed to a complainant about one step of their complaint (SMS or e-mail).

    To the contact of the online filing when there is one, else to the complainant's, recorded
    with their consent at intake (counter, duty service, line 19, Open311...).

    `attempts` is the number of the last attempt started; `requeues` counts the times the sweep
    found it owed without a task (bounded: it gives up after the retry policy's attempts).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notifications")
    filing = models.ForeignKey(
        OnlineFiling, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=32)
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requeues = models.PositiveSmallIntegerField(_("times queued again"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "id"]
        indexes = [
            # The sweep's search for notifications still owed: a small part of a growing table.
            models.Index(
                fields=["created_at"],
                name="notification_owed",
                condition=models.Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.channel}) for case {self.case_id}"


class NotificationAttempt(models.Model):
    """Each try at handing a notification to the backend, successful or not."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("sent"))
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification attempt")
        verbose_name_plural = _("notification attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"attempt {self.number} of notification {self.notification_id}"


class OutboxMessage(models.Model):
    """A message "sent" by the demo backend: it lands here instead of an SMS or mail gateway.
    The recipient is encrypted like any phone number."""

    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    recipient_enc = models.TextField(_("recipient (encrypted)"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=5)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly once, enforced by the database too: one outbox message per notification.
            models.UniqueConstraint(
                fields=["notification"],
                condition=models.Q(notification__isnull=False),
                name="outbox_one_per_notification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} message {self.pk}"


class Safer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNCHANGED = "unchanged", _("No change")


class SurveyResponse(models.Model):
    """The citizen's satisfaction answer after closure: at most one per complaint."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="survey_response"
    )
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"))
    feels_safer = models.CharField(_("feels safer"), max_length=10, choices=Safer.choices)
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="ar")
    created_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="survey_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"survey of case {self.case_id}"
