"""The event's date in a press item: find the span with compiled regexes, resolve it with our own tables.

Covered: Moroccan month names (شتنبر، دجنبر، يوليوز، غشت، نونبر ...), Egyptian-style (أغسطس، سبتمبر ...),
Levantine (كانون الثاني، تشرين الأول ...) and Maghreb French loans (جانفي، جويلية، أوت ...); French months with
and without accents; a year glued to the month ("2 دجنبر2019"); weekday prefixes ("الاثنين 26 شتنبر 2022",
"ce jeudi 11 juillet"); numeric dates (26/09/2022); relative expressions resolved against the publication
date (أمس، أول أمس، البارحة، hier, avant-hier, lbare7, "ce mardi", "الأحد الماضي", "jeudi dernier", "16 الجاري",
"le 16 courant", "le 16 juillet dernier", "26 شتنبر الماضي").

Why not dateparser at run time: one `dateparser.parse` call costs ~0.4 ms on this machine (measured), the whole
per-item budget of the media pipeline (2,000 items/s), it does not know the Levantine months, and it cannot find
a span inside a sentence anyway. The span we find is already structured (day, month name, year), so a table
look-up resolves it in microseconds. The tests check our Moroccan table against dateparser's CLDR `ar-MA` and
`fr-MA` data, so the two cannot drift apart silently.

Which mention wins: the first one in the text that resolves, because press items state the event's date first
(a dateline is the publication day, which is then the best answer anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Month tables. Keys are written as they appear in text; the alef/hamza and accent variants are listed rather
# than normalised so that the span found is the span of the original text.
_AR_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "جانفي", "كانون الثاني", "ينير"),
    2: ("فبراير", "فيفري", "شباط", "فبرير"),
    3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "ابريل", "إبريل", "أفريل", "افريل", "نيسان"),
    5: ("ماي", "مايو", "أيار", "ايار"),
    6: ("يونيو", "يونيه", "جوان", "حزيران"),
    7: ("يوليوز", "يوليو", "يوليه", "جويلية", "تموز"),
    8: ("غشت", "أغسطس", "اغسطس", "أوت", "اوت", "آب"),
    9: ("شتنبر", "شتمبر", "سبتمبر", "أيلول", "ايلول"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول", "أكتوبير"),
    11: ("نونبر", "نوفمبر", "تشرين الثاني"),
    12: ("دجنبر", "ديسمبر", "دسمبر", "كانون الأول", "كانون الاول"),
}
_FR_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("janvier", "janv."),
    2: ("février", "fevrier", "févr.", "fevr."),
    3: ("mars",),
    4: ("avril", "avr."),
    5: ("mai",),
    6: ("juin",),
    7: ("juillet", "juil."),
    8: ("août", "aout"),
    9: ("septembre", "sept."),
    10: ("octobre", "oct."),
    11: ("novembre", "nov."),
    12: ("décembre", "decembre", "déc.", "dec."),
}
MONTHS: dict[str, int] = {
    name: number for table in (_AR_MONTHS, _FR_MONTHS) for number, names in table.items() for name in names
}

# Monday = 0, as date.weekday().
_AR_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("الاثنين", "الإثنين", "الأثنين", "الاتنين", "التنين"),
    1: ("الثلاثاء", "الثلاثا", "التلات", "التلاتاء"),
    2: ("الأربعاء", "الاربعاء", "الاربعا", "الأربعا", "لاربع"),
    3: ("الخميس",),
    4: ("الجمعة", "الجمعه", "جمعة"),
    5: ("السبت", "سبت"),
    6: ("الأحد", "الاحد", "الحد"),
}
_FR_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("lundi",),
    1: ("mardi",),
    2: ("mercredi",),
    3: ("jeudi",),
    4: ("vendredi",),
    5: ("samedi",),
    6: ("dimanche",),
}
WEEKDAYS: dict[str, int] = {
    name: number for table in (_AR_WEEKDAYS, _FR_WEEKDAYS) for number, names in table.items() for name in names
}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _alternation(names: Iterable[str]) -> str:
    """Longest first, so that "تشرين الثاني" wins over a shorter prefix; dots and spaces escaped."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)


_D = r"[0-9٠-٩]"
_MONTH = _alternation(MONTHS)
_WEEKDAY = _alternation(WEEKDAYS)
# French weekday names alone ("a interpellé lundi") are dates; Arabic ones alone are not always ("سوق الخميس"
# is a town), so they need a prefix (يوم، نهار، ليلة…) or a modifier (الماضي).
_FR_WEEKDAY = _alternation(n for names in _FR_WEEKDAYS.values() for n in names)
# A word must not run on into a letter: Arabic letters are \w too, so "مارسة" does not match "مارس"; a digit
# may follow, for the year glued to its month ("2 دجنبر2019").
_END = r"(?![^\W\d_])"
# A mention starts a word, or follows one of the one-letter Arabic prefixes (و، ب، ل) glued to it; this also
# keeps "امس" out of "الخامس" and "hier" out of "fichier".
_START = r"(?:(?<!\w)|(?<=(?<!\w)[وبل]))"
_PAST = r"الماضي|الماضية|المنصرم|الأخير|الاخير|dernier|dernière|passé"
_NEXT = r"المقبل|المقبلة|القادم|القادمة|prochain|prochaine"
_CURRENT = r"الجاري|الحالي|courant|du\s+mois\s+courant|du\s+mois\s+en\s+cours|من\s+الشهر\s+الجاري|من\s+هذا\s+الشهر"

