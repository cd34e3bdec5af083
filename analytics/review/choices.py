"""Readable enums of the annual review (objectives, reviews, the roadmap's follow-up)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectiveKind(models.TextChoices):
    TARGET = "target", _("Target on an indicator")
    PROJECT = "project", _("Project with milestones")


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Submitted to the level above")
    FROZEN = "frozen", _("Commented and frozen")


class Status(models.TextChoices):
    """Achieved against the objective. Amber: short of the target by at most 10 % of it."""

    GREEN = "green", _("Achieved")
    AMBER = "amber", _("Close to the target")
    RED = "red", _("Short of the target")
    NONE = "none", _("No figure yet")


class Follow(models.TextChoices):
    """A quarter of the roadmap against its interim target."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    MISSED = "missed", _("Missed")
    PENDING = "pending", _("Quarter not started")
