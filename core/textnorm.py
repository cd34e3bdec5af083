"""Text normalisation for matching Moroccan text: Arabic, French and Latin-script Darija (Arabizi).

`normalize(text)` is the one entry point for matching and shingling: it lowercases, folds every
script at once (scripts do not overlap, so one translation table serves them all), maps Arabizi
digits inside words, turns punctuation into spaces and collapses whitespace. It is on the media
path (thousands of items a second), so the work is done by `str.translate` / `bytes.translate`
tables and compiled regexes built once at import; only words that really mix letters and Arabizi
digits go through a Python callback.

The output is for comparison only, never for display: "الدار البيضاء" and "الدار البيضا" both give
"الدار البيضا", "Aïn-Sebaâ" and "ain sebaa" both give "ain sebaa".

Arabizi representation (documented choice): the digits Moroccans use for Arabic sounds become the
Latin letters a French transliteration of the same word uses, not Arabic letters. Arabizi is
Latin-script text, and so are the French names it must match: "7ay m9awma" → "hay mkawma",
"3in chock" → "ain chock", "5emisset" → "khemisset". Mapping to Arabic letters would need a full,
ambiguous transliteration of every Latin vowel, which helps no comparison.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_fr", "normalize", "normalize_ar", "normalize_arabizi", "normalize_tokens"]

# --- Arabic -------------------------------------------------------------------------------------

# Letters folded for matching. Hamza carriers lose the hamza (NFKD already splits أ إ آ ؤ ئ into a
# base letter and a combining hamza, which is dropped); these are the ones without a decomposition.
_AR_LETTERS = {
    "\u0671": "ا",  # ٱ alef wasla
    "\u0672": "ا",  # ٲ
    "\u0673": "ا",  # ٳ
    "\u0649": "ي",  # ى alef maqsura: written for final ya in Egypt and often in Morocco
    "\u06cc": "ي",  # ی Farsi yeh (Persian keyboards)
    "\u0629": "ه",  # ة taa marbuta: written with or without dots
    "\u0621": "",  # ء standalone hamza: often dropped at the end of a word (البيضاء / البيضا)
    "\u0640": "",  # ـ tatweel (kashida), a stretching stroke
    "\u06a9": "ك",  # ک keheh (Persian kaf)
    "\u06ad": "ك",  # ڭ ng: Moroccan "g" (ڭلميم / كلميم, أڭادير / أكادير)
    "\u06af": "ك",  # گ gaf: "g" on some keyboards
    "\u06a4": "ف",  # ڤ veh: "v" in borrowings
    "\u06a5": "ف",  # ڥ Maghrebi veh
    "\u06a2": "ف",  # ڢ Maghrebi feh (dot below)
    "\u06a7": "ق",  # ڧ Maghrebi qaf (one dot above)
    "\u06a8": "ق",  # ڨ three-dot qaf ("g" in Algeria and eastern Morocco)
}

# French letters without a Unicode decomposition.
_LATIN_LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}

# Apostrophes and hyphens as they come from word processors, keyboards and the web.
_APOSTROPHES = "'’‘ʼ`´ʻ′"
_HYPHENS = "-‐‑‒–—―−"

# Code point ranges worth folding: Latin (with Latin Extended), general punctuation, Arabic
# (with supplement and extended-A) and the Arabic presentation forms copied from PDFs.
_RANGES = ((0x0000, 0x0250), (0x0300, 0x0370), (0x0600, 0x0780), (0x08A0, 0x0900), (0x2000, 0x2070), (0x20A0, 0x20C0))
# Symbols, arrows, dingbats and emoji too, so that "الرباط🔥" still ends its word.
_RANGES_PRESENTATION = ((0xFB50, 0xFF70), (0x2070, 0x2C00), (0x3000, 0x3040), (0x1F000, 0x1FB00))


def _fold_char(ch: str, *, arabic: bool, latin: bool, punct: bool) -> str:
    """The slow, readable definition of the fold of one character; the tables are built from it."""
    if ch in _AR_LETTERS:
        return _AR_LETTERS[ch] if arabic else ch
    if ch in _LATIN_LETTERS or ch.lower() in _LATIN_LETTERS:
        return _LATIN_LETTERS[ch.lower()] if latin else ch
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category == "Cf":
        return ""  # zero-width joiners, direction marks, byte-order mark
    is_arabic = "\u0600" <= ch <= "\u08ff" or ch >= "\ufb50"
    if (arabic and is_arabic) or (latin and not is_arabic):
        decomposed = unicodedata.normalize("NFKD", ch)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c) and c != "\u0640")
        if folded != ch:
            return "".join(_fold_char(c, arabic=arabic, latin=latin, punct=punct) for c in folded)
        if category == "Mn":
            return ""  # harakat, shadda, sukun, superscript alef, Quranic marks, stray accents
    if punct and (category[0] in "PSZ" or (category == "Cc")):
        return " "
    return ch


def _table(*, arabic: bool, latin: bool, punct: bool, ranges: tuple[tuple[int, int], ...]) -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in ranges:
        for code in range(start, end):
            ch = chr(code)
            folded = _fold_char(ch, arabic=arabic, latin=latin, punct=punct)
            if folded != ch:
                table[code] = folded
    return table


_ALL_RANGES = _RANGES + _RANGES_PRESENTATION
# normalize(): everything folded, punctuation (apostrophes and hyphens included) becomes a space.
_FULL = _table(arabic=True, latin=True, punct=True, ranges=_ALL_RANGES)
_FULL.update(dict.fromkeys(map(ord, _APOSTROPHES + _HYPHENS), " "))
# normalize_ar(): Arabic letters, digits and punctuation; Latin letters are left as they are.
_AR = _table(arabic=True, latin=False, punct=True, ranges=_ALL_RANGES)
_AR.update(dict.fromkeys(map(ord, _APOSTROPHES + _HYPHENS), " "))
# fold_fr(): accents and ligatures; apostrophes and hyphens unified but kept (they separate words
# differently: "l'océan", "aïn-sebaâ").
_FR = _table(arabic=False, latin=True, punct=False, ranges=_RANGES)
_FR.update(dict.fromkeys(map(ord, _APOSTROPHES), "'"))
_FR.update(dict.fromkeys(map(ord, _HYPHENS), "-"))
_FR.update({ord(c): " " for c in "\u00a0\u202f\u2009\u2007"})  # non-breaking and thin spaces

# ASCII fast path: one 256-byte table does lowercase and punctuation at C speed.
_ASCII_BYTES = bytes(
    (c + 32 if 65 <= c <= 90 else (c if chr(c).isalnum() else 32)) if c < 128 else c for c in range(256)
)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def normalize_ar(text: str) -> str:
    """Arabic folded for matching: no diacritics or tatweel, one alef, ي for ى, ه for ة, no hamza.

    Hamza carriers lose the hamza (أ إ آ ٱ → ا, ؤ → و, ئ → ي, ء dropped), the Moroccan and Persian
    letter forms fold to the common letter (ڭ گ ک → ك, ڤ → ف), Arabic-Indic and Eastern
    Arabic-Indic digits become ASCII, punctuation (، ؛ ؟ « » included) becomes a space and spaces
    collapse. Latin letters are left as written.
    """
    return _collapse(text.translate(_AR))


def fold_fr(text: str) -> str:
    """French folded: lowercase, no accents (é → e, ç → c), ligatures spelled (œ → oe, æ → ae).

    Apostrophes (’ ‘ ʼ ` ´) become ASCII "'" and hyphens/dashes become "-"; other punctuation is kept.
    """
    return _collapse(text.lower().translate(_FR))


# --- Arabizi ------------------------------------------------------------------------------------

# Digit (optionally followed by an apostrophe, the "dotted" variant) → Latin letters of a French
# transliteration. 2 (hamza) disappears as ء does in normalize_ar.
_ARABIZI = {
    "2": "",
    "3": "a",  # ع  (3in → ain)
    "3'": "gh",  # غ
    "5": "kh",  # خ
    "6": "t",  # ط
    "7": "h",  # ح  (7ay → hay)
    "7'": "kh",  # خ
    "8": "gh",  # غ  (less common)
    "9": "k",  # ق  (9asba → kasba; French writes Ksar, Kénitra, Akka with k)
    "9'": "d",  # ض
}
_ARABIZI_DIGIT = re.compile(r"[379]['’]|[235-9]")
# A word mixing Latin letters with Arabizi digits: a digit touching a letter.
_HAS_ARABIZI = re.compile(r"[a-z][235-9]|[235-9]['’]?[a-z]")
_ARABIZI_WORD = re.compile(r"[a-z0-9'’]*(?:[a-z][235-9]|[235-9]['’]?[a-z])[a-z0-9'’]*")
# Words that mix letters and digits but are not Arabizi: ordinals and units ("2eme", "5km", "12h30"),
# road numbers ("A7", "N9", "RN11").
_NOT_ARABIZI = re.compile(
    r"\d+(?:e|er|ere|re|eme|em|nd|nde|st|rd|th|km|m|cm|mm|kg|g|h|min|mn|s|dh|mad|ans?|x)(?:\d+)?|[a-z]{1,2}\d{1,3}"
)


def _arabizi_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _NOT_ARABIZI.fullmatch(word):
        return word
    return _ARABIZI_DIGIT.sub(lambda m: _ARABIZI[m.group(0).replace("’", "'")], word)


def _arabizi(lowered: str) -> str:
    return _ARABIZI_WORD.sub(_arabizi_word, lowered)


def normalize_arabizi(text: str) -> str:
    """Latin-script Darija lowercased with its digits spelled as French transliteration letters.

    "3afak" → "aafak", "7ay Mohammadi" → "hay mohammadi", "9ahwa" → "kahwa", "5ouribga" → "khouribga",
    "3'ir" → "ghir". Digits that are numbers stay ("rue 12", "5km", "A7").
    """
    return _collapse(_arabizi(text.lower()))


# --- One entry point ----------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Text folded for gazetteer matching and shingling, whatever its script.

    Lowercase; Arabic folded as in `normalize_ar`; accents and ligatures folded as in `fold_fr`;
    Arabizi digits inside words spelled as in `normalize_arabizi`; every punctuation mark,
    apostrophe and hyphen becomes a space; whitespace collapses. Idempotent.
    """
    lowered = text.lower()
    if _HAS_ARABIZI.search(lowered):
        lowered = _arabizi(lowered)
    if lowered.isascii():
        return _collapse(lowered.encode("ascii").translate(_ASCII_BYTES).decode("ascii"))
    return _collapse(lowered.translate(_FULL))


# --- Tokens with their place in the original text ------------------------------------------------


def _char_class(chars: set[str]) -> str:
    """A regex character class for a set of characters, written as ranges."""
    codes = sorted(map(ord, chars))
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
        prev = code
    return "[" + "".join(parts) + "]"


# Characters that end a word: those normalize() turns into spaces, and whitespace.
_SEPARATORS = {chr(c) for c, v in _FULL.items() if v and not v.strip()} | set(" \t\n\r\f\v")
# A word runs up to a separator, except the apostrophe of an Arabizi "3'" / "7'" / "9'" before a letter. Written
# as runs of non-separators joined by such apostrophes (not as one alternation tried at every character): the
# same words, a third faster, and this is on the media path.
_WORD_CHARS = "[^" + _char_class(_SEPARATORS)[1:] + "+"
_TOKEN = re.compile(_WORD_CHARS + r"(?:(?<=[379])['’](?=[A-Za-z])" + _WORD_CHARS + ")*")


def normalize_tokens(text: str) -> list[tuple[str, int, int]]:
    """The words of `normalize(text)`, each with the span (start, end) of the original it came from.

    `" ".join(word for word, _, _ in normalize_tokens(t)) == normalize(t)`: a finder matches on the
    normalised words and reports the original spans.
    """
    out: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        if _HAS_ARABIZI.search(word):
            word = _arabizi(word)
        folded = word.translate(_FULL)
        if not folded:
            continue
        start, end = match.span()
        if " " in folded or "\t" in folded:  # a ligature or fraction that folds to two words ("¼" → "1 4")
            out.extend((part, start, end) for part in folded.split())
        else:
            out.append((folded, start, end))
    return out
