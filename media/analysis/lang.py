"""Language of a press or social-media item: `ar` (Modern Standard Arabic), `ary` (Darija in Arabic script),
`fr`, `ary-Latn` (Darija in Latin script, Arabizi: "3afak", "7ay", "wach", "bzaf"), or `und` (no letters).

Three cheap signals, in order: the script (share of Arabic letters among letters) picks the branch; marker
words (grammar words one variety uses and the other avoids: "واش، ديال، بزاف، ما...ش" against "الذي، سوف،
لقد"; "wach, dyal, bzaf" and digits inside words against "le, les, est, dans") decide when they clearly
disagree; otherwise a character-trigram log-likelihood ratio, learned at first use from the language column of
the labelled examples (`data/labelled.jsonl`, a few milliseconds), breaks the tie. No model download.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache, reduce
from itertools import repeat
from operator import add
from pathlib import Path

from core.textnorm import fold_fr, normalize

AR, ARY, FR, ARY_LATN, UNDETERMINED = "ar", "ary", "fr", "ary-Latn", "und"
LANGUAGES = (AR, ARY, FR, ARY_LATN)
DATA = Path(__file__).resolve().parent / "data" / "labelled.jsonl"


def _words(block: str) -> list[str]:
    """A marker list written as a text block, one space between words (_ joins a two-word marker)."""
    return block.split()


_DARIJA_AR = _words("""
واش ديال ديالو ديالها ديالهم ديالنا ديالي ديالك ديالكم بزاف كاين كاينة كاينين ماكاينش ماكاين ماشي دابا غادي غادية
غادين شنو اشنو علاش فين كيفاش هادشي داكشي هاد هادي هادو راه راني راك راها واخا مزيان خويا خاصنا خاص خاصهم خاصها
بغينا بغيت بغا بغاو حيت حنا نتوما شي والو عافاكم عافاك بلي ولاو البارح البارحة كيقولو قالو اللي ديك داك دوك
تشد تشدو شدو مشات مشاو جاو جات كلشي حتى_حد بحال شحال فاش ملي مني كنطالبو كنطلبو زوين خايب خايبة الدراري دري
الطوموبيل طوموبيل البوليس بوليسي الكوميسارية الشفارة شفار الحومة الزنقة لاكار السبيطار فالليل فالدرب ماتصدقوش
""")
_MSA = _words("""
الذي التي الذين اللذين اللتين هذا هذه ذلك تلك هؤلاء حيث قد لقد ان إن أن ليس ليست سوف لم لن عن إلى الى خلال منذ
وفق حسب إثر اثر ضد كما أي مما وذلك أيضا ايضا عدة جميع نحو لدى تم يتم فيما حول بشأن بخصوص إذ كانت أفادت أعلنت
أكدت أوضحت وأضاف مصدر المصالح الأمنية التابعة بمدينة قبل بعد الشرطة القضائية عناصر
""")
_DARIJA_LATN = _words("""
wach wash bzaf bezzaf bzzaf dyal dial dyali dyalna dyalo dyalha dyalhom kayn kayen kayna kaynin makaynch makayn
machi mashi daba ghadi ghadia ghadin chno chnou achno 3lach fin kifach hadchi dakchi had hadi hado rah rani raha
rak nta nti ntouma hna 7na mezyan mzyan khouya khoya khassna khass bghina bghit bgha walo drari derb chi 3afak
3afakom 3afakoum safi kolchi bla m3a ila walakin lah lbare7 galo gal kaygolo kaygoul bli 7ta b7al ch7al mli
wla wlaw tchdo chdo l7al bss7 s7i7 kifkif zwin zwina khayb khayba lmas2oulin jouj tlata wa7d wa7ed
""")
_FRENCH = _words("""
le les des est une un du dans pour par qui que sur avec au aux et ont été a de en ce cette il elle ils sont selon
après lors contre son sa ses leur leurs mais ou donc plus pas ne se sous entre depuis ayant été sera était
""")

_ARABIC_RUNS = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+")
_LATIN_RUNS = re.compile(r"[a-zA-Z\u00c0-\u024f]+")
# A Latin word with a digit used as a letter: "3afak", "7ay", "m3a", "ch7al", "s7i7" (not "12h", "5km", "A7").
_ARABIZI_WORD = re.compile(r"(?<![\w])(?=[a-z0-9']*[a-z])(?:[a-z']*[a-z][23579]|[23579][a-z])[a-z0-9']*", re.IGNORECASE)
_DARIJA_NEGATION = re.compile(r"ما\S{2,}ش")
_DARIJA_VERB = re.compile(r"(?:كي|كن|كت|كا|تي|تن)\S{3,}و")
_MSA_LOOKALIKE = frozenset({"كيلو", "كاتو"})


def _normalized_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(w.replace("_", " ")) for w in words)


_DARIJA_AR_SET = _normalized_set(_DARIJA_AR)
_MSA_SET = _normalized_set(_MSA)
_DARIJA_LATN_SET = frozenset(_DARIJA_LATN)
_FRENCH_SET = frozenset(_FRENCH)


def _trigrams(text: str) -> Iterable[str]:
    padded = f" {text} "
    return (padded[i : i + 3] for i in range(len(padded) - 2))


class _Profile:
    """Character-trigram log-likelihood ratio between two varieties of one script (add-one smoothing)."""

    def __init__(self, first: Iterable[str], second: Iterable[str]) -> None:
        a, b = Counter(), Counter()  # type: Counter[str], Counter[str]
        for text in first:
            a.update(_trigrams(text))
        for text in second:
            b.update(_trigrams(text))
        vocab = len(a.keys() | b.keys()) + 1
        total_a, total_b = sum(a.values()) + vocab, sum(b.values()) + vocab
        self.ratio = {g: math.log((a[g] + 1) / total_a) - math.log((b[g] + 1) / total_b) for g in a.keys() | b.keys()}

    def score(self, text: str) -> float:
        """Mean log-likelihood ratio per trigram: > 0 leans to the first variety."""
        grams = list(_trigrams(text))
        # Added left to right from 0.0 as a plain loop would (reduce, not sum: the same float, in C).
        total = reduce(add, map(self.ratio.get, grams, repeat(0.0)), 0.0)
        return total / len(grams) if grams else 0.0


def latin_form(text: str) -> str:
    """Latin text as the Latin-branch signals read it: French accents folded, Arabizi digits kept."""
    return fold_fr(text)


@lru_cache(maxsize=1)
def _profiles() -> tuple[_Profile, _Profile]:
    """(Darija vs MSA on normalised Arabic, Arabizi vs French on folded Latin), from the labelled examples."""
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            by_lang[row["lang"]].append(row["text"])
    arabic = _Profile(map(normalize, by_lang[ARY]), map(normalize, by_lang[AR]))
    latin = _Profile(map(latin_form, by_lang[ARY_LATN]), map(latin_form, by_lang[FR]))
    return arabic, latin


def _arabic_variety(normalized: str) -> str:
    tokens = normalized.split()
    darija = sum(map(_DARIJA_AR_SET.__contains__, tokens))
    # Both Darija patterns end in ش or و: other words skip the two regexes.
    darija += sum(
        1
        for t in tokens
        if t.endswith(("ش", "و"))
        and t not in _MSA_LOOKALIKE
        and (_DARIJA_NEGATION.fullmatch(t) or _DARIJA_VERB.fullmatch(t))
    )
    standard = sum(map(_MSA_SET.__contains__, tokens))
    margin = darija - standard
    if abs(margin) >= 2:
        return ARY if margin > 0 else AR
    return ARY if margin + 8 * _profiles()[0].score(normalized) > 0.5 else AR


def _latin_variety(text: str) -> str:
    folded = latin_form(text)
    tokens = folded.split()
    arabizi = sum(map(_DARIJA_LATN_SET.__contains__, tokens)) + 2 * len(_ARABIZI_WORD.findall(folded))
    french = sum(map(_FRENCH_SET.__contains__, tokens))
    margin = arabizi - french
    if abs(margin) >= 2:
        return ARY_LATN if margin > 0 else FR
    return ARY_LATN if margin + 8 * _profiles()[1].score(folded) > 0 else FR


def detect_language(text: str, normalized: str | None = None) -> str:
    """The language code of `text`; pass `normalized` (core.textnorm.normalize(text)) when you have it."""
    # Letters counted run by run (a word at a time), not one list element per letter.
    arabic = sum(map(len, _ARABIC_RUNS.findall(text)))
    latin = sum(map(len, _LATIN_RUNS.findall(text)))
    if arabic == 0 and latin == 0:
        return UNDETERMINED
    if arabic >= latin:
        return _arabic_variety(normalized if normalized is not None else normalize(text))
    return _latin_variety(text)
