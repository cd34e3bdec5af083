"""Triage sanity on clear examples written here (not in the training data), corrections, and bad input."""

import json
from pathlib import Path

import pytest

from media.analysis.triage import DATA, BadExample, Example, get_model, merge, read_examples, train


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("يطالب سكان حي الأمل بمدينة سلا بتوفير دوريات أمنية ليلية بعد تكرار السرقات في الأزقة المظلمة", "demand"),
        ("3afakom bghina chi patrouille f derb dyalna, chfara kaysr9o kol lila", "demand"),
        ("أوقفت عناصر الشرطة بمدينة فاس شخصين متلبسين بترويج المخدرات وحجزت كمية من الشيرا", "incident"),
        ("La police de Rabat a arrêté deux individus soupçonnés de vol de voitures.", "incident"),
        ("تداولت صفحات على فيسبوك خبرا غير مؤكد عن اختطاف تلميذ أمام مدرسة بمكناس", "claim"),
        ("نفت المديرية العامة للأمن الوطني صحة الخبر الزائف حول اختطاف تلميذ بمكناس، مؤكدة أنه إشاعة", "rebuttal"),
        ("La DGSN dément formellement cette fausse information relayée sur les réseaux sociaux.", "rebuttal"),
        ("فاز المنتخب المغربي لكرة القدم على نظيره في مباراة ودية بملعب أكادير", "other"),
    ],
)
def test_clear_examples(text: str, label: str) -> None:
    (answer,) = get_model().predict([text])
    assert answer.label == label
    assert 0.0 < answer.confidence <= 1.0


def test_harmful_flag() -> None:
    violent, calm = get_model().predict(
        [
            "ينشر شخص فيديو يتوعد فيه جيرانه بالذبح بالسيف ويعرض السكاكين أمام الكاميرا",
            "نظمت ولاية الأمن حفلا لتكريم المتقاعدين بحضور عائلاتهم",
        ]
    )
    assert violent.harmful and violent.harmful_score > calm.harmful_score
    assert not calm.harmful


def test_event_triage_averages_its_items() -> None:
    model = get_model()
    texts = [
        "نفت المديرية العامة للأمن الوطني صحة الخبر المتداول حول سرقة بطنجة",
        "La DGSN dément l'information sur un vol à Tanger, une fausse nouvelle",
        "Les habitants de Tanger réclament davantage de patrouilles",
    ]
    from core.textnorm import normalize

    verdicts = model.predict_groups([normalize(t) for t in texts], [1, 1, 2])
    assert verdicts[1].label == "rebuttal"
    assert verdicts[2].label == "demand"


def test_shipped_examples_meet_the_brief() -> None:
    examples = read_examples(DATA)
    by_label = {label: sum(e.label == label for e in examples) for label in {e.label for e in examples}}
    assert min(by_label.values()) >= 150
    assert sum(bool(e.harmful) for e in examples) >= 200
    assert {e.lang for e in examples} == {"ar", "ary", "fr", "ary-Latn"}
    assert len({e.text for e in examples}) == len(examples)


def test_corrections_replace_and_add(tmp_path: Path) -> None:
    shipped = [Example("نص", "incident", False, "ar")]
    fixes = [Example("نص", "", True), Example("texte", "demand", False)]
    merged = {e.text: e for e in merge(shipped, fixes)}
    assert merged["نص"].label == "incident" and merged["نص"].harmful is True
    assert merged["texte"].label == "demand"
    with pytest.raises(BadExample):
        merge(shipped, [Example("nouveau", "demand", None)])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2: not JSON"),
        ('{"text": "x", "label": "urgent", "harmful": false}', "label 'urgent'"),
        ('{"label": "demand", "harmful": false}', "non-empty 'text'"),
        ('{"text": "x", "label": "demand", "harmful": "yes"}', "true or false"),
    ],
)
def test_bad_correction_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "fix.jsonl"
    path.write_text('{"text": "ok", "label": "demand"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BadExample, match=message):
        read_examples(path, partial=True)


def test_training_with_corrections_stores_the_current_model(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    text = "كاين واحد الصداع ديال الموطورات فالحومة كل ليلة"
    fixes = tmp_path / "fix.jsonl"
    fixes.write_text(json.dumps({"text": text, "label": "demand", "harmful": False}) + "\n", encoding="utf-8")
    model, path = train(fixes)
    assert path.parent == tmp_path / "media" and path.exists()
    assert json.loads((tmp_path / "media" / "triage-current.json").read_text())["model"] == path.name
    assert get_model().predict([text])[0].label == model.predict([text])[0].label


def test_fast_features_equal_scikit_learn_transform() -> None:
    """GIVEN the fitted triage features WHEN texts (labelled ones, short, empty, repeated words, copies) go
    through FastFeatures THEN the matrix is scikit-learn's FeatureUnion.transform, bit for bit, and the answers
    are those of scikit-learn's matrix."""
    from core.textnorm import normalize
    from media.analysis.vectorise import FastFeatures

    model = get_model()
    texts = [normalize(e.text) for e in read_examples(DATA)[:300]]
    texts += ["", "a", "ab", "x y z", "سرقه سرقه سرقه بالرباط", "3afakom 3afakom", texts[0] + " " + texts[1]]
    texts += texts[:50]  # copies are computed once, and answered the same
    expected = model.features.transform(texts)
    fast = FastFeatures(model.features)
    for _ in range(2):  # the second pass reads the word cache
        got = fast.transform(texts)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
        assert (got.data == expected.data).all()
    reference = model._answers(
        model.labels.predict_proba(expected), model.harm.predict_proba(expected)[:, model._harm_column]
    )
    assert model.predict_normalized(texts) == reference


def test_fast_features_start_over_when_the_word_cache_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a word cache of three words WHEN texts with more words go through THEN the cache never holds more
    than three and the matrix is still scikit-learn's."""
    from core.textnorm import normalize
    from media.analysis import vectorise

    monkeypatch.setattr(vectorise, "CACHE_WORDS", 3)
    model = get_model()
    texts = [normalize(e.text) for e in read_examples(DATA)[:40]]
    fast = vectorise.FastFeatures(model.features)
    got, expected = fast.transform(texts), model.features.transform(texts)
    assert len(fast._columns) <= 3
    assert (got != expected).nnz == 0
