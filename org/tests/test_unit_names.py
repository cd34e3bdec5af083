"""A unit is named in the page's language: Arabic, French or English.

GIVEN a district with its three names, and one recorded before English names existed
WHEN its name is shown in each language (the queue, the case page, the menu use `display_name`)
THEN each language gets its own name; a unit without an English name shows its French one (the demo
     units' English names: demo/tests/test_basemap_stations.py).
"""

from __future__ import annotations

import pytest
from django.utils import translation

from org.choices import UnitKind
from org.services import unit_create

pytestmark = pytest.mark.django_db


def test_display_name_follows_the_language():
    unit = unit_create(
        actor=None,
        parent=None,
        kind=UnitKind.DISTRICT,
        code="RBT-X-D9",
        name_ar="الدائرة الأمنية حسان",
        name_fr="Arrondissement de police Hassan",
        name_en="Hassan police district",
        city="Rabat",
    )
    expected = {"ar": "الدائرة الأمنية حسان", "fr": "Arrondissement de police Hassan", "en": "Hassan police district"}
    for language, name in expected.items():
        with translation.override(language):
            assert unit.display_name == name
            assert str(unit) == name
    older = unit_create(
        actor=None, parent=None, kind=UnitKind.DISTRICT, code="RBT-X-D8", name_ar="أ", name_fr="B", city="Rabat"
    )
    with translation.override("en"):
        assert older.display_name == "B"
