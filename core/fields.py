"""Model fields shared by several apps' tables (core has no models of its own)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def event_actor() -> Any:
    """Who did what a timeline line records: a user, kept when the account is removed (the line
    stays, its actor becomes empty), never followed back from the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
