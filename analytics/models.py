"""Rollups: the indicators' tables, kept current from the records and never scanned by the cases
table on a page view (see `analytics.rollups`).

Every row belongs to one unit (the unit that holds the records) and carries the unit's materialised
path, so a jurisdiction's total is one indexed prefix match summed in SQL. Days are Morocco's
calendar days (Africa/Casablanca). A row holds sums and counts, never a record: no reference, no
name, nothing personal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import Sensitivity, State


class UnitRow(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(_("unit path"), max_length=255)

    class Meta:
        abstract = True


class ComplaintDay(UnitRow):
    """Complaints of one unit, one day and one category, attributed to the unit that holds them.

    received: registered that day; first_actions: first action taken that day (with the calendar
    seconds since intake and how many missed the category's first-action hours); closed: closed that
    day (with the working seconds on the pausing clock and how many within the deadline; a reopened
    complaint counts again at its final closure only); reopened, escalated, transferred_in: events of
    the day; referred / instructions: prosecutor referrals and instructions received that day.
    """

    day = models.DateField(_("day"))
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    sensitivity = models.CharField(_("sensitivity"), max_length=20, choices=Sensitivity.choices)
    received = models.PositiveIntegerField(default=0)
    first_actions = models.PositiveIntegerField(default=0)
    first_action_seconds = models.BigIntegerField(default=0)
    first_action_late = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_within = models.PositiveIntegerField(default=0)
    closure_seconds = models.BigIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    transferred_in = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)
    instructions = models.PositiveIntegerField(default=0)
    referral_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("complaints per day")
        verbose_name_plural = _("complaints per day")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "category", "sensitivity"], name="complaintday_key")
        ]
        indexes = [models.Index(fields=["unit_path", "day"], name="complaintday_path_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.category_id}"


class BacklogNow(UnitRow):
    """The open complaints of one unit, category and state at the last refresh, with their ages."""

    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    sensitivity = models.CharField(_("sensitivity"), max_length=20, choices=Sensitivity.choices)
    state = models.CharField(_("state"), max_length=30, choices=State.choices)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    age_0_7 = models.PositiveIntegerField(default=0)
    age_8_30 = models.PositiveIntegerField(default=0)
    age_31_90 = models.PositiveIntegerField(default=0)
    age_over_90 = models.PositiveIntegerField(default=0)
    oldest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("open complaints")
        verbose_name_plural = _("open complaints")
        indexes = [models.Index(fields=["unit_path"], name="backlognow_path")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.state} {self.open}"


class ResponseDay(UnitRow):
    """Line-19 incidents received one day in one unit (district, else area, else wilaya), by priority.

    Sums and counts of each standard interval (`emergency.metrics.INTERVALS`), the number on scene
    within the priority's target, and a histogram of response times over `RESPONSE_BANDS` (seconds)
    from which the median and p90 bands are read.
    """

    day = models.DateField(_("day"))
    priority = models.CharField(_("priority"), max_length=2)
    incidents = models.PositiveIntegerField(default=0)
    under_target = models.PositiveIntegerField(default=0)
    call_processing_n = models.PositiveIntegerField(default=0)
    call_processing_s = models.BigIntegerField(default=0)
    turnout_n = models.PositiveIntegerField(default=0)
    turnout_s = models.BigIntegerField(default=0)
    travel_n = models.PositiveIntegerField(default=0)
    travel_s = models.BigIntegerField(default=0)
    response_n = models.PositiveIntegerField(default=0)
    response_s = models.BigIntegerField(default=0)
    response_hist = models.JSONField(default=list)

    class Meta:
        verbose_name = _("line-19 response per day")
        verbose_name_plural = _("line-19 response per day")
        constraints = [models.UniqueConstraint(fields=["unit", "day", "priority"], name="responseday_key")]
        indexes = [models.Index(fields=["unit_path", "day"], name="responseday_path_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} P{self.priority}"


class ReadinessDay(UnitRow):
    """Roster shifts starting one day in one unit: planned, and those whose patrol signed on."""

    day = models.DateField(_("day"))
    planned = models.PositiveIntegerField(default=0)
    signed_on = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("readiness per day")
        verbose_name_plural = _("readiness per day")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="readinessday_key")]
        indexes = [models.Index(fields=["unit_path", "day"], name="readinessday_path_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class SatisfactionDay(UnitRow):
    """Survey answers of one day about complaints of one unit and category."""

    day = models.DateField(_("day"))
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    sensitivity = models.CharField(_("sensitivity"), max_length=20, choices=Sensitivity.choices)
    answers = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)  # rating 4 or 5
    safer_yes = models.PositiveIntegerField(default=0)
    safer_no = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey answers per day")
        verbose_name_plural = _("survey answers per day")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "category", "sensitivity"], name="satisfactionday_key")
        ]
        indexes = [models.Index(fields=["unit_path", "day"], name="satisfactionday_path_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class RollupState(models.Model):
    """Where the incremental refresh stands: the last timeline event it read, when it last ran."""

    name = models.CharField(max_length=40, primary_key=True)
    watermark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.watermark}"


# Kept in its own module for size; imported here so Django registers them with the app.
from analytics.models_review import Milestone, Objective, Review, RoadmapAlert  # noqa: E402, F401
