"""Complaints, their complainants, timeline, attachments, links and escalations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    Channel,
    CourtLevel,
    EventKind,
    InstructionKind,
    LegalSource,
    Outcome,
    Priority,
    RouteTarget,
    Sensitivity,
    State,
)
from core.fields import event_actor


class Category(models.Model):
    """A kind of complaint and its procedure: deadlines, prosecutor referral, priority, visibility."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    first_action_hours = models.PositiveIntegerField(
        _("hours to first action"), help_text=_("From receipt to qualification.")
    )
    closure_days = models.PositiveIntegerField(
        _("days to closure"), help_text=_("Working clock from receipt to closure, pauses excluded.")
    )
    prosecutor_mandatory = models.BooleanField(
        _("prosecutor referral mandatory"),
        default=False,
        help_text=_("The case cannot be closed as solved without a referral to the prosecutor."),
    )
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    allows_anonymous = models.BooleanField(_("anonymous complaints allowed"), default=True)
    route_to = models.CharField(
        _("routed to"), max_length=20, choices=RouteTarget.choices, default=RouteTarget.DISTRICT
    )
    procedure_ar = models.TextField(_("procedure (Arabic)"), blank=True)
    procedure_fr = models.TextField(_("procedure (French)"), blank=True)
    procedure_en = models.TextField(_("procedure (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    public_feed = models.BooleanField(
        _("in the public feed"),
        default=False,
        help_text=_(
            "Requests of this category appear in the public Open311 feed (generalised place, hour, "
            "open/closed only). Only for nuisances in public space, never for offences against people."
        ),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def _localised(self, stem: str) -> str:
        lang = (get_language() or "ar")[:2]
        return getattr(self, f"{stem}_{lang}", "") or getattr(self, f"{stem}_ar")

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def procedure(self) -> str:
        return self._localised("procedure")


class Offence(models.Model):
    """An entry of the reference list of offences a complaint is qualified with at "qualify": its
    name in the three languages and, where known, the articles of the text that defines it (the
    Moroccan penal code unless `source` says otherwise). Loaded by a data migration, editable by
    administrators; an entry no longer in use is deactivated, never deleted (cases point to it)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    source = models.CharField(_("defined by"), max_length=20, choices=LegalSource.choices)
    articles = models.CharField(
        _("articles"), max_length=40, blank=True, help_text=_("Left empty when the article is not known for sure.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        lang = (get_language() or "ar")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ar

    @property
    def label(self) -> str:
        """The name with its articles, as the qualification reads: "Vol (art. 505)"."""
        if not self.articles:
            return self.name
        return _("%(name)s (art. %(articles)s)") % {"name": self.name, "articles": self.articles}


class ReferenceCounter(models.Model):
    """Last number handed out for a prefix and year; locked while a reference is made."""

    prefix = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="refcounter_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Case(models.Model):
    """A complaint or grievance, from intake to closure.

    The clock fields implement deadlines that pause: `clock_elapsed` holds the working seconds
    accumulated before `clock_running_since`; while the case waits (on the complainant, on the
    prosecutor) or is closed, `clock_running_since` is empty and the clock is stopped.
    `state` is written only by `cases.services.case_transition` (and intake).
    """

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    tracking_code_enc = models.TextField(_("tracking code (encrypted)"))
    tracking_code_hash = models.CharField(_("tracking code hash"), max_length=64, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_reference = models.CharField(_("external reference"), max_length=64, blank=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases")
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.RECEIVED)
    assigned_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    offence = models.ForeignKey(
        Offence,
        verbose_name=_("legal qualification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("proposed unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Unit proposed by routing at intake."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_cases",
    )
    created_at = models.DateTimeField(_("registered at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    # Deadlines and clock
    state_entered_at = models.DateTimeField(_("state entered at"))
    state_due_at = models.DateTimeField(_("state deadline"), null=True, blank=True)
    paused_state_remaining = models.IntegerField(null=True, blank=True, editable=False)
    clock_budget = models.PositiveIntegerField(_("closure budget (s)"))
    clock_elapsed = models.PositiveIntegerField(_("working time before the running segment (s)"), default=0)
    clock_running_since = models.DateTimeField(null=True, blank=True)
    closure_due_at = models.DateTimeField(_("closure deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    first_action_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    # Prosecutor
    prosecutor_office = models.CharField(_("prosecutor's office"), max_length=200, blank=True)
    prosecutor_reference = models.CharField(_("prosecutor's reference"), max_length=64, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    instructions_at = models.DateTimeField(_("instructions received at"), null=True, blank=True)
    # Closure
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_within_deadline = models.BooleanField(_("closed within deadline"), null=True, blank=True)
    closing_report = models.TextField(_("closing report"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    links = models.ManyToManyField("self", through="CaseLink", symmetrical=False, related_name="+")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["assigned_unit", "state", "-created_at"], name="case_unit_state"),
            models.Index(
                fields=["state_due_at"], name="case_state_due", condition=Q(clock_running_since__isnull=False)
            ),
            models.Index(fields=["latitude", "longitude"], name="case_place"),
            models.Index(fields=["category", "created_at"], name="case_category_created"),
            # The lists at national scale (docs/performance.md): each serves one page of a list in
            # its order (newest first, id breaking ties) from an index range, so the cost of a page
            # does not depend on how many complaints the jurisdiction holds.
            # Open complaints, any unit: a chief's queue (their units as a filter on the way). The
            # included columns are those of the access filter, so the capped count of a list is an
            # index-only scan.
            models.Index(
                fields=["-created_at", "-id"],
                condition=~Q(state="closed"),
                include=["assigned_unit", "sensitivity", "created_by", "assigned_officer", "overdue"],
                name="case_open_recent",
            ),
            # Open complaints someone registered, or is assigned: the front desk's and an
            # investigator's lists, a few thousand rows each, found without walking the country's.
            models.Index(
                fields=["created_by", "-created_at", "-id"], condition=~Q(state="closed"), name="case_registrar_open"
            ),
            models.Index(
                fields=["assigned_officer", "-created_at", "-id"],
                condition=~Q(state="closed"),
                name="case_officer_open",
            ),
            # Open complaints of one unit: a district's queue.
            models.Index(
                fields=["assigned_unit", "-created_at", "-id"],
                condition=~Q(state="closed"),
                include=["sensitivity", "created_by", "assigned_officer", "overdue"],
                name="case_unit_open_recent",
            ),
            # Every complaint of one unit, newest first (the lists without the "open" filter).
            models.Index(fields=["assigned_unit", "-created_at", "-id"], name="case_unit_recent"),
            # The overdue filter: a small partial index, read in list order.
            models.Index(fields=["-created_at", "-id"], condition=Q(overdue=True), name="case_overdue_recent"),
            # Search by the beginning of a reference ("CAS-2026-00"): LIKE 'x%' needs the pattern
            # operator class unless the database collation is C.
            models.Index(fields=["reference"], opclasses=["varchar_pattern_ops"], name="case_reference_prefix"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="closed", outcome__gt="") | ~Q(state="closed"), name="case_closed_has_outcome"
            ),
            models.CheckConstraint(
                condition=Q(state="referred", prosecutor_reference__gt="") | ~Q(state="referred"),
                name="case_referred_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def elapsed_seconds(self, now) -> int:
        running = int((now - self.clock_running_since).total_seconds()) if self.clock_running_since else 0
        return self.clock_elapsed + max(running, 0)

    def within_deadline(self, now) -> bool:
        return self.elapsed_seconds(now) <= self.clock_budget


class Complainant(models.Model):
    """Who complained. Identity number, phone and name are encrypted; hashes find earlier cases."""

    case = models.OneToOneField(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="complainant")
    anonymous = models.BooleanField(_("anonymous"), default=False)
    full_name_enc = models.TextField(_("full name (encrypted)"), blank=True)
    cnie_enc = models.TextField(_("CNIE (encrypted)"), blank=True)
    cnie_hash = models.CharField(_("CNIE hash"), max_length=64, blank=True, db_index=True)
    phone_enc = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone hash"), max_length=64, blank=True, db_index=True)
    language = models.CharField(_("contact language"), max_length=5, default="ar")
    email_enc = models.TextField(_("e-mail (encrypted)"), blank=True, default="")
    # Consent recorded at intake to be told of the complaint's progress (law 09-08): the portal
    # sends the acknowledgement, the main steps, the closing notice and the survey.
    notify_consent = models.BooleanField(_("agrees to be informed"), default=False)
    notify_channel = models.CharField(
        _("informed by"),
        max_length=10,
        blank=True,
        default="",
        help_text=_("sms or email when the complainant agreed and gave a number or an address; empty otherwise."),
    )

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant of {self.case_id}"


class CaseEvent(models.Model):
    """One line of the timeline: transitions, notes, attachments, reads of personal data."""

    case = models.ForeignKey(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = event_actor()
    transition = models.CharField(_("transition"), max_length=32, blank=True)
    from_state = models.CharField(_("from"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=State.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.case.created_at:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Attachment(models.Model):
    """A file brought with the complaint; its type was checked from its bytes."""

    case = models.ForeignKey(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CaseLink(models.Model):
    """An officer's statement that two complaints concern the same facts or person."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("link")
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="caselink_unique"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="caselink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} -> {self.to_case_id}"


class Escalation(models.Model):
    """An overdue case raised to a chief: level 1 its unit, 2 the area, 3 the wilaya."""

    case = models.ForeignKey(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="escalations"
    )
    due_at = models.DateTimeField(_("deadline missed"))
    at = models.DateTimeField(_("escalated at"))
    # Set when what is late is one of the prosecutor's instructions rather than the case's own clock.
    instruction = models.ForeignKey(
        "Instruction",
        verbose_name=_("prosecutor's instruction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalations",
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level", "due_at"], condition=Q(instruction__isnull=True), name="escalation_once"
            ),
            models.UniqueConstraint(
                fields=["instruction", "level"],
                condition=Q(instruction__isnull=False),
                name="escalation_instruction_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} L{self.level}"


class IdempotencyKey(models.Model):
    """Remembers an API create by its Idempotency-Key so that a retried request gets the first answer
    again (stored encrypted: it holds the complainant's words), for AMANE_IDEMPOTENCY_KEY_HOURS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    # Indexed for the periodic purge of expired keys.
    created_at = models.DateTimeField(db_index=True)
    answer_enc = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return self.key


class ProsecutorOffice(models.Model):
    """A public prosecutor's office (النيابة العامة) at a court of first instance or of appeal: the
    reference list a referral picks from (editable by administrators)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    level = models.CharField(_("court"), max_length=20, choices=CourtLevel.choices)
    city = models.CharField(_("city"), max_length=80)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("prosecutor's office")
        verbose_name_plural = _("prosecutor's offices")
        ordering = ["city", "level", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ar")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ar


class Referral(models.Model):
    """One referral of a case to the public prosecutor: to which office, when, under which of the
    prosecutor's references, and what was sent (records, certificates, seized objects)."""

    case = models.ForeignKey(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="referrals")
    office = models.ForeignKey(
        ProsecutorOffice,
        verbose_name=_("prosecutor's office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # The office as named at the time (older referrals name it in free text only).
    office_name = models.CharField(_("prosecutor's office"), max_length=200)
    prosecutor_reference = models.CharField(_("prosecutor's reference"), max_length=64)
    referred_at = models.DateTimeField(_("referred at"))
    sent = models.TextField(_("documents sent"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("referral to the prosecutor")
        verbose_name_plural = _("referrals to the prosecutor")
        ordering = ["referred_at", "id"]
        indexes = [models.Index(fields=["referred_at"], name="referral_at")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.prosecutor_reference}"


class Instruction(models.Model):
    """An instruction of the public prosecutor on a referred case, with its deadline, and its
    execution reported back. A late instruction is marked overdue and escalated like a case."""

    case = models.ForeignKey(Case, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="instructions")
    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="instructions"
    )
    kind = models.CharField(_("instruction"), max_length=20, choices=InstructionKind.choices)
    text = models.TextField(_("text of the instruction"))
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("to execute by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    execution_report = models.TextField(_("execution report"), blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overdue = models.BooleanField(_("overdue"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        verbose_name = _("prosecutor's instruction")
        verbose_name_plural = _("prosecutor's instructions")
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="instruction_pending_due", condition=Q(executed_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(executed_at__isnull=True) | Q(execution_report__gt=""), name="instruction_executed_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def executed_on_time(self) -> bool | None:
        return None if self.executed_at is None else self.executed_at <= self.due_at


# Kept in its own module for size; imported here so Django registers it with the app.
from cases.models_results import OperationalResult  # noqa: E402, F401
