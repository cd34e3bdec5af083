"""The media watch's records: the sources polled or pasted, the items they bring, and the events
(the same story told by several outlets, in one or two languages) the items are grouped into."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from media.choices import (
    ActionKind,
    CommuniqueKind,
    CommuniqueState,
    EventState,
    Label,
    LabelSource,
    PostStatus,
    SourceKind,
    Verdict,
)


class Source(models.Model):
    """An outlet's feed polled on its own schedule, or the place pasted and imported items come from.
    `etag` / `last_modified` make the next poll conditional; failures back the schedule off."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.FEED)
    url = models.URLField(_("feed address"), max_length=1000, blank=True)
    poll_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=30)
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failures = models.PositiveSmallIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="media_source_url_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """One story: its items, when it was first and last seen, where it happened and which unit
    answers for that place, and its triage (the model's, or the officer's correction)."""

    headline = models.CharField(_("headline"), max_length=300)
    first_seen = models.DateTimeField(_("first seen"), db_index=True)
    last_seen = models.DateTimeField(_("last seen"))
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=10, choices=Label.choices, default=Label.OTHER)
    confidence = models.FloatField(_("confidence"), default=0.0)
    harmful = models.BooleanField(_("violent or harmful content"), default=False)
    label_source = models.CharField(max_length=10, choices=LabelSource.choices, default=LabelSource.MODEL)
    state = models.CharField(_("state"), max_length=10, choices=EventState.choices, default=EventState.NEW)
    items_count = models.PositiveIntegerField(_("items"), default=0)
    outlets_count = models.PositiveIntegerField(_("outlets"), default=0)
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    rebutted_at = models.DateTimeField(_("rebuttal published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-last_seen", "-pk"]
        indexes = [models.Index(fields=["state", "-last_seen"], name="media_event_state_seen")]

    def __str__(self) -> str:
        return self.headline


class Item(models.Model):
    """One article or post as received. `link_key` is the link without tracking parameters,
    fragment or trailing slash: the same link is never stored twice."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="items")
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    link = models.URLField(_("link"), max_length=1000, blank=True)
    link_key = models.CharField(max_length=1000, blank=True)
    author_handle = models.CharField(_("author"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    lang = models.CharField(_("language"), max_length=8, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    date_text = models.CharField(_("date as written"), max_length=200, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["link_key"], condition=~Q(link_key=""), name="media_item_link_unique"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]


# ---------------------------------------------------------------------------- the officer's desk


class Correction(models.Model):
    """An officer's correction of an event's triage (label and/or harmful flag); `media_train`
    learns from these (each item text of the event becomes a corrected example)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="corrections")
    label = models.CharField(_("label"), max_length=10, choices=Label.choices, blank=True)
    harmful = models.BooleanField(_("violent or harmful content"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.label or '-'} / {self.harmful}"


class Action(models.Model):
    """One thing the cell did from an event, with the reference of what it opened (a complaint's or
    an incident's reference, shown to staff only; never on a public page)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.kind} {self.reference}"


class FactRequest(models.Model):
    """The cell asks the responsible unit for the facts; the unit's chiefs answer."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="fact_requests")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"), max_length=2000)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for facts")
        verbose_name_plural = _("requests for facts")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.unit_id}"


class Verification(models.Model):
    """A claim checked by an officer of the cell: evidence noted, then a verdict."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="verifications")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.verdict or '-'}"


class Communique(models.Model):
    """A communiqué of the service in Arabic and French: a rebuttal, a statement or the annual one.
    Its number ("COM-2026-0007") is given at publication and is its public address; nothing personal
    is ever written in it (the pages and the feed show only number, kind, titles, bodies, date)."""

    number = models.CharField(_("number"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CommuniqueKind.choices, default=CommuniqueKind.STATEMENT)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    body_ar = models.TextField(_("text (Arabic)"), max_length=10000)
    body_fr = models.TextField(_("text (French)"), max_length=10000)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="communiques"
    )
    verification = models.ForeignKey(
        Verification,
        verbose_name=_("verification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communiques",
    )
    state = models.CharField(_("state"), max_length=10, choices=CommuniqueState.choices, default=CommuniqueState.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # The annual communiqué speaks for the whole service: the director (a chief of the central unit)
    # approves the text before the cell may publish it; an edit after approval asks for it again.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")
        ordering = ["-published_at", "-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="media_communique_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number or self.title_fr

    def title_in(self, lang: str) -> str:
        return self.title_fr if lang == "fr" else self.title_ar

    def body_in(self, lang: str) -> str:
        return self.body_fr if lang == "fr" else self.body_ar


class OutboundPost(models.Model):
    """A post for the service's social account, queued by the outbox publisher (no network here:
    a sender would pick queued rows and mark them sent)."""

    communique = models.ForeignKey(Communique, verbose_name=_("communiqué"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=30)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.QUEUED)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("outbound post")
        verbose_name_plural = _("outbound posts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.status}"
