"""Grievances forwarded by the oversight bodies (Ombudsman, INPPLC, CNDH), as the body sees them:
its reference, the deadlines to route and to answer, the inquiry, the answer letter and the closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import event_actor
from oversight.choices import (
    AllegationKind,
    Body,
    Closure,
    Finding,
    GrievanceEventKind,
    GrievanceState,
    LetterLanguage,
    OfficerOutcome,
    Topic,
)


class BodyRule(models.Model):
    """The deadlines a body's grievances get (the national rules for grievances against
    administrations by default: routed within 15 days, answered within 60), editable per body."""

    body = models.CharField(_("body"), max_length=20, choices=Body.choices, unique=True)
    route_days = models.PositiveSmallIntegerField(_("days to route"), default=15)
    answer_days = models.PositiveSmallIntegerField(_("days to answer"), default=60)

    class Meta:
        verbose_name = _("deadlines of a body")
        verbose_name_plural = _("deadlines of the bodies")

    def __str__(self) -> str:
        return self.body


class Grievance(models.Model):
    """One grievance forwarded by an oversight body. `state` is written only by
    `oversight.services.grievance_transition`; the citizen's name is encrypted like a complainant's."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    body_reference = models.CharField(_("the body's reference"), max_length=64)
    received_at = models.DateTimeField(_("received at"))
    subject = models.CharField(_("subject"), max_length=300)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    summary = models.TextField(_("summary"), blank=True)
    citizen_name_enc = models.TextField(_("citizen's name (encrypted)"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=GrievanceState.choices, default=GrievanceState.RECEIVED)
    route_due_at = models.DateTimeField(_("to route by"))
    answer_due_at = models.DateTimeField(_("to answer by"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    inquiry_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("inquiry by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inquiry_findings = models.TextField(_("findings of the inquiry"), blank=True)
    units = models.ManyToManyField("org.Unit", verbose_name=_("units concerned"), blank=True, related_name="+")
    complaints = models.ManyToManyField(
        "cases.Case", verbose_name=_("complaints"), through="GrievanceComplaint", related_name="+"
    )
    letter_language = models.CharField(
        _("language of the answer"), max_length=2, choices=LetterLanguage.choices, default=LetterLanguage.ARABIC
    )
    answer_text = models.TextField(_("answer"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("answer sent at"), null=True, blank=True)
    closure = models.CharField(_("closed as"), max_length=20, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answered_within_deadline = models.BooleanField(_("answered within the deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["body", "received_at"], name="grievance_body_received"),
            models.Index(fields=["answer_due_at"], name="grievance_open_due", condition=~Q(state="closed")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["body", "body_reference"], name="grievance_body_reference"),
            models.CheckConstraint(
                condition=Q(state="closed", closure__gt="") | ~Q(state="closed"), name="grievance_closed_has_closure"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class GrievanceComplaint(models.Model):
    """A complaint the grievance is about (the liaison may then open it: the `grievance` scope)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="complaint_links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="grievance_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("complaint of a grievance")
        constraints = [models.UniqueConstraint(fields=["grievance", "case"], name="grievance_case_once")]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.case_id}"


class GrievanceEvent(models.Model):
    """One line of a grievance's timeline: transitions, links, follow-ups, reminders, escalations."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=GrievanceEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = event_actor()
    transition = models.CharField(_("transition"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("grievance event")
        ordering = ["at", "id"]
        constraints = [
            # One escalation per level and per deadline: the sweep may run any number of times.
            models.UniqueConstraint(
                fields=["grievance", "kind", "transition"],
                condition=Q(kind="escalation"),
                name="grievance_escalation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.kind}"


class OfficerComplaint(models.Model):
    """The Inspectorate's record of a complaint against an officer: who (named, or described by unit,
    date, place, vehicle), the allegations and their findings, the outcome. Seen by the Inspectorate
    only, never by the officer's chain of command (the complaint is `against_officer`)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit of the officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    incident_on = models.DateField(_("date of the facts"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    vehicle_number = models.CharField(_("vehicle number"), max_length=20, blank=True)
    description = models.TextField(_("description of the officer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OfficerOutcome.choices, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("complaint against an officer")
        verbose_name_plural = _("complaints against officers")

    def __str__(self) -> str:
        return f"officer complaint {self.case_id}"


class Allegation(models.Model):
    """One allegation of a complaint against an officer and its finding."""

    complaint = models.ForeignKey(OfficerComplaint, on_delete=models.CASCADE, related_name="allegations")
    kind = models.CharField(_("allegation"), max_length=20, choices=AllegationKind.choices)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    found_at = models.DateTimeField(_("found at"), null=True, blank=True)

    class Meta:
        verbose_name = _("allegation")
        verbose_name_plural = _("allegations")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["complaint", "kind"], name="allegation_kind_once")]

    def __str__(self) -> str:
        return self.kind


class AnnualReport(models.Model):
    """The permanent interlocutor's annual report: figures computed from the records, then a
    foreword and commentary by the liaison; once frozen, the figures never change again."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    figures = models.JSONField(_("figures"), default=dict)
    foreword_ar = models.TextField(_("foreword (Arabic)"), blank=True)
    foreword_fr = models.TextField(_("foreword (French)"), blank=True)
    commentary_ar = models.TextField(_("commentary (Arabic)"), blank=True)
    commentary_fr = models.TextField(_("commentary (French)"), blank=True)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("generated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
