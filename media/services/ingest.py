"""Ingestion: items from a feed, a paste or an import stored once per link, analysed, and grouped into
persisted events.

The grouper's memory survives between polls and processes through the database: each call replays the
items received in the last RECENT_DAYS (at most RECENT_MAX of them) into a fresh `Analyser`, then adds
the new items. A new item that the grouper puts with stored items joins the Event row of the earliest of
them (its *current* event: an officer's split or merge is respected); a group made only of new items
becomes a new Event. Replaying costs about half a millisecond an item (bench/media.py); a process-level
cache is the next step if polls grow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from cases.routing import Placement, district_near, wilaya_for
from core.textnorm import normalize
from media.analysis.pipeline import TRIAGE_CHARS, Analyser, ItemResult, outlet_of
from media.analysis.pipeline import Item as AnalysisItem
from media.analysis.places import PlaceHit
from media.analysis.triage import get_model
from media.choices import LabelSource
from media.entry import Entry
from media.models import Event, Item, Source
from org.models import Unit

RECENT_DAYS = 10
RECENT_MAX = 5000
TRIAGE_ITEMS = 50  # the latest items of an event that its triage reads
TRACKING = frozenset({"fbclid", "gclid", "igshid", "mc_cid", "mc_eid"})
# The most precise place names where the event happened; a region says little.
PRECISION = {"neighbourhood": 0, "arrondissement": 1, "commune": 2, "prefecture_arrondissements": 3, "city": 4}


@dataclass
class IngestResult:
    """The items stored (in the order given), how many were already stored, the events they joined."""

    items: list[Item] = field(default_factory=list)
    skipped: int = 0
    events: list[Event] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return len(self.items)


def link_key(link: str) -> str:
    """The link without fragment, tracking parameters (utm_*, fbclid, gclid…) or trailing slash, host in
    lower case: the key under which the same article is never stored twice ("" without a link)."""
    link = (link or "").strip()
    if not link:
        return ""
    parts = urlsplit(link)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))[:1000]


def _tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING


def ingest(*, actor: object, source: Source, entries: Iterable[Entry]) -> IngestResult:
    """Store the entries whose link is new, analyse them, group them into events; one transaction with
    its audit record (counts and ids only)."""
    now = timezone.now()
    with transaction.atomic():
        result = IngestResult()
        result.items = _store_new(source, list(entries), now, result)
        if result.items:
            result.events = _analyse_and_group(result.items, now)
            _audit(actor, source, result)
        return result


def _store_new(source: Source, entries: Sequence[Entry], now: datetime, result: IngestResult) -> list[Item]:
    keys = [link_key(e.link) for e in entries]
    known = stored_keys(keys)
    created: list[Item] = []
    for entry, key in zip(entries, keys, strict=True):
        if key and key in known:
            result.skipped += 1
            continue
        if key:
            known.add(key)
        item = Item(
            source=source,
            link=(entry.link or "").strip()[:1000],
            link_key=key,
            author_handle=entry.author[:200],
            title=entry.title[:500],
            text=entry.text,
            published_at=entry.published,
            received_at=now,
        )
        try:
            with transaction.atomic():  # a concurrent ingest stored the same link first: skip it
                item.save()
        except IntegrityError:
            result.skipped += 1
            continue
        created.append(item)
    return created


def stored_keys(keys: Sequence[str]) -> set[str]:
    """The link keys among `keys` already stored (a concurrent ingest may still store one after this read:
    the unique constraint then refuses the second row, and the item counts as skipped)."""
    return set(Item.objects.filter(link_key__in=[k for k in keys if k]).values_list("link_key", flat=True))


def _analysis_item(item: Item) -> AnalysisItem:
    return AnalysisItem(text=item.text, url=item.link or None, published=item.published_at or item.received_at)


def _analyse_and_group(created: list[Item], now: datetime) -> list[Event]:
    """Replay the recent window, analyse the new items, persist their fields and events."""
    new_ids = [i.pk for i in created]
    recent = list(
        Item.objects.filter(received_at__gte=now - timedelta(days=RECENT_DAYS))
        .exclude(pk__in=new_ids)
        .order_by("-received_at", "-pk")
        .only("pk", "text", "link", "published_at", "received_at", "event_id")[:RECENT_MAX]
    )
    recent.reverse()
    analyser = Analyser()
    analyser.replay(_analysis_item(i) for i in recent)
    results = analyser.replay(_analysis_item(i) for i in created)
    stored_keys = len(recent)
    by_group: dict[str, Event] = {}
    touched: dict[int, Event] = {}
    for item, res in zip(created, results, strict=True):
        event = by_group.get(res.event)
        if event is None:
            members = analyser.grouper.events[res.event].items
            earliest = next((recent[k].event_id for k in members if k < stored_keys and recent[k].event_id), None)
            # Locked: a concurrent ingest into the same event waits, then recounts with these items.
            event = Event.objects.select_for_update().filter(pk=earliest).first() if earliest else None
            event = event or _new_event(item, now)
            by_group[res.event] = event
        _fill(item, res, event)
        touched[event.pk] = event
    for event in touched.values():
        event_refresh(event)
    return list(touched.values())


def _new_event(item: Item, now: datetime) -> Event:
    seen = item.published_at or now
    return Event.objects.create(headline=_headline(item), first_seen=seen, last_seen=seen)


def _headline(item: Item) -> str:
    return (item.title or " ".join(item.text.split()))[:300]


def _place_json(hit: PlaceHit, lang: str) -> dict[str, object]:
    return {**hit.as_json(lang), "kind": hit.place.kind}


def _fill(item: Item, res: ItemResult, event: Event) -> None:
    item.lang = res.lang
    item.event_date = res.date
    item.date_text = (res.date_text or "")[:200]
    item.places = [_place_json(h, res.lang) for h in res.places]
    item.event = event
    item.save(update_fields=["lang", "event_date", "date_text", "places", "event"])


def event_refresh(event: Event) -> None:
    """Recompute an event from its items: headline (first item), first and last seen, counts, date,
    place and responsible unit, and the model's triage unless an officer set the label."""
    items = list(event.items.select_related("source").order_by("published_at", "received_at", "pk"))
    if not items:
        return
    first = items[0]
    seen = [i.published_at or i.received_at for i in items]
    event.headline = _headline(first)
    event.first_seen, event.last_seen = min(seen), max(seen)
    event.items_count = len(items)
    event.outlets_count = len({outlet_of(i.link) or f"source-{i.source_id}" for i in items})
    event.event_date = _event_date(items)
    place = _best_place(items)
    if place is not None:
        event.place_name = str(place["name"])[:200]
        event.lat, event.lon = float(place["lat"]), float(place["lon"])  # type: ignore[arg-type]
        event.unit = unit_for_point(event.lat, event.lon, str(place.get("kind", "")))
    if event.label_source != LabelSource.OFFICER:
        texts = [normalize(i.text)[:TRIAGE_CHARS] for i in items[-TRIAGE_ITEMS:]]
        verdict = get_model().predict_groups(texts, [0] * len(texts))[0]
        event.label, event.confidence, event.harmful = verdict.label, round(verdict.confidence, 4), verdict.harmful
    event.save()


