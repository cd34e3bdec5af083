"""A small bilingual lexicon of security terms, so that an Arabic, Darija and French wording of one event share
concepts (سرقة / vol / sri9a → "theft"), and the numbers an item states (digits or number words).

Terms are matched on `core.textnorm.normalize` output (no hamza, ه for ة, no accents, Arabizi digits spelled:
"sri9a" → "srika"), as word prefixes, after an optional proclitic (Arabic و ف ب ل ك then ال; Arabizi kay-,
ta-, l-). One compiled regex finds them all in one pass.
"""

from __future__ import annotations

import re

from core.textnorm import normalize

# concept -> stems (written naturally; normalised at import). A stem matches a word that starts with it.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "theft": (
        "سرق",
        "سارق",
        "مسروق",
        "سطو",
        "نشل",
        "نشال",
        "كريساج",
        "شفار",
        "شفر",
        "vol ",
        "vols ",
        "voleur",
        "volé",
        "cambriol",
        "braqu",
        "arrach",
        "dérob",
        "dépouill",
        "sri9a",
        "sr9",
        "chfar",
        "chffar",
        "krisaj",
    ),
    "assault": (
        "اعتداء",
        "اعتدى",
        "اعتدي",
        "الاعتداء",
        "تعنيف",
        "ضرب",
        "تضرب",
        "agress",
        "tabass",
        "roué de coups",
        "frapp",
        "brutalis",
        "drab",
        "tdrab",
    ),
    "stabbing": (
        "طعن",
        "سكين",
        "سكاكين",
        "موس",
        "جنوي",
        "السلاح الأبيض",
        "poignard",
        "couteau",
        "arme blanche",
        "armes blanches",
        "mous ",
        "jnwi",
        "jnawi",
    ),
    "blade": ("سيف", "سيوف", "ساطور", "sabre", "hachoir", "machette", "syouf", "sif ", "satour"),
    "drugs": (
        "مخدر",
        "شيرا",
        "حشيش",
        "كوكايين",
        "مهلوس",
        "قرقوبي",
        "drogue",
        "chira",
        "haschich",
        "cannabis",
        "cocaïne",
        "psychotrop",
        "stupéfiant",
        "l7chich",
        "7chich",
        "9ar9oubi",
        "karkoubi",
    ),
    "traffic": (
        "حادثة سير",
        "حادث سير",
        "حادثه سير",
        "اصطدام",
        "انقلاب",
        "دهس",
        "صدم",
        "كسيدة",
        "accident",
        "collision",
        "renvers",
        "percut",
        "fauch",
        "sortie de route",
        "ksida",
    ),
    "death": (
        "قتل",
        "مقتل",
        "مصرع",
        "جثة",
        "جثث",
        "وفاة",
        "توفي",
        "مات ",
        "meurtre",
        "tué",
        "homicide",
        "cadavre",
        "décès",
        "décéd",
        "succomb",
        "mort ",
        "9tel",
        "mat ",
        "jotta",
        "twffa",
    ),
    "kidnapping": ("اختطاف", "خطف", "مختطف", "تخطف", "enlèvement", "enlev", "kidnapp", "khtaf", "khatf"),
    "fire": ("حريق", "احرق", "أضرم", "العافية", "incendi", "flammes", "immol", "l3afya", "7ri9"),
    "fraud": ("نصب", "احتيال", "تزوير", "مزور", "escroqu", "arnaque", "fraude", "falsif", "contrefa", "nasb", "mzaw"),
    "migration": ("الهجرة غير النظامية", "الهجرة السرية", "الحراكة", "حراكة", "émigration", "passeur", "harraga"),
    "smuggling": ("تهريب", "مهرب", "contreband", "mharreb"),
    "harassment": ("تحرش", "التحرش", "harcèlement", "harcel", "t7arrouch"),
    "missing": ("اختفاء", "مختفي", "مفقود", "تائه", "تالف", "disparu", "disparition", "tlfat", "talfa"),
    "bribery": ("رشوة", "لعاقة", "corruption", "pot-de-vin", "l3a9a"),
    "brawl": ("شجار", "مشاجرة", "مضاربة", "مواجهات", "rixe", "bagarre", "affrontement", "mdarba"),
    "cyber": ("قرصنة", "احتيالية", "hameçonnage", "pirate informatique", "piratage"),
    "arrest": ("توقيف", "أوقفت", "اعتقال", "تشد", "شدو", "interpell", "arrêté", "arrestation", "garde à vue", "chdo"),
    "seizure": ("حجز", "ضبط", "saisi", "saisie"),
}
# Words every police story uses: they count in similarity but are no evidence that two items tell one event.
GENERIC = frozenset({"arrest", "seizure"})

