"""The event's date in real Moroccan press phrasing, resolved against the publication day."""

from datetime import date

import dateparser
import pytest

from media.analysis.dates import _AR_MONTHS, MONTHS, find_date

PUBLISHED = date(2022, 9, 27)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "published", "expected", "span"),
    [
        (
            "أوقفت المصالح الأمنية، الاثنين 26 شتنبر 2022، شخصين بحي سيدي مومن",
            None,
            date(2022, 9, 26),
            "الاثنين 26 شتنبر 2022",
        ),
        ("وقعت الحادثة يوم 22 دجنبر بالطريق الوطنية رقم 1", date(2023, 1, 3), date(2022, 12, 22), "يوم 22 دجنبر"),
        ("وقعت الحادثة يوم 22 دجنبر بالطريق الوطنية رقم 1", date(2022, 12, 23), date(2022, 12, 22), "يوم 22 دجنبر"),
        ("أعلنت النيابة العامة في 2 دجنبر2019 متابعة المتهمين", None, date(2019, 12, 2), "2 دجنبر2019"),
        ("Le 17 mars 2014, la police de Fès a démantelé un réseau", None, date(2014, 3, 17), "Le 17 mars 2014"),
        (
            "La police a interpellé ce jeudi 11 juillet un suspect à Salé",
            date(2019, 7, 12),
            date(2019, 7, 11),
            "ce jeudi 11 juillet",
        ),
        ("أوقفت الشرطة أمس الإثنين ثلاثة أشخاص", PUBLISHED, date(2022, 9, 26), "أمس الإثنين"),
        ("وقعت السرقة أول أمس بحي الانبعاث", PUBLISHED, date(2022, 9, 25), "أول أمس"),
        ("Un accident s'est produit ce mardi à Casablanca", PUBLISHED, date(2022, 9, 27), "ce mardi"),
        ("Le suspect a été arrêté hier soir", PUBLISHED, date(2022, 9, 26), "hier"),
        ("Les faits remontent au 16 juillet dernier", PUBLISHED, date(2022, 7, 16), "16 juillet dernier"),
        ("أوقف المتهم يوم 16 الجاري بمدينة سلا", PUBLISHED, date(2022, 9, 16), "يوم 16 الجاري"),
        ("تعرضت الضحية للاعتداء الأحد الماضي", PUBLISHED, date(2022, 9, 25), "الأحد الماضي"),
        ("يوم 26 غشت الماضي عثر على الجثة", PUBLISHED, date(2022, 8, 26), "يوم 26 غشت الماضي"),
        ("في 3 كانون الثاني 2020 وقع الانفجار", None, date(2020, 1, 3), "3 كانون الثاني 2020"),
        ("بتاريخ 5 أغسطس 2021 تم الحجز", None, date(2021, 8, 5), "5 أغسطس 2021"),
        ("في ٢٦ شتنبر ٢٠٢٢ أوقفت الشرطة", None, date(2022, 9, 26), "٢٦ شتنبر ٢٠٢٢"),
        ("Le procès est prévu le 1er octobre prochain", PUBLISHED, date(2022, 10, 1), "le 1er octobre prochain"),
        ("Publié le 26/09/2022 à 10h", None, date(2022, 9, 26), "26/09/2022"),
        ("chdouh lbare7 f derb sultan", PUBLISHED, date(2022, 9, 26), "lbare7"),
        ("La police a interpellé lundi trois individus", PUBLISHED, date(2022, 9, 26), "lundi"),
    ],
)
def test_date_found_and_resolved(text: str, published: date | None, expected: date, span: str) -> None:
    hit = find_date(text, published)
    assert hit is not None
    assert hit.date == expected
    assert hit.text.lower() == span.lower()
    assert text[hit.start : hit.end].strip() == hit.text


def test_relative_mention_without_publication_day_is_reported_unresolved() -> None:
    hit = find_date("أوقفت الشرطة أمس الإثنين ثلاثة أشخاص", None)
    assert hit is not None
    assert hit.date is None
    assert hit.text == "أمس الإثنين"


@pytest.mark.parametrize(
    "text",
    ["جاء في المركز الخامس", "un fichier volumineux", "سوق الخميس", "فريق الرجاء", "Il a 17 ans et mesure 1m80"],
)
def test_no_date_in_text_without_one(text: str) -> None:
    assert find_date(text, PUBLISHED) is None


def test_invalid_day_is_not_a_date() -> None:
    hit = find_date("le 31 février 2020", None)
    assert hit is not None
    assert hit.date is None


def test_moroccan_month_table_agrees_with_cldr_ar_ma() -> None:
    """Our first (Moroccan) spelling of each month is what dateparser's CLDR ar-MA data parses to it."""
    for number, names in _AR_MONTHS.items():
        parsed = dateparser.parse(f"5 {names[0]} 2020", locales=["ar-MA"])
        assert parsed is not None, names[0]
        assert parsed.month == number == MONTHS[names[0]]
