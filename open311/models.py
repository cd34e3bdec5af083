"""Partner keys of the Open311 endpoint and the requests partners filed through it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKey(models.Model):
    """A partner system allowed to POST requests. Only the key's SHA-256 is stored; the key is
    printed once by `manage.py open311_key create`."""

    name = models.CharField(_("partner"), max_length=60, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 partner key")
        verbose_name_plural = _("Open311 partner keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceRequest(models.Model):
    """A complaint filed by a partner through Open311: which partner, and the token that the
    specification lets a client use to find the service_request_id later."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="open311_request"
    )
    partner = models.ForeignKey(
        PartnerKey, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="requests"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
