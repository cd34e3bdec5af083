"""Normalisation of real Moroccan spellings: Arabic, French and Arabizi."""

import pytest

from core.textnorm import fold_fr, normalize, normalize_ar, normalize_arabizi, normalize_tokens


@pytest.mark.parametrize(
    "variants",
    [
        ("الدار البيضاء", "الدار البيضا", "الدَّارُ البَيْضَاءُ", "الدار البيضــاء"),
        ("أكادير", "اكادير", "أَكَادِير", "أڭادير"),
        ("إفران", "افران"),
        ("آسفي", "اسفي"),
        ("القنيطرة", "القنيطره", "القُنَيْطِرَة"),
        ("كلميم", "ڭلميم", "گلميم"),
        ("مكناس", "مكنــــاس"),
        ("مصطفى", "مصطفي"),
        ("ٱلرباط", "الرباط"),
        ("شاطئ", "شاطي"),
        ("مؤسسة", "موسسه"),
    ],
)
def test_arabic_spellings_fold_together(variants):
    folded = {normalize_ar(v) for v in variants}
    assert len(folded) == 1, folded
    assert {normalize(v) for v in variants} == folded


def test_arabic_punctuation_digits_and_spaces():
    assert normalize_ar("زنقة ١٢، حي مولاي رشيد؛  الدار البيضاء؟") == "زنقه 12 حي مولاي رشيد الدار البيضا"
    assert normalize_ar("رقم ۱۲۳ «وجدة»") == "رقم 123 وجده"
    # Presentation forms copied from a PDF, zero-width joiners and direction marks.
    assert normalize_ar("ﻻ\u200f\u200cسلا") == "لاسلا"
    # Latin letters are left as they are by the Arabic step.
    assert normalize_ar("Casa كازا") == "Casa كازا"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Aïn-Sebaâ", "ain-sebaa"),
        ("L’Océan", "l'ocean"),
        ("Meknès", "meknes"),
        ("Kénitra", "kenitra"),
        ("Laâyoune", "laayoune"),
        ("Salé", "sale"),
        ("Œuvre d’Anfa – Maârif", "oeuvre d'anfa - maarif"),
        ("Belvédère  Hay\u00a0Hassani", "belvedere hay hassani"),
    ],
)
def test_fold_fr(raw, expected):
    assert fold_fr(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("3afak", "aafak"),
        ("7ay Mohammadi", "hay mohammadi"),
        ("3in Chock", "ain chock"),
        ("5emisset", "khemisset"),
        ("9ahwa", "kahwa"),
        ("3'ir", "ghir"),
        ("ma3ndich", "maandich"),
        ("su2al", "sual"),
        # Numbers stay numbers: house numbers, ordinals, units and road names.
        ("rue 12 n 35", "rue 12 n 35"),
        ("2eme etage 5km", "2eme etage 5km"),
        ("autoroute a7 et n9", "autoroute a7 et n9"),
    ],
)
def test_arabizi(raw, expected):
    assert normalize_arabizi(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Rue 5, Sidi Moumen, Casablanca", "rue 5 sidi moumen casablanca"),
        ("Ben M'Sick", "ben m sick"),
        ("Aïn-Sebaâ", "ain sebaa"),
        ("زنقة 12، حي مولاي رشيد، الدار البيضاء", "زنقه 12 حي مولاي رشيد الدار البيضا"),
        ("سرقة ف 7ay Mohammadi ب كازا!", "سرقه ف hay mohammadi ب كازا"),
        ("LA CAPITALE ÉCONOMIQUE", "la capitale economique"),
        ("", ""),
        ("  \t\n ", ""),
    ],
)
def test_normalize_mixed_scripts(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["الدَّارُ البَيْضَاءُ، 3afak", "Aïn-Sebaâ l’Océan", "3'ir 7ay", "rue ١٢ Salé", "ﻻ إله", "ÉCOLE Œ"],
)
def test_normalize_is_idempotent(raw):
    once = normalize(raw)
    assert normalize(once) == once


def test_word_boundaries_survive():
    # Punctuation becomes a space, never glue: a place name next to a comma stays its own word.
    assert normalize("سلا،الرباط").split() == ["سلا", "الرباط"]
    assert normalize("Salé/Rabat").split() == ["sale", "rabat"]


@pytest.mark.parametrize(
    "raw",
    [
        "الدَّارُ البَيْضَاءُ، 3afak",
        "Aïn-Sebaâ l’Océan",
        "3'ir 7ay, l'3in ma3a",
        "rue ١٢ Salé — 2ème étage, 5km",
        "ﻻ إله «الرباط»🔥🔥 Casa!!",
        "¼ ½ ﷺ a\u200db x\u0301",
        "ء ءء",
        "",
    ],
)
def test_tokens_rebuild_normalize_and_point_into_the_original(raw):
    tokens = normalize_tokens(raw)
    assert " ".join(word for word, _, _ in tokens) == normalize(raw)
    for word, start, end in tokens:
        assert word in normalize(raw[start:end]).split()


def test_token_regex_splits_words_as_its_definition() -> None:
    """GIVEN texts mixing letters, Arabizi digits, apostrophes, hyphens, spaces and marks WHEN split into words
    THEN the spans are those of the definition: one alternation per character (a non-separator, or an
    apostrophe between 3/7/9 and a Latin letter)."""
    import random
    import re

    from core import textnorm

    definition = re.compile(
        r"(?:(?!" + textnorm._char_class(textnorm._SEPARATORS) + r")[\s\S]|(?<=[379])['’](?=[A-Za-z]))+"
    )
    alphabet = "ab379Z'’- \t،.ـéالرباط\u200f½"
    rng = random.Random(5)
    texts = ["3'afak l'océan", "x 3' y", "'3a", "7'", "3'A 3’b 9''a", "", "  "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30))) for _ in range(3000)]
    for text in texts:
        expected = [m.span() for m in definition.finditer(text)]
        assert [m.span() for m in textnorm._TOKEN.finditer(text)] == expected, text
