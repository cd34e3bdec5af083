"""Tamper-evident log: every write and every read of personal data, keyed and chained by a sealer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One act. Written (INSERT only, no lock) in the transaction of the change it describes, with an
    entry MAC of its content; sealed shortly after by the sealer, which gives it a dense chain
    `position` and a chain `mac` over the previous one (see `audit/chain.py`, docs/architecture.md).

    The id only orders rows for the sealer; it is not the chain order: ids are taken at insert and
    transactions commit out of order or roll back, so the chain order is the order of sealing.
    """

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # The entry MAC covers the actor: an account that acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    nonce = models.CharField(_("nonce"), max_length=24)
    entry_mac = models.CharField(_("entry MAC"), max_length=64)
    # Set by the sealer, all three together; empty until then.
    position = models.PositiveBigIntegerField(_("chain position"), null=True, blank=True)
    prev_mac = models.CharField(_("previous chain MAC"), max_length=64, blank=True, default="")
    mac = models.CharField(_("chain MAC"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The sealer's queue: small, since rows leave it within a second.
            models.Index(fields=["id"], condition=Q(position__isnull=True), name="audit_pending_idx"),
            # Verification finds where a moved record was sealed by its predecessor's MAC.
            models.Index(fields=["mac"], condition=Q(position__isnull=False), name="audit_mac_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=Q(position__isnull=False), name="audit_position_unique"
            ),
        ]

    def __str__(self) -> str:
        where = f"#{self.position}" if self.position else f"(unsealed id {self.pk})"
        return f"{where} {self.action} {self.object_type}:{self.object_id}"
