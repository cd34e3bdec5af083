"""Places through the shared gazetteer, with coordinates and the unit hook."""

import pytest

from core import gazetteer
from media.analysis.places import place_keys, places_in, set_unit_resolver, unit_for_place

CASABLANCA = "06.141.01.0"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("أوقفت الشرطة بمدينة فاس شخصين", "03.231.01.0"),
        ("La police de Fès a démantelé un réseau", "03.231.01.0"),
        ("أوقفت ولاية أمن الدار البيضاء ثلاثة أشخاص", CASABLANCA),
        ("La wilaya de sûreté de Casablanca a annoncé", CASABLANCA),
        ("الشفارة كثرو فكازا", CASABLANCA),
        ("يطالب سكان سلا بدوريات", "04.441.01.0"),
        ("Les habitants de Salé réclament des patrouilles", "04.441.01.0"),
    ],
)
def test_city_in_each_spelling(text: str, code: str) -> None:
    hits = places_in(text)
    assert [h.place.code for h in hits] == [code]
    assert 27 < hits[0].place.lat < 36
    assert -14 < hits[0].place.lon < -1


@pytest.mark.parametrize(
    "text",
    ["سرقة بحي سيدي مومن بالدار البيضاء", "Vol à Sidi Moumen, Casablanca"],
)
def test_casablanca_arrondissement_sidi_moumen(text: str) -> None:
    hits = places_in(text)
    place = hits[0].place
    assert place.kind == "arrondissement"
    assert place.name_fr == "Sidi Moumen"
    assert CASABLANCA in {a.code for a in gazetteer.ancestors(place)}
    keys, fine = place_keys(hits)
    assert CASABLANCA in keys and place.code in fine
    assert hits[0].as_json("fr")["unit"] == "Casablanca"


@pytest.mark.parametrize("text", ["اعتداء في الحي المحمدي", "Agression à Hay Mohammadi", "3afak f 7ay mohammadi"])
def test_casablanca_arrondissement_hay_mohammadi(text: str) -> None:
    place = places_in(text)[0].place
    assert place.kind == "arrondissement"
    assert CASABLANCA in {a.code for a in gazetteer.ancestors(place)}


def test_unit_resolver_hook() -> None:
    fes = places_in("à Fès")[0].place
    assert unit_for_place(fes) == "Fès"
    set_unit_resolver(lambda place: f"wilaya:{place.province_code}")
    try:
        assert unit_for_place(fes) == f"wilaya:{fes.province_code}"
        assert places_in("à Fès")[0].unit == f"wilaya:{fes.province_code}"
    finally:
        set_unit_resolver(None)
    assert unit_for_place(fes) == "Fès"


def test_name_follows_the_item_script() -> None:
    hit = places_in("بمدينة فاس")[0]
    assert hit.as_json("ar")["name"] == "فاس"
    assert hit.as_json("fr")["name"] == "Fès"