def _event_date(items: Sequence[Item]) -> date | None:
    dates = [i.event_date for i in items if i.event_date is not None]
    return max(set(dates), key=lambda d: (dates.count(d), -d.toordinal())) if dates else None


def _best_place(items: Sequence[Item]) -> dict[str, object] | None:
    """The most precise place the items name (the earliest item wins a tie)."""
    best: tuple[int, int, int] | None = None
    found: dict[str, object] | None = None
    for n, item in enumerate(items):
        for m, place in enumerate(item.places or []):
            if place.get("lat") is None or place.get("lon") is None:
                continue
            rank = (PRECISION.get(str(place.get("kind", "")), 9), n, m)
            if best is None or rank < best:
                best, found = rank, place
    return found


def unit_for_point(lat: float, lon: float, kind: str) -> Unit | None:
    """The responsible unit: the district holding (or nearest to) the place, else the wilaya of its
    region; a region alone names only its wilaya."""
    district = None if kind == "region" else district_near(lat, lon)
    return district or wilaya_for(Placement(lat, lon))


def _audit(actor: object, source: Source, result: IngestResult) -> None:
    audit_record(
        actor=actor,
        action="media.ingest",
        obj=source,
        after={
            "kind": source.kind,
            "stored": result.stored,
            "skipped": result.skipped,
            "events": sorted(e.pk for e in result.events),
        },
    )
