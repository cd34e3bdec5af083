"""Events: the items that tell one story, grouped in two stages.

1. Near-duplicates (the same text re-published, lightly edited): MinHash LSH proposes, exact Jaccard of the
   character shingles (>= 0.5) confirms (`dedup.NearDuplicateIndex`), unless the two contradict each other
   (`compatible`: different places, days too far apart, different crimes).
2. Different wordings, including across languages: an event is a candidate when it shares a place key (a
   named place or one of its ancestors below the region) and its days overlap the item's day within
   WINDOW_DAYS (event date from the text, else the publication day). The item joins the candidate that
   - in the same script, shares enough content words (Jaccard of the word sets >= WORDS_MIN with one of the
     event's recent items), or
   - in any language, names a common specific concept of the bilingual lexicon (theft, stabbing, drugs…; not
     the generic "arrest") and also shares a stated number, a fine place (arrondissement, neighbourhood, rural
     commune), or two such concepts.
   Two different thefts in the same arrondissement on the same day are therefore one event: the officer
   sees them together and can split them (phase 2); a missed grouping would cost more.
Items without any place join an event only through stage 1.

`EventGrouper.add` is incremental (one item at a time, as a feed delivers them) and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .dedup import Hashes, NearDuplicateIndex
from .lexicon import GENERIC

WINDOW_DAYS = 2
WORDS_MIN = 0.3
RECENT_ITEMS = 8  # items of an event compared word by word (the latest ones)
_WINDOW = timedelta(days=WINDOW_DAYS)
_OFFSETS = [timedelta(days=d) for d in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]


@dataclass(frozen=True, slots=True)
class ItemFeatures:
    """What grouping needs to know of one item (built by the pipeline)."""

    key: int
    script: str  # "arab" or "latn"
    day: date | None
    published: datetime | None
    outlet: str | None
    places: frozenset[str]
    fine_places: frozenset[str]
    concepts: frozenset[str]
    numbers: frozenset[int]
    words: frozenset[str]
    hashes: Hashes


@dataclass
class Event:
    """A group of items about one event: its items in arrival order, when and where it spread."""

    id: str
    items: list[int] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    outlets: set[str] = field(default_factory=set)
    first_day: date | None = None
    last_day: date | None = None
    places: set[str] = field(default_factory=set)
    fine_places: set[str] = field(default_factory=set)
    concepts: set[str] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)
    published: list[datetime] = field(default_factory=list)
    _recent: list[ItemFeatures] = field(default_factory=list, repr=False)

    def spread(self, bucket: timedelta = timedelta(hours=1)) -> list[tuple[datetime, int]]:
        """Items published per time bucket since first seen: (bucket start, count), empty buckets omitted."""
        if self.first_seen is None:
            return []
        counts: dict[int, int] = {}
        for when in self.published:
            slot = int((when - self.first_seen) / bucket)
            counts[slot] = counts.get(slot, 0) + 1
        return [(self.first_seen + slot * bucket, n) for slot, n in sorted(counts.items())]

    def _absorb(self, item: ItemFeatures) -> None:
        self.items.append(item.key)
        if item.published is not None:
            self.published.append(item.published)
            self.first_seen = min(self.first_seen or item.published, item.published)
            self.last_seen = max(self.last_seen or item.published, item.published)
        if item.outlet:
            self.outlets.add(item.outlet)
        if item.day is not None:
            self.first_day = min(self.first_day or item.day, item.day)
            self.last_day = max(self.last_day or item.day, item.day)
        self.places |= item.places
        self.fine_places |= item.fine_places
        self.concepts |= item.concepts
        self.numbers |= item.numbers
        self._recent.append(item)
        del self._recent[:-RECENT_ITEMS]


def _word_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _days_apart(day: date | None, first: date | None, last: date | None) -> bool:
    if day is None or first is None or last is None:
        return False
    return day < first - _WINDOW or day > last + _WINDOW


def compatible(item: ItemFeatures, other: ItemFeatures | Event) -> bool:
    """No contradiction between an item and an earlier item or an event: both placed but nowhere in common,
    days too far apart, both naming specific concepts but none in common (one wilaya's theft and drug
    communiqués of the same day read alike but are two events), or both stating numbers but none in common
    ("6 suspects" is not "trois individus"). Applies to near-duplicates too: a template is not a story."""
    places: AbstractSet[str] = other.places
    concepts: AbstractSet[str] = other.concepts
    stated: AbstractSet[int] = other.numbers
    first, last = (other.first_day, other.last_day) if isinstance(other, Event) else (other.day, other.day)
    if item.places and places and not item.places & places:
        return False
    if item.numbers and stated and not item.numbers & stated:
        return False
    if _days_apart(item.day, first, last):
        return False
    mine, theirs = item.concepts - GENERIC, set(concepts) - GENERIC
    return not (mine and theirs and not mine & theirs)


def same_story(item: ItemFeatures, event: Event) -> bool:
    """The content test of stage 2 (shared place and day window come from the index)."""
    if not compatible(item, event):
        return False
    if any(r.script == item.script and _word_jaccard(item.words, r.words) >= WORDS_MIN for r in event._recent):
        return True
    specific = (item.concepts & event.concepts) - GENERIC
    if not specific:
        return False
    return bool(item.numbers & event.numbers) or bool(item.fine_places & event.fine_places) or len(specific) >= 2


@dataclass
class EventGrouper:
    """Assigns each item to an event (new or existing); keeps the events and the indexes."""

    near_duplicates: NearDuplicateIndex = field(default_factory=NearDuplicateIndex)
    events: dict[str, Event] = field(default_factory=dict)
    event_of: dict[int, str] = field(default_factory=dict)
    _by_place_day: dict[tuple[str, date | None], list[str]] = field(default_factory=dict)
    _features: dict[int, ItemFeatures] = field(default_factory=dict)

    def add(self, item: ItemFeatures) -> Event:
        """Group one item and return its event."""
        duplicate = self.near_duplicates.add(item.key, item.hashes)
        event: Event | None = None
        if duplicate is not None:
            other = self._features[duplicate[0]]
            if compatible(item, other):
                event = self.events[self.event_of[other.key]]
        if event is None:
            event = self._second_stage(item)
        if event is None:
            event = Event(id=f"e{len(self.events) + 1}")
            self.events[event.id] = event
        event._absorb(item)
        self.event_of[item.key] = event.id
        self._features[item.key] = item
        for code in item.places:
            bucket = self._by_place_day.setdefault((code, item.day), [])
            if not bucket or bucket[-1] != event.id:
                bucket.append(event.id)
        return event

    def _candidates(self, item: ItemFeatures) -> Iterator[Event]:
        days: list[date | None] = [None]
        if item.day is not None:
            days += [item.day + offset for offset in _OFFSETS]
        seen: set[str] = set()
        for code in sorted(item.places):
            for day in days:
                for event_id in self._by_place_day.get((code, day), ()):
                    if event_id not in seen:
                        seen.add(event_id)
                        yield self.events[event_id]

    def _second_stage(self, item: ItemFeatures) -> Event | None:
        # Earliest event first: the original story wins over a later one it might also resemble.
        for event in sorted(self._candidates(item), key=lambda e: int(e.id[1:])):
            if same_story(item, event):
                return event
        return None
