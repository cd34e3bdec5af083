"""Enumerations of the digital-identity app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Assurance(models.TextChoices):
    """Level of assurance of a digital identity (eIDAS vocabulary)."""

    LOW = "low", _("low")
    SUBSTANTIAL = "substantial", _("substantial")
    HIGH = "high", _("high")
