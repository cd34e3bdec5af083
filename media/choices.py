"""Choices of the media watch: kinds of sources, the triage labels, the state of an event."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    PASTE = "paste", _("Pasted by an officer")
    IMPORT = "import", _("Imported social posts")


class Label(models.TextChoices):
    """The triage classes (media.analysis.triage.LABELS, in the same order)."""

    DEMAND = "demand", _("Citizens' security demand")
    INCIDENT = "incident", _("Incident report")
    CLAIM = "claim", _("Claim to verify")
    REBUTTAL = "rebuttal", _("Rumour rebuttal")
    OTHER = "other", _("Other")


class LabelSource(models.TextChoices):
    MODEL = "model", _("Model")
    OFFICER = "officer", _("Officer")


class EventState(models.TextChoices):
    NEW = "new", _("New")
    FOLLOWED = "followed", _("Followed up")
    CLOSED = "closed", _("Closed")
