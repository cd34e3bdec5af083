"""The annual review's tables: objectives set by the level above (targets on an indicator or
projects with milestones), and each unit's review of the year (imported by `analytics.models`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from analytics.review.choices import Comparator, ObjectiveKind, ReviewState


def who(label: Any) -> models.ForeignKey:
    """The member of staff who did an act (kept when the account goes)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Objective(models.Model):
    """One objective of a unit for a year. A target names a metric (an indicator code of the
    registry, or `result:<kind>` for validated operational results), a comparator and a value in
    the metric's own scale (a share is 0–1); the objectives of the central unit are the national
    defaults, inherited down the tree by every unit that has none of its own for that metric. A
    project has milestones. `quarterly` holds the roadmap's interim targets (four values, the
    cumulative figure expected at the end of each quarter), empty when none were set."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=ObjectiveKind.choices)
    metric = models.CharField(_("indicator"), max_length=48, blank=True)
    comparator = models.CharField(_("comparator"), max_length=3, choices=Comparator.choices, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    quarterly = models.JSONField(_("quarterly interim targets"), default=list, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["year", "kind", "metric", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="objective_year_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "metric"], condition=Q(kind="target"), name="objective_one_target_per_metric"
            ),
            models.CheckConstraint(
                condition=Q(kind="project", title__gt="") | Q(kind="target", metric__gt="", target__isnull=False),
                name="objective_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.metric or self.title}"


class Milestone(models.Model):
    """A step of a project objective, due by a date, marked done by the unit's head."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="milestones"
    )
    text = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = who(_("done by"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text


class Review(models.Model):
    """A unit's review of a year: the head writes achievements, challenges and constraints and
    submits; the level above comments and freezes. Until frozen the figures are computed at each
    reading; freezing stores them in `figures`, and a frozen review is never written again."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    achievements = models.TextField(_("achievements"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    comment = models.TextField(_("comment of the level above"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = who(_("submitted by"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = who(_("frozen by"))

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="review_one_per_unit_year"),
            models.CheckConstraint(
                condition=~Q(state="frozen") | Q(frozen_at__isnull=False), name="review_frozen_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"

    @property
    def frozen(self) -> bool:
        return self.state == ReviewState.FROZEN


class RoadmapAlert(models.Model):
    """A quarter of the roadmap missed by a unit on one objective, addressed to the chiefs of the
    unit and of the level above (shown to them on the review's home page). One per objective, unit
    and quarter: the sweep that writes them may run any number of times."""

    objective = models.ForeignKey(Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.FloatField(_("achieved"), null=True, blank=True)
    interim = models.FloatField(_("interim target"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="+")
    at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("roadmap alert")
        verbose_name_plural = _("roadmap alerts")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "unit", "quarter"], name="roadmap_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} Q{self.quarter} {self.objective_id}"
