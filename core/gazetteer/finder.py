"""Place names in free text (Arabic, French, Arabizi): every mention, its span and the place it names.

One Aho-Corasick automaton (pyahocorasick, C) holds every normalised name and variant. A hit counts
only on whole words of the normalised text; an Arabic name may carry a proclitic (و ب ل ف ك: "بالرباط",
"وفاس", and "للرباط" for "الرباط"). Then:
- names that are also ordinary words (data/ambiguous.csv) need help: "cased" ones must be written
  capitalised or accented in Latin script (Salé, not "sale"); "weak" ones must follow a place word or
  a preposition (حي، مدينة، في، ب…, quartier, à, de…) or share a province with another place named in
  the text ("الجديدة" is El Jadida in "بمدينة الجديدة", an adjective in "الحكومة الجديدة");
- a name after a title (الأمير، prince…) is a person, after a street word (شارع، rue…) a street;
- overlapping hits keep the longest ("الدار البيضاء سطات" is the region, not the city and Settat);
- a name shared by several places (many "Sidi …", "Hay Mohammadi" in Casablanca and in Agadir) is
  resolved by the other places in the text: one whose ancestor, province or region is also named
  wins, then the most populous.
"""

from __future__ import annotations

import csv
import functools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ahocorasick

from core.gazetteer.places import DATA, Place, ancestors, chain, get, names, places
from core.textnorm import normalize, normalize_tokens

# Normalised proclitics allowed before an Arabic name, and those that swallow the alef of "ال".
_CLITICS = frozenset({"و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل", "وك", "فك"})
_LAM_CLITICS = frozenset({"ل", "ول", "فل"})
# Words after which a weak name is a place (normalised; Arabic ones also with a proclitic).
_TRIGGERS = frozenset(
    {
        *("مدينه", "اقليم", "عماله", "جماعه", "حي", "منطقه", "ولايه", "جهه", "دوار", "مقاطعه", "قياده", "بلديه"),
        *("باشويه", "دايره", "في", "من", "الي", "نحو", "قرب", "داخل", "بين", "سكان", "ساكنه", "احياء", "ضواحي"),
        *("نواحي", "باتجاه", "مركز", "a", "de", "d", "du", "dans", "vers", "ville", "quartier", "commune"),
        *("province", "prefecture", "region", "wilaya", "hay", "cite", "douar", "arrondissement", "pres"),
        *("depuis", "entre", "sur", "au", "aux", "habitants", "secteur", "zone"),
    }
)
# Words after which a name is a person or a street, not the place.
_TITLES = frozenset(
    {"الامير", "الاميره", "الملك", "السلطان", "سمو", "جلاله", "المولي"}
    | {"prince", "princesse", "roi", "sultan", "sar", "altesse", "king"}
)
_STREETS = frozenset(
    {
        "شارع",
        "زنقه",
        "ممر",
        "ساحه",
        "طريق",
        "نهج",
        "rue",
        "avenue",
        "av",
        "bd",
        "boulevard",
        "impasse",
        "allee",
        "place",
    }
)
# Automatic spelling pairs of Moroccan names in Latin script (HCP itself writes both).
_SWAPS = {"oulad": "ouled", "ouled": "oulad", "bni": "beni", "beni": "bni"}


@dataclass(frozen=True, slots=True)
class Match:
    """A place mention: original span [start, end), its text, the place, and every place it could name."""

    start: int
    end: int
    text: str
    place: Place
    candidates: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class _Key:
    length: int
    codes: tuple[str, ...]  # places the key names on its own
    lam_codes: tuple[str, ...]  # places it names only after ل ("لرباط" in "للرباط")
    arabic: bool
    cased: bool
    weak: bool


@dataclass(slots=True)
class _Mention:
    first: int  # index of the first and last normalised word
    last: int
    prefix: str
    key: _Key
    candidates: list[Place]
    start: int = 0
    end: int = 0
    chosen: Place | None = field(default=None)


def _spellings(key: str) -> set[str]:
    """The key and its automatic twins: "oulad teima" ↔ "ouled teima", "bni makada" ↔ "beni makada"."""
    out = {key}
    for i, word in enumerate(key.split()):
        if word in _SWAPS:
            out |= {" ".join(w if j != i else _SWAPS[word] for j, w in enumerate(k.split())) for k in list(out)}
    return out


def _most_specific(codes: Iterable[str]) -> tuple[str, ...]:
    """Drop a place when another place of the same name lies inside it (Casablanca the city, not the
    prefecture; the Maârif neighbourhood, not the arrondissement: the finer one carries the other in
    its chain)."""
    unique = list(dict.fromkeys(codes))
    inner = {a.code for c in unique if (p := get(c)) for a in ancestors(p)}
    return tuple(c for c in unique if c not in inner)


