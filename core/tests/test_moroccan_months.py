"""Arabic dates use the month names Morocco writes.

GIVEN a date in each month
WHEN it is formatted in Arabic with every month format Django has (F, E, N, M, b) and the locale's
     DATE_FORMAT, as the templates do
THEN the month is يناير ... نونبر، دجنبر, never the Middle-Eastern نوفمبر / ديسمبر; French and English
     keep their own names.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

from core.dates import MOROCCAN_MONTHS_AR

MIDDLE_EASTERN = {"نوفمبر", "ديسمبر", "يوليو", "أغسطس", "سبتمبر", "مايو"}


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("fmt", ["F", "E", "N", "M", "b"])
def test_arabic_month_names_are_moroccan(month, fmt):
    day = date(2026, month, 15)
    with translation.override("ar"):
        text = Template("{{ d|date:f }}").render(Context({"d": day, "f": fmt}))
        long = formats.date_format(day, "DATE_FORMAT")
    assert text.strip() == MOROCCAN_MONTHS_AR[month - 1]
    assert MOROCCAN_MONTHS_AR[month - 1] in long
    assert not set(long.replace("،", " ").split()) & MIDDLE_EASTERN


def test_french_and_english_keep_their_names():
    day = date(2026, 11, 29)
    with translation.override("fr"):
        assert formats.date_format(day, "j F Y") == "29 novembre 2026"
    with translation.override("en"):
        assert formats.date_format(day, "j F Y") == "29 November 2026"


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_short_dates_are_written_day_first_on_the_24_hour_clock(lang):
    """Morocco writes 05/03/2026 14:07 in every language; Django's Arabic and English defaults gave the
    American 03/05/2026 2:07 م."""
    moment = timezone.make_aware(datetime(2026, 3, 5, 14, 7))
    with translation.override(lang):
        short = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        day = formats.date_format(moment.date(), "SHORT_DATE_FORMAT")
        rendered = Template('{{ m|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"m": moment}))
    assert strip_marks(short) == "05/03/2026 14:07" == strip_marks(rendered)
    assert strip_marks(day) == "05/03/2026"


def strip_marks(text: str) -> str:
    return "".join(c for c in text if c not in "\u200e\u200f\u061c")
