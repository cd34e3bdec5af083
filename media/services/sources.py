"""Sources: adding and changing an outlet's feed, polling it on its schedule (with backoff on failure),
and the two sources pasted and imported items come from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.errors import ValidationFailed
from media import feeds
from media.choices import SourceKind
from media.models import Source
from media.services.ingest import IngestResult, ingest

MAX_BACKOFF = timedelta(hours=24)
MIN_POLL_MINUTES, MAX_POLL_MINUTES = 5, 24 * 60
Fetcher = Callable[..., feeds.Fetched]


@dataclass
class PollResult:
    source: Source
    status: int | None
    error: str = ""
    stored: int = 0
    skipped: int = 0


def _snapshot(source: Source) -> dict[str, object]:
    return {"name": source.name, "kind": source.kind, "active": source.active, "poll_minutes": source.poll_minutes}


def _check_minutes(poll_minutes: int) -> None:
    if not MIN_POLL_MINUTES <= poll_minutes <= MAX_POLL_MINUTES:
        message = _("Poll every %(low)d to %(high)d minutes.") % {"low": MIN_POLL_MINUTES, "high": MAX_POLL_MINUTES}
        raise ValidationFailed(message, fields={"poll_minutes": message})


def source_create(*, actor: object, name: str, url: str, poll_minutes: int = 30) -> Source:
    """Add an outlet's RSS or Atom feed; it is polled at once, then every `poll_minutes`."""
    name, url = (name or "").strip(), (url or "").strip()
    _check_minutes(poll_minutes)
    if not url.lower().startswith(("http://", "https://")):
        message = _("Give the feed's http or https address.")
        raise ValidationFailed(message, fields={"url": message})
    try:
        feeds.check_address(url)
    except feeds.FeedError as exc:
        message = _("This address is inside the police network: only public feeds can be watched.")
        raise ValidationFailed(message, fields={"url": message}) from exc
    with transaction.atomic():
        if Source.objects.filter(url=url).exists():
            message = _("This feed is already watched.")
            raise ValidationFailed(message, fields={"url": message})
        source = Source.objects.create(
            name=name[:200], kind=SourceKind.FEED, url=url, poll_minutes=poll_minutes, next_poll_at=timezone.now()
        )
        audit_record(actor=actor, action="media_source.create", obj=source, after=_snapshot(source))
    return source


def source_update(*, actor: object, source: Source, active: bool, poll_minutes: int) -> Source:
    """Switch a source on or off, change how often it is polled."""
    _check_minutes(poll_minutes)
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        before = _snapshot(source)
        source.active, source.poll_minutes = active, poll_minutes
        if active and source.next_poll_at is None:
            source.next_poll_at = timezone.now()
        source.save(update_fields=["active", "poll_minutes", "next_poll_at"])
        audit_record(actor=actor, action="media_source.update", obj=source, before=before, after=_snapshot(source))
    return source


def officer_source(kind: str) -> Source:
    """The one source of every pasted item (kind paste) or imported post (kind import)."""
    assert kind in (SourceKind.PASTE, SourceKind.IMPORT)
    source, _created = Source.objects.get_or_create(
        kind=kind, url="", defaults={"name": kind, "active": True, "poll_minutes": MAX_POLL_MINUTES}
    )
    return source


def due_sources(now: datetime | None = None) -> QuerySet[Source]:
    now = now or timezone.now()
    return (
        Source.objects.filter(kind=SourceKind.FEED, active=True)
        .exclude(url="")
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by("next_poll_at", "pk")
    )


def backoff(poll_minutes: int, failures: int) -> timedelta:
    """The wait after `failures` failures in a row: poll_minutes × 2^failures, at most 24 hours."""
    return min(timedelta(minutes=poll_minutes) * (2 ** min(failures, 16)), MAX_BACKOFF)


def source_poll(source: Source, *, fetch: Fetcher | None = None) -> PollResult:
    """Fetch the feed (outside the transaction: the network is slow), then record the answer and store
    the new entries in one transaction. A 304 stores nothing; a failure backs the schedule off."""
    fetched = (fetch or feeds.fetch)(source.url, etag=source.etag, last_modified=source.last_modified)
    now = timezone.now()
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        source.last_polled_at, source.last_status = now, fetched.status
        result = PollResult(source=source, status=fetched.status, error=fetched.error)
        if fetched.error:
            source.failures = min(source.failures + 1, 32000)
            source.last_error = fetched.error
            source.next_poll_at = now + backoff(source.poll_minutes, source.failures)
        else:
            source.failures, source.last_error, source.last_ok_at = 0, "", now
            source.next_poll_at = now + timedelta(minutes=source.poll_minutes)
            if not fetched.not_modified:
                source.etag, source.last_modified = fetched.etag, fetched.last_modified
                stored: IngestResult = ingest(actor=None, source=source, entries=fetched.entries)
                result.stored, result.skipped = stored.stored, stored.skipped
        source.save()
        audit_record(
            actor=None,
            action="media_source.poll",
            obj=source,
            after={"status": fetched.status, "failures": source.failures, "stored": result.stored},
        )
    return result


def poll_due(*, fetch: Fetcher | None = None, now: datetime | None = None) -> list[PollResult]:
    """Poll every active feed whose time has come (the periodic task and `media_poll`)."""
    return [source_poll(s, fetch=fetch) for s in due_sources(now)]
