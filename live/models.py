"""The append-only event log shared by the processes of one deployment (see `live.events`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveEvent(models.Model):
    """One published change (an incident or a patrol snapshot), kept a few minutes.

    Written by `live.events.publish` after the business transaction committed, read by the single
    listener thread of every web process (polled on SQLite, signalled by NOTIFY on PostgreSQL), and
    by a reconnecting browser that sends `Last-Event-ID`. Old rows are pruned; nothing refers to them.
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    topic = models.CharField(_("topic"), max_length=32)
    wilaya_id = models.BigIntegerField(_("wilaya"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.topic}#{self.pk}"


class StreamLease(models.Model):
    """One open event stream of a user, so that AMANE_STREAMS_PER_USER holds across processes.

    Taken when a stream opens, renewed at each re-check of the viewer's rights, deleted when the
    stream ends. A process that dies leaves its leases behind: they expire on their own after two
    re-check intervals, and until then count against the user's cap.
    """

    id = models.BigAutoField(primary_key=True)
    user_id = models.BigIntegerField(_("user"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("stream lease")
        verbose_name_plural = _("stream leases")
        indexes = [models.Index(fields=["user_id", "expires_at"], name="live_lease_user_expiry")]

    def __str__(self) -> str:
        return f"stream of user {self.user_id} until {self.expires_at:%H:%M:%S}"
