"""Morocco's places as offline data: regions, provinces, communes, arrondissements, neighbourhoods.

    from core import gazetteer
    gazetteer.get("06.141.01.0").name_ar              # "الدار البيضاء"
    gazetteer.search("fez", kinds=["city"])           # city picker / autocomplete
    gazetteer.find_places("سرقة بحي سيدي مومن بالدار البيضاء")  # mentions in free text, with spans
    gazetteer.geocode("Rue 5, Sidi Moumen, Casablanca")        # the most precise place of an address
    gazetteer.province_features()                      # GeoJSON with population, for a choropleth

Data and licences: core/gazetteer/data/SOURCES.md. Rebuilt by scripts/build_gazetteer.py.
"""

from core.gazetteer.features import commune_features, province_features, region_features
from core.gazetteer.finder import Match, find_places
from core.gazetteer.geocoder import GeocodeResult, geocode
from core.gazetteer.places import KINDS, PRECISION, Place, ancestors, chain, get, names, places, search

__all__ = [
    "KINDS",
    "PRECISION",
    "GeocodeResult",
    "Match",
    "Place",
    "ancestors",
    "chain",
    "commune_features",
    "find_places",
    "geocode",
    "get",
    "names",
    "places",
    "province_features",
    "region_features",
    "search",
]