_PATTERN = re.compile(
    rf"""
    {_START}(?:
    (?:(?:ce|cette|يوم|نهار)\s+)?(?:(?P<wd>{_WEEKDAY}){_END}[\s,،]*)?(?:le\s+|يوم\s+)?
      (?P<day>{_D}{{1,2}})(?:er)?\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH}){_END}
      (?:\s*[,،]?\s*(?P<year>{_D}{{4}}))?(?:\s+(?P<mod>{_PAST}|{_NEXT}))?
    | (?P<nday>{_D}{{1,2}})[/.-](?P<nmonth>{_D}{{1,2}})[/.-](?P<nyear>{_D}{{4}}|{_D}{{2}})(?!{_D})
    | (?:le\s+|يوم\s+)?(?P<cday>{_D}{{1,2}})\s+(?:{_CURRENT}){_END}
    | (?P<rel>أول\s+أمس|أول\s+امس|قبل\s+أمس|قبل\s+امس|أمس|امس|البارحة|البارح|avant-hier|avant\s+hier|hier
             |lbare7|lbar7|lbareh|l'bare7){_END}(?:\s+(?P<relwd>{_WEEKDAY}){_END})?
    | (?:(?P<this>ce|cette)\s+|(?:يوم|نهار|ليلة|صباح|مساء|dans\s+la\s+nuit\s+de)\s+)(?P<wd2>{_WEEKDAY}){_END}
      (?:\s+(?P<mod2>{_PAST}|{_NEXT}))?
    | (?P<wd3>{_WEEKDAY}){_END}\s+(?P<mod3>{_PAST}|{_NEXT}){_END}
    | (?P<wd4>{_FR_WEEKDAY}){_END}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_PAST_RE = re.compile(_PAST, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date mention: the resolved day (None when it needs a publication date we lack) and its span."""

    date: date | None
    text: str
    start: int
    end: int


def _int(digits: str) -> int:
    return int(digits.translate(_DIGITS))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, weekday: int | None, mod: str | None, published: date | None) -> date | None:
    """The year of a day-and-month mention without one.

    A weekday named with it decides among the publication year and the one before ("ce jeudi 11 juillet").
    Otherwise "dernier / الماضي" means the latest such day not after publication, "prochain / المقبل" the next
    one, and a bare date the publication year unless that puts it more than a month after publication (the
    press reports past events: "22 دجنبر" read on 3 January is last year's).
    """
    if published is None:
        return None
    years = (published.year, published.year - 1, published.year + 1)
    candidates = [d for y in years if (d := _safe_date(y, month, day))]
    if weekday is not None:
        matching = [d for d in candidates if d.weekday() == weekday]
        if matching:
            return min(matching, key=lambda d: abs((d - published).days))
    if mod and _PAST_RE.fullmatch(mod):
        past = [d for d in candidates if d <= published]
        return max(past) if past else None
    if mod:
        future = [d for d in candidates if d >= published]
        return min(future) if future else None
    this_year = _safe_date(published.year, month, day)
    if this_year and this_year <= published + timedelta(days=31):
        return this_year
    return _safe_date(published.year - 1, month, day)


def _weekday_near(weekday: int, published: date | None, mod: str | None) -> date | None:
    """The latest such weekday not after publication ("ce mardi"); strictly before it with "dernier / الماضي"."""
    if published is None:
        return None
    back = (published.weekday() - weekday) % 7
    if mod and not _PAST_RE.fullmatch(mod):
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    if mod and back == 0:
        back = 7
    return published - timedelta(days=back)


def _resolve(m: re.Match[str], published: date | None) -> date | None:
    """Turn one match of _PATTERN into a date (or None when it cannot be placed in time)."""
    g = m.groupdict()
    if g["month"]:
        month, day = MONTHS[re.sub(r"\s+", " ", g["month"].lower())], _int(g["day"])
        weekday = WEEKDAYS[g["wd"].lower()] if g["wd"] else None
        if g["year"]:
            return _safe_date(_int(g["year"]), month, day)
        return _infer_year(month, day, weekday, g["mod"], published)
    if g["nday"]:
        year = _int(g["nyear"])
        return _safe_date(year + 2000 if year < 100 else year, _int(g["nmonth"]), _int(g["nday"]))
    if published is None:
        return None
    if g["cday"]:
        return _safe_date(published.year, published.month, _int(g["cday"]))
    if g["rel"]:
        rel = g["rel"].lower()
        return published - timedelta(days=2 if rel.startswith(("أول", "قبل", "avant")) else 1)
    if g["wd2"]:
        return _weekday_near(WEEKDAYS[g["wd2"].lower()], published, g["mod2"])
    if g["wd3"]:
        return _weekday_near(WEEKDAYS[g["wd3"].lower()], published, g["mod3"])
    return _weekday_near(WEEKDAYS[g["wd4"].lower()], published, None)


def find_date(text: str, published: date | None = None) -> DateHit | None:
    """The event's date in `text`: the first mention that resolves, else the first mention found, else None.

    `published` (the item's publication day) places relative mentions and year-less dates in time; without
    it such a mention is returned with `date=None`, so the caller still sees what was written.
    """
    first: DateHit | None = None
    for m in _PATTERN.finditer(text):
        resolved = _resolve(m, published)
        hit = DateHit(resolved, m.group(0).strip(), m.start(), m.end())
        if resolved is not None:
            return hit
        first = first or hit
    return first