NUMBER_WORDS: dict[str, int] = {
    normalize(w): n
    for n, words in {
        2: ("اثنان", "اثنين", "جوج", "زوج", "deux", "jouj"),
        3: ("ثلاثة", "ثلاث", "تلاتة", "trois", "tlata"),
        4: ("أربعة", "اربعة", "ربعة", "quatre", "rb3a"),
        5: ("خمسة", "خمس", "cinq", "khamsa"),
        6: ("ستة", "ست", "six", "setta"),
        7: ("سبعة", "سبع", "sept", "sb3a"),
        8: ("ثمانية", "تمنية", "huit", "tmnya"),
        9: ("تسعة", "neuf", "tes3ood"),
        10: ("عشرة", "dix", "3achra"),
        12: ("اثنا عشر", "اثني عشر", "ثناش", "douze"),
    }.items()
    for w in words
}

# Arabic proclitics (و ف ب ل ك, up to two, then the article) and the Darija verb and article prefixes of
# Arabizi ("kaysr9o", "l7chich", "tchdo").
_PROCLITIC = r"(?:[وفبلك]{0,2}(?:ال|لل)?|kay|kan|kat|ka|ki|ta|l|t)"


def _stem_pattern(stem: str) -> str:
    normalized = normalize(stem)
    # A trailing space in the table means "whole word" ("vol " is not "volontaire"; "mat " is not "matin").
    tail = r"(?!\w)" if stem.endswith(" ") else ""
    return re.escape(normalized).replace(r"\ ", " ") + tail


_STEM_TO_CONCEPT: dict[str, str] = {}
for _concept, _stems in CONCEPTS.items():
    for _stem in _stems:
        _STEM_TO_CONCEPT.setdefault(normalize(_stem), _concept)
_ORDERED = sorted(((s, c) for c, ss in CONCEPTS.items() for s in ss), key=lambda sc: len(sc[0]), reverse=True)
_CONCEPT_RE = re.compile(
    rf"(?<!\w){_PROCLITIC}(" + "|".join(_stem_pattern(s) for s, _ in _ORDERED) + ")",
)
_NUMBER_RE = re.compile(
    r"(?<!\w)(?:(\d{1,6})|" + "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)"
)


def concepts(normalized: str) -> frozenset[str]:
    """The concepts of the lexicon named in already-normalised text."""
    return frozenset(_STEM_TO_CONCEPT[m.group(1).rstrip()] for m in _CONCEPT_RE.finditer(normalized))


def numbers(normalized: str, skip: frozenset[int] = frozenset()) -> frozenset[int]:
    """Quantities stated in already-normalised text (digits and number words), without years and `skip`.

    Years (1900-2100) and the numbers of the item's date (pass them in `skip`) say when, not what; 19 is the
    emergency line, named in many items about different events.
    """
    found: set[int] = set()
    for m in _NUMBER_RE.finditer(normalized):
        value = int(m.group(1)) if m.group(1) else NUMBER_WORDS[m.group(0)]
        if value not in skip and value != 19 and not 1900 <= value <= 2100:
            found.add(value)
    return frozenset(found)
