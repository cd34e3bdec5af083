"""Language detection on each kind of Moroccan text."""

import pytest

from core.textnorm import normalize
from media.analysis.lang import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "أوقفت عناصر الشرطة القضائية بمدينة فاس شخصين يشتبه في تورطهما في سرقة وكالة بنكية، بعد أبحاث دقيقة.",
            "ar",
        ),
        ("أكدت المديرية العامة للأمن الوطني أن الخبر الذي تم تداوله لا أساس له من الصحة.", "ar"),
        ("واش كاين شي حل لهاد الشفارة اللي ولاو كيسرقو الناس فالدرب ديالنا؟ بغينا البوليس", "ary"),
        ("عافاكم دخلو لحي المسيرة، راه ماكاينش الأمن بزاف فالليل", "ary"),
        ("La police judiciaire de Casablanca a interpellé trois individus soupçonnés de vol.", "fr"),
        ("Les habitants de Salé réclament des patrouilles dans leur quartier.", "fr"),
        ("3afak police dkhlo l derb, chfara wlaw kaysr9o nas f nhar", "ary-Latn"),
        ("wach kayn chi 7al? 7ay mohammadi wla khatar bzaf f lil", "ary-Latn"),
        ("1234 !!! ...", "und"),
    ],
)
def test_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    assert detect_language(text, normalize(text)) == expected


def test_french_words_inside_darija_stay_darija() -> None:
    assert detect_language("bghina patrouille f quartier dyalna, commissariat b3id bzaf") == "ary-Latn"
