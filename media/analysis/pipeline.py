"""The media analysis pipeline: one pass over each item (normalise, language, date, places, shingles, lexicon),
grouping into events as items arrive, then one vectorised triage of every event.

    analyser = Analyser()
    results = analyser.analyse([Item(text="...", published=datetime(...), url="https://...")])
    results[0].event, results[0].label, analyser.grouper.events[results[0].event].outlets

Triage is per event: the mean of the label probabilities of its items, harmful when any item is (see
`triage.TriageModel.predict_groups`). So an item's `label`, `confidence` and `harmful` are its event's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from core.textnorm import normalize

from . import lang as lang_mod
from .dates import DateHit, find_date
from .dedup import shingle_hashes
from .events import EventGrouper, ItemFeatures
from .lexicon import concepts, numbers
from .places import PlaceHit, place_keys, places_in
from .triage import Triage, TriageModel, get_model

CASABLANCA = ZoneInfo("Africa/Casablanca")
TRIAGE_CHARS = 1500  # the head of a long article says what it is about; the tail only costs time
_DIGITS = re.compile(r"\d+")
# Words every item of the beat uses: they would make unrelated stories look alike.
_STOP_WORDS = (
    "الشرطة الأمن الأمنية المصالح عناصر مصالح ولاية مدينة بمدينة حسب مصدر يوم تم التي الذي على في من إلى عن مع "
    "police sûreté wilaya selon les des une dans pour par avec sur qui que ont été est aux ville quartier"
)
_STOP = frozenset(normalize(w) for w in _STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Item:
    """One press article or social post as received."""

    text: str
    url: str | None = None
    published: datetime | None = None


@dataclass(slots=True)
class ItemResult:
    """What the pipeline says of one item (triage fields are its event's, filled after grouping)."""

    key: int
    lang: str
    date: date | None
    date_text: str | None
    places: list[PlaceHit]
    event: str
    label: str = "other"
    confidence: float = 0.0
    harmful: bool = False

    def as_json(self) -> dict[str, object]:
        """The JSON object `media_analyse` prints."""
        return {
            "lang": self.lang,
            "date": self.date.isoformat() if self.date else None,
            "date_text": self.date_text,
            "places": [p.as_json(self.lang) for p in self.places],
            "event": self.event,
            "label": self.label,
            "confidence": self.confidence,
            "harmful": self.harmful,
        }


def publication_day(published: datetime | None) -> date | None:
    """The publication day in Morocco's time zone (a naive datetime is taken as Moroccan local time)."""
    if published is None:
        return None
    return (published.astimezone(CASABLANCA) if published.tzinfo else published).date()


def outlet_of(url: str | None) -> str | None:
    """The outlet an item comes from: the host of its link without "www." (None without a link)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


@dataclass
class Analyser:
    """Runs the pipeline; keeps the events it formed (`grouper.events`) across calls."""

    model: TriageModel | None = None
    grouper: EventGrouper = field(default_factory=EventGrouper)
    _next_key: int = 0

    def _features(self, key: int, item: Item, normalized: str) -> tuple[ItemResult, ItemFeatures]:
        lang = lang_mod.detect_language(item.text, normalized)
        published_day = publication_day(item.published)
        hit: DateHit | None = find_date(item.text, published_day)
        hits = places_in(item.text)
        keys, fine = place_keys(hits)
        date_numbers = frozenset(int(d) for d in _DIGITS.findall(normalize(hit.text))) if hit else frozenset()
        features = ItemFeatures(
            key=key,
            script="arab" if lang in (lang_mod.AR, lang_mod.ARY) else "latn",
            day=(hit.date if hit and hit.date else published_day),
            published=item.published,
            outlet=outlet_of(item.url),
            places=keys,
            fine_places=fine,
            concepts=concepts(normalized),
            numbers=numbers(normalized, date_numbers),
            words=frozenset(w for w in normalized.split() if len(w) > 2 and w not in _STOP),
            hashes=shingle_hashes(normalized),
        )
        result = ItemResult(key, lang, hit.date if hit else None, hit.text if hit else None, hits, "")
        return result, features

    def analyse(self, items: Iterable[Item], model: TriageModel | None = None) -> list[ItemResult]:
        """Analyse and group `items` (after those of earlier calls), then triage every event they touch, from the
        texts of this call (phase 2 keeps the earlier items' texts in the database)."""
        results: list[ItemResult] = []
        texts: list[str] = []
        for item in items:
            result, normalized = self._add(item)
            results.append(result)
            texts.append(normalized[:TRIAGE_CHARS])
        self._triage(results, texts, model or self.model or get_model())
        return results

    def replay(self, items: Iterable[Item]) -> list[ItemResult]:
        """Group earlier items again, without triage (to rebuild the events of a past window in a new process)."""
        return [self._add(item)[0] for item in items]

    def _add(self, item: Item) -> tuple[ItemResult, str]:
        normalized = normalize(item.text)
        result, features = self._features(self._next_key, item, normalized)
        self._next_key += 1
        result.event = self.grouper.add(features).id
        return result, normalized

    def _triage(self, results: Sequence[ItemResult], texts: Sequence[str], model: TriageModel) -> None:
        groups = [int(r.event[1:]) for r in results]
        verdicts: dict[int, Triage] = model.predict_groups(texts, groups)
        for result, group in zip(results, groups, strict=True):
            verdict = verdicts[group]
            result.label, result.confidence, result.harmful = verdict.label, verdict.confidence, verdict.harmful


def parse_published(value: object) -> datetime | None:
    """An ISO 8601 date or date-time ("2022-09-27", "2022-09-27T08:15:00+01:00", "...Z"); None for null."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("'published' must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CASABLANCA)
