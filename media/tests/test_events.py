"""Same event: near-duplicates, rewrites, Arabic and French versions grouped; unrelated news kept apart."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from core.textnorm import normalize
from media.analysis.dedup import NearDuplicateIndex, jaccard, shingle_hashes, signature
from media.analysis.lexicon import concepts, numbers
from media.analysis.pipeline import Analyser, Item

TZ = ZoneInfo("Africa/Casablanca")
T0 = datetime(2022, 9, 27, 9, 0, tzinfo=TZ)

HESPRESS = (
    "أوقفت عناصر الشرطة القضائية بالدار البيضاء، يوم الاثنين 26 شتنبر 2022، ثلاثة أشخاص يشتبه في تورطهم في سرقة "
    "وكالة لتحويل الأموال تحت التهديد بالسلاح الأبيض بحي سيدي مومن، حسب بلاغ للمديرية العامة للأمن الوطني."
)
REWRITE = (
    "تمكنت المصالح الأمنية بمدينة الدار البيضاء، أمس الإثنين، من توقيف ثلاثة مشتبه فيهم متورطين في السطو على وكالة "
    "لتحويل الأموال بسيدي مومن باستعمال السلاح الأبيض، وتم وضعهم تحت تدبير الحراسة النظرية."
)
FRENCH = (
    "La police judiciaire de Casablanca a interpellé lundi trois individus soupçonnés d'avoir braqué une agence de "
    "transfert d'argent à Sidi Moumen sous la menace d'armes blanches, selon la DGSN."
)
COPY = "عاجل | " + HESPRESS.replace("،", ",")
UNRELATED_FES = (
    "أسفرت حادثة سير بين حافلة وسيارة خفيفة على الطريق الرابطة بين فاس وصفرو عن إصابة سبعة أشخاص بجروح متفاوتة "
    "الخطورة، يوم الاثنين 26 شتنبر 2022."
)
UNRELATED_CASA_DRUGS = (
    "حجزت عناصر الشرطة بالدار البيضاء أمس الإثنين كمية من مخدر الشيرا والأقراص المهلوسة بحي سيدي مومن وأوقفت "
    "مروجا واحدا."
)
UNRELATED_SALE_FR = "Les habitants de Salé réclament des patrouilles après une série de cambriolages, ce mardi."


def _analyse(*texts: str) -> list[str]:
    analyser = Analyser()
    items = [
        Item(text=t, url=f"https://outlet{i}.ma/a", published=T0 + timedelta(hours=i)) for i, t in enumerate(texts)
    ]
    return [r.event for r in analyser.analyse(items)]


def test_two_arabic_rewrites_of_the_same_news_are_one_event() -> None:
    first, second = _analyse(HESPRESS, REWRITE)
    assert first == second


def test_arabic_and_french_versions_of_the_same_news_are_one_event() -> None:
    arabic, french = _analyse(HESPRESS, FRENCH)
    assert arabic == french


def test_unrelated_news_are_not_grouped() -> None:
    events = _analyse(HESPRESS, UNRELATED_FES, UNRELATED_CASA_DRUGS, UNRELATED_SALE_FR)
    assert len(set(events)) == 4


def test_event_keeps_items_outlets_and_spread() -> None:
    analyser = Analyser()
    items = [
        Item(HESPRESS, "https://www.hespress.com/1", T0),
        Item(COPY, "https://alyaoum24.com/2", T0 + timedelta(minutes=20)),
        Item(FRENCH, "https://le360.ma/3", T0 + timedelta(hours=3)),
        Item(UNRELATED_FES, "https://le360.ma/4", T0 + timedelta(hours=4)),
    ]
    results = analyser.analyse(items)
    event = analyser.grouper.events[results[0].event]
    assert event.items == [0, 1, 2]
    assert event.outlets == {"hespress.com", "alyaoum24.com", "le360.ma"}
    assert event.first_seen == T0 and event.last_seen == T0 + timedelta(hours=3)
    assert event.spread() == [(T0, 2), (T0 + timedelta(hours=3), 1)]
    assert results[3].event != results[0].event


def test_same_template_in_another_city_is_not_a_duplicate() -> None:
    other_city = HESPRESS.replace("بالدار البيضاء", "بفاس").replace("بحي سيدي مومن", "بحي بنسودة")
    assert jaccard(shingle_hashes(normalize(HESPRESS)), shingle_hashes(normalize(other_city))) > 0.5
    first, second = _analyse(HESPRESS, other_city)
    assert first != second


def test_minhash_estimate_tracks_exact_jaccard() -> None:
    a, b = shingle_hashes(normalize(HESPRESS)), shingle_hashes(normalize(COPY))
    exact = jaccard(a, b)
    estimate = float(np.mean(signature(a) == signature(b)))
    assert exact > 0.8
    assert abs(estimate - exact) < 0.15


def test_near_duplicate_index_finds_copy_and_forgets() -> None:
    index = NearDuplicateIndex()
    assert index.add(1, shingle_hashes(normalize(HESPRESS))) is None
    assert index.add(2, shingle_hashes(normalize(UNRELATED_FES))) is None
    match = index.add(3, shingle_hashes(normalize(COPY)))
    assert match is not None and match[0] == 1
    index.forget(1)
    assert len(index) == 2
    again = index.add(4, shingle_hashes(normalize(HESPRESS)))
    assert again is None or again[0] != 1


def test_arabizi_is_normalised_for_matching() -> None:
    text = "3afak chdo had chfara li kaysr9o f 7ay mohammadi, sri9a kol nhar"
    normalized = normalize(text)
    assert "3" not in normalized and "7" not in normalized and "9" not in normalized
    assert "hay mohammadi" in normalized
    assert "theft" in concepts(normalized)


def test_lexicon_maps_arabic_and_french_terms_to_shared_concepts() -> None:
    arabic, french = normalize(HESPRESS), normalize(FRENCH)
    assert {"theft", "stabbing"} <= concepts(arabic) & concepts(french)
    assert 3 in numbers(arabic) & numbers(french)
    assert 26 not in numbers(arabic, skip=frozenset({26}))


def test_jaccard_and_signature_match_their_definitions() -> None:
    """GIVEN random shingle sets WHEN the vectorised Jaccard, MinHash and distinct-sort run THEN they equal the
    plain definitions: |A∩B| / |A∪B| of the sets, the minimum of (a·h + b mod 2**64) >> 32 per permutation,
    np.unique."""
    from media.analysis import dedup

    rng = np.random.default_rng(3)
    for size_a, size_b in [(1, 1), (5, 300), (200, 180), (50, 0)]:
        pool = rng.integers(0, 2**64 - 1, 400, dtype=np.uint64)
        a = np.unique(rng.choice(pool, size_a)) if size_a else np.zeros(0, np.uint64)
        b = np.unique(rng.choice(pool, size_b)) if size_b else np.zeros(0, np.uint64)
        sa, sb = set(a.tolist()), set(b.tolist())
        with_copies = np.concatenate([b, b[::2], a]) if size_b else a.copy()
        assert np.array_equal(dedup._sorted_distinct(with_copies.copy()), np.unique(with_copies))
        assert jaccard(a, b) == (len(sa & sb) / len(sa | sb) if sa and sb else 0.0)
        if size_a:
            reference = [
                min(((int(m) * h + int(c)) % 2**64) >> 32 for h in sa) for m, c in zip(dedup._A, dedup._B, strict=True)
            ]
            assert signature(a).tolist() == reference