def _rules() -> dict[str, set[str]]:
    rules: dict[str, set[str]] = defaultdict(set)
    with open(DATA / "ambiguous.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            rules[normalize(row["name"])].add(row["rule"])
    return rules


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    rules = _rules()
    plain: dict[str, list[str]] = defaultdict(list)
    lam: dict[str, list[str]] = defaultdict(list)
    strong: set[str] = set()  # keys naming at least one place that is not a one-word neighbourhood
    for place in places():
        for _, name in names(place):
            for key in _spellings(normalize(name)):
                if not key:
                    continue
                plain[key].append(place.code)
                if key.startswith("ال") and len(key) > 3:
                    lam["ل" + key[2:]].append(place.code)
                if place.kind != "neighbourhood" or " " in key:
                    strong.add(key)
    automaton = ahocorasick.Automaton()
    for key in plain.keys() | lam.keys():
        latin = key.isascii()
        key_rules = rules.get(key, set())
        cased = "cased" in key_rules or (latin and " " not in key and len(key) <= 4 and "any" not in key_rules)
        weak = "weak" in key_rules or (key in plain and key not in strong)
        entry = _Key(
            len(key), _most_specific(plain.get(key, ())), _most_specific(lam.get(key, ())), not latin, cased, weak
        )
        automaton.add_word(key, entry)
    automaton.make_automaton()
    return automaton


def _bare(word: str) -> str:
    """An Arabic word without its proclitics ("وبمدينة" → "مدينه"), for trigger and title checks."""
    for size in (2, 1):
        if len(word) > size + 1 and word[:size] in _CLITICS:
            return word[size:]
    return word


def _skip_prefix(token: str, prefix: str) -> int:
    """Offset in the original token after a proclitic of len(prefix) normalised letters (and its marks)."""
    done, i = 0, 0
    while i < len(token) and done < len(prefix):
        done += len(normalize(token[i]))
        i += 1
    while i < len(token) and not normalize(token[i]):
        i += 1
    return i


def _hits(tokens: list[tuple[str, int, int]]) -> list[_Mention]:
    """Whole-word hits of the automaton, with the allowed Arabic proclitics."""
    words = [w for w, _, _ in tokens]
    joined = " ".join(words)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    out = []
    for end, key in _automaton().iter(joined):
        if end + 1 < len(joined) and joined[end + 1] != " ":
            continue
        begin = end - key.length + 1
        first = bisect_right(starts, begin) - 1
        prefix = joined[starts[first] : begin]
        codes = key.codes if not prefix or (key.arabic and prefix in _CLITICS) else ()
        if prefix in _LAM_CLITICS:
            codes = codes + key.lam_codes
        if not codes:
            continue
        candidates = [p for c in dict.fromkeys(codes) if (p := get(c)) is not None]
        out.append(_Mention(first, bisect_right(starts, end) - 1, prefix, key, candidates))
    return out


def _capitalised(text: str) -> bool:
    return bool(text) and (text[0].isupper() or not text.isascii())


def _select(text: str, tokens: list[tuple[str, int, int]], mentions: list[_Mention], strict: bool) -> list[_Mention]:
    """Drop persons, streets and lowercase homographs; keep the longest of overlapping hits."""
    kept: list[_Mention] = []
    last = -1
    for m in sorted(mentions, key=lambda m: (m.first, -(m.last - m.first), -m.key.length)):
        if m.first <= last:
            continue
        before = _bare(tokens[m.first - 1][0]) if m.first > 0 else ""
        if before in _TITLES or before in _STREETS:
            continue
        token_start = tokens[m.first][1]
        m.start = token_start + (_skip_prefix(text[token_start : tokens[m.first][2]], m.prefix) if m.prefix else 0)
        m.end = tokens[m.last][2]
        if strict and m.key.cased and not _capitalised(text[m.start : m.end]):
            continue
        kept.append(m)
        last = m.last
    if not strict:
        return kept
    return _supported(tokens, kept)


def _supported(tokens: list[tuple[str, int, int]], mentions: list[_Mention]) -> list[_Mention]:
    """Weak names stay when a place word or a preposition comes first, or a place of their province is named."""
    provinces = {p.province_code for m in mentions if not m.key.weak for p in m.candidates}
    kept = []
    for m in mentions:
        if m.key.weak and not m.prefix:
            before = _bare(tokens[m.first - 1][0]) if m.first > 0 else ""
            if before not in _TRIGGERS:
                m.candidates = [p for p in m.candidates if p.province_code in provinces]
        if m.candidates:
            kept.append(m)
    return kept


def _score(place: Place, context: set[str]) -> tuple[int, int]:
    """How well a candidate fits the other places of the text, then its population."""
    if place.code in context:
        fit = 4  # another place named lies inside it ("Youssoufia … Takaddoum")
    elif any(a.code in context for a in ancestors(place) if a.kind != "region"):
        fit = 3  # its city or province is named ("Hay Mohammadi, Agadir")
    elif place.province_code in context:
        fit = 2
    elif place.region_code in context:
        fit = 1
    else:
        fit = 0
    return fit, place.population or 0


def _resolve(mentions: list[_Mention]) -> None:
    """Choose each mention's place: unique ones first, then the others in their light, twice."""
    for m in mentions:
        m.chosen = m.candidates[0] if len(m.candidates) == 1 else None
    for _ in range(2):
        for m in mentions:
            if len(m.candidates) == 1:
                continue
            context = {p.code for o in mentions if o is not m and o.chosen for p in chain(o.chosen)}
            m.chosen = max(m.candidates, key=lambda p: _score(p, context))


def scan(text: str, *, strict: bool = True, keep: Callable[[Place], bool] | None = None) -> list[Match]:
    """find_places with options: `strict=False` (an address: every name counts), `keep` to filter candidates."""
    tokens = normalize_tokens(text)
    if not tokens:
        return []
    mentions = _select(text, tokens, _hits(tokens), strict)
    if keep is not None:
        for m in mentions:
            m.candidates = [p for p in m.candidates if keep(p)]
        mentions = [m for m in mentions if m.candidates]
    _resolve(mentions)
    return [Match(m.start, m.end, text[m.start : m.end], m.chosen, tuple(m.candidates)) for m in mentions if m.chosen]


def find_places(text: str) -> list[Match]:
    """Every place mentioned in `text`, in order, each resolved to one place (see the module notes)."""
    return scan(text)
