"""The media watch's records: the sources polled or pasted, the items they bring, and the events
(the same story told by several outlets, in one or two languages) the items are grouped into."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from media.choices import EventState, Label, LabelSource, SourceKind


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
