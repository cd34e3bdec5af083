"""Boundaries as GeoJSON for choropleths: regions, provinces, and the communes of a province.

Polygons are simplified (about 250 m for communes, 600 m for provinces) and share their borders, so a
choropleth has no gaps. Each feature carries code, kind, names, population and population_year
(RGPH 2024), and province_code. Cities divided into arrondissements (Casablanca, Rabat, Salé, Fès,
Marrakech, Tanger) are drawn as their arrondissements.
"""

from __future__ import annotations

import copy
import functools
import gzip
import json
from typing import Any

from core.gazetteer.places import DATA

GeoJSON = dict[str, Any]


@functools.cache
def _layers() -> dict[str, GeoJSON]:
    with gzip.open(DATA / "boundaries.json.gz", "rt", encoding="utf-8") as f:
        layers: dict[str, GeoJSON] = json.load(f)
    return layers


def _collection(features: list[GeoJSON]) -> GeoJSON:
    # A deep copy: callers add their own properties (a rate, a colour) without touching the cache.
    return {"type": "FeatureCollection", "features": copy.deepcopy(features)}


def region_features() -> GeoJSON:
    """The 12 regions."""
    return _collection(_layers()["regions"]["features"])


def province_features() -> GeoJSON:
    """The 75 provinces and prefectures."""
    return _collection(_layers()["provinces"]["features"])


def commune_features(province_code: str | None = None) -> GeoJSON:
    """The communes (and arrondissements) of one province, or of the whole country when None."""
    features = _layers()["communes"]["features"]
    if province_code is not None:
        features = [f for f in features if f["properties"]["province_code"] == province_code]
    return _collection(features)
