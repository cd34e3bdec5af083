"""Offline geocoding of a typed address to the most precise place it names.

"زنقة 12، حي مولاي رشيد، الدار البيضاء" → the Moulay Rachid arrondissement of Casablanca;
"Rue 5, Derb Sultan, Casablanca" → the Derb Sultan neighbourhood. Streets are not in the gazetteer:
the result is the neighbourhood, arrondissement, commune or province point, with its precision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.gazetteer.finder import Match, scan
from core.gazetteer.places import PRECISION, Place, chain, get, search

_CITY_KINDS = ("city", "commune", "province", "prefecture_arrondissements", "region")


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """Where an address is: the place, its point, how precise it is and what it lies in.

    `precision` is the place's kind ("neighbourhood", "arrondissement", "city", "commune",
    "prefecture_arrondissements", "province" or "region"); `chain` is the place then its ancestors.
    """

    place: Place
    lat: float
    lon: float
    precision: str
    chain: tuple[Place, ...]
    matches: tuple[Match, ...]


def _city_place(city: str) -> Place | None:
    """A city picker's value: a code, or a name (the best city, commune or province of that name)."""
    place = get(city)
    if place is not None:
        return place
    # A city before the province of the same name ("Fès" the city, not the prefecture).
    found = search(city, kinds=("city", "commune"), limit=1) or search(city, kinds=_CITY_KINDS, limit=1)
    return found[0] if found else None


def _within(area: Place) -> Callable[[Place], bool]:
    """Places inside the area, or containing it (an address in Casablanca may also say "Casablanca-Settat")."""
    area_chain = {p.code for p in chain(area)}

    def keep(place: Place) -> bool:
        return place.code in area_chain or area.code in {p.code for p in chain(place)}

    return keep


def _compatible(a: Place, b: Place) -> bool:
    return a.code in {p.code for p in chain(b)} or b.code in {p.code for p in chain(a)}


def geocode(address: str, *, city: str | None = None) -> GeocodeResult | None:
    """The most precise place of `address` (Arabic, French or Arabizi), or None when it names none.

    `city` (a code or a name from a city picker) restricts the candidates to that area; when the
    address itself names nothing inside it, the city is the answer. Among the places the address
    names, the finest one that agrees with the others wins (a neighbourhood of the named city over a
    same-named one elsewhere). A place that contradicts a coarser one loses to it: "حي الرياض، الدار
    البيضاء" is Casablanca, not Rabat's Hay Riad (the city is what the writer is surest of).
    """
    area = _city_place(city) if city else None
    matches = scan(address, strict=False, keep=_within(area) if area else None)
    found = [m.place for m in matches]
    if not found:
        if area is None:
            return None
        return GeocodeResult(area, area.lat, area.lon, area.kind, chain(area), ())

    def rank(place: Place) -> tuple[int, int, int, int]:
        others = [o for o in found if o is not place]
        agree = sum(_compatible(place, o) for o in others)
        contradicted = sum(PRECISION[o.kind] < PRECISION[place.kind] and not _compatible(place, o) for o in others)
        return -contradicted, agree, PRECISION[place.kind], place.population or 0

    best = max(found, key=rank)
    return GeocodeResult(best, best.lat, best.lon, best.kind, chain(best), tuple(matches))
