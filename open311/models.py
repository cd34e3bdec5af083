"""The requests partners filed through the Open311 endpoint (their keys are `org.ApiKey`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceRequest(models.Model):
    """A complaint filed by a partner through Open311: which partner, and the token that the
    specification lets a client use to find the service_request_id later."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="open311_request"
    )
    partner = models.ForeignKey(
        "org.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="open311_requests"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
