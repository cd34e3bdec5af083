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


class Verdict(models.TextChoices):
    TRUE = "true", _("True")
    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")


# Verdicts that call for a rebuttal communiqué.
REBUT_VERDICTS = (Verdict.FALSE, Verdict.MISLEADING)


class ActionKind(models.TextChoices):
    """What the communication cell did about an event (its trace on the event page)."""

    CORRECTION = "correction", _("Triage corrected")
    COMPLAINT = "complaint", _("Complaint opened")
    INTERVENTION = "intervention", _("Line-19 intervention opened")
    FACTS = "facts", _("Facts asked of the unit")
    VERIFICATION = "verification", _("Verification opened")
    COMMUNIQUE = "communique", _("Communiqué published")


class CommuniqueKind(models.TextChoices):
    REBUTTAL = "rebuttal", _("Rebuttal")
    STATEMENT = "statement", _("Statement")
    ANNUAL = "annual", _("Annual communiqué")


class CommuniqueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PostStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
