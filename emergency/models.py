"""Line 19: call categories, calls, incidents (one event, many calls), patrols, roster, dispatches.

Every state carries its timestamp so the response-time intervals are plain differences. The
wilaya of an incident / call / patrol is stored (denormalised) because it is the jurisdiction of
the command room and the key of the live stream.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from emergency.choices import (
    AssignmentEnd,
    CallLanguage,
    CallState,
    IncidentState,
    InterventionOutcome,
    PatrolKind,
    PatrolStatus,
    Priority,
)


def _localised(obj, stem: str) -> str:
    lang = (get_language() or "ar")[:2]
    return getattr(obj, f"{stem}_{lang}", "") or getattr(obj, f"{stem}_ar", "")


class CallCategory(models.Model):
    """A kind of emergency call with its triage questions (reference list, data migration).

    `questions` is a list of {"code", "ar", "fr", "en", "yes": delta, "no": delta}; a negative delta
    raises the priority (P2 + -1 → P1). Calls of categories sharing a `group` may describe the same
    event and are grouped under one incident.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    base_priority = models.CharField(_("base priority"), max_length=2, choices=Priority.choices)
    group = models.SlugField(_("compatibility group"), max_length=50)
    questions = models.JSONField(_("triage questions"), default=list, blank=True)
    case_category_code = models.SlugField(
        _("complaint category"), max_length=50, blank=True, help_text=_("Category of a complaint opened from a call.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("call category")
        verbose_name_plural = _("call categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")


class Patrol(models.Model):
    """A patrol unit (car, motorbike, on foot) of a wilaya, with its status and last position."""

    call_sign = models.CharField(_("call sign"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PatrolKind.choices, default=PatrolKind.CAR)
    home_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="patrols"
    )
    wilaya = models.ForeignKey(
        "org.Unit", verbose_name=_("wilaya"), on_delete=models.PROTECT, related_name="wilaya_patrols"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PatrolStatus.choices, default=PatrolStatus.OFF_DUTY, db_index=True
    )
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    position_at = models.DateTimeField(_("position at"), null=True, blank=True)
    current_incident = models.ForeignKey(
        "Incident",
        verbose_name=_("current incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["call_sign"]
        indexes = [models.Index(fields=["wilaya", "status"])]

    def __str__(self) -> str:
        return self.call_sign


class RosterShift(models.Model):
    """One patrol on one shift with its officers: the plan readiness is measured against.

    `signed_on_at` is set when the patrol reports available during the shift (it actually took
    the duty).
    """

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="shifts")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), blank=True, related_name="patrol_shifts"
    )
    starts_at = models.DateTimeField(_("shift start"))
    ends_at = models.DateTimeField(_("shift end"))
    signed_on_at = models.DateTimeField(_("signed on at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster shift")
        verbose_name_plural = _("roster shifts")
        ordering = ["starts_at", "patrol"]
        indexes = [models.Index(fields=["patrol", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="emergency_shift_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.patrol} {self.starts_at:%Y-%m-%d %H:%M}"


class Timestamps(models.Model):
    """Every state of line 19 with its moment: the response-time intervals are measured from them."""

    received_at = models.DateTimeField(_("received at"))
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("en route at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        abstract = True


class Incident(Timestamps):
    """One event on the ground, the unit of dispatch: one or more calls, one patrol at a time."""

    reference = models.CharField(_("reference"), max_length=32, blank=True, db_index=True)
    category = models.ForeignKey(CallCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    group = models.SlugField(_("compatibility group"), max_length=50)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, db_index=True)
    state = models.CharField(
        _("state"), max_length=12, choices=IncidentState.choices, default=IncidentState.TRIAGED, db_index=True
    )
    wilaya = models.ForeignKey("org.Unit", verbose_name=_("wilaya"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "org.Unit", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "org.Unit", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    patrol = models.ForeignKey(
        Patrol, verbose_name=_("patrol"), null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=InterventionOutcome.choices, blank=True)
    outcome_note = models.CharField(_("outcome note"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("complaint"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    call_count = models.PositiveIntegerField(_("calls"), default=0)
    last_call_at = models.DateTimeField(_("last call at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Grouping proposes, the dispatcher decides: the open incident this one is probably the same as,
    # with the reason shown (distance, minutes apart, categories), until merged or kept apart.
    proposed_merge = models.ForeignKey(
        "self",
        verbose_name=_("probably the same as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposal = models.JSONField(_("grouping proposal"), default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the current patrol was sent (dispatched_at keeps the first dispatch, for response times)
    # and when it acknowledged: the board alarms past AMANE_DISPATCH_ACK_SECONDS between the two.
    assigned_at = models.DateTimeField(_("current patrol sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # Set when a pre-emption sent it back to the waiting list: it goes first among its priority.
    requeued_at = models.DateTimeField(_("back on the waiting list at"), null=True, blank=True)
    requeue_note = models.CharField(_("why it waits again"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["priority", "received_at"]
        indexes = [
            models.Index(fields=["wilaya", "state", "priority"]),
            models.Index(fields=["wilaya", "group", "last_call_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class Call(Timestamps):
    """One call on line 19. The caller's number is encrypted at rest (law 09-08)."""

    reference = models.CharField(_("reference"), max_length=32, blank=True, db_index=True)
    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="calls")
    wilaya = models.ForeignKey("org.Unit", verbose_name=_("wilaya"), on_delete=models.PROTECT, related_name="+")
    caller_number_enc = models.TextField(_("caller number (encrypted)"), blank=True)
    caller_number_hash = models.CharField(_("caller number hash"), max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=3, choices=CallLanguage.choices, default="ar")
    category = models.ForeignKey(CallCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("triage answers"), default=dict, blank=True)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CallState.choices, default=CallState.RECEIVED, db_index=True
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("complaint"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["wilaya", "received_at"])]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class Assignment(models.Model):
    """One dispatch of a patrol to an incident: the dispatcher's recorded choice and its timeline.

    `suggested` keeps the suggestion list shown at the time (call sign, distance, ETA) so an
    override can be reviewed later.
    """

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="assignments"
    )
    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.PROTECT, related_name="assignments")
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dispatched by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    suggested = models.JSONField(_("suggestions shown"), default=list, blank=True)
    was_first_suggestion = models.BooleanField(_("first suggestion taken"), default=False)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    eta_seconds = models.PositiveIntegerField(_("estimated arrival (s)"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("en route at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("end"), max_length=12, choices=AssignmentEnd.choices, blank=True)
    end_note = models.CharField(_("why it ended"), max_length=300, blank=True)
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["dispatched_at"]
        constraints = [
            models.UniqueConstraint(fields=["patrol"], condition=Q(active=True), name="emergency_one_open_per_patrol"),
            models.UniqueConstraint(
                fields=["incident"], condition=Q(active=True), name="emergency_one_open_per_incident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patrol} → {self.incident}"
