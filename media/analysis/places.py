"""Places named in an item, through the shared gazetteer (`core.gazetteer.find_places`), with coordinates and the
responsible unit.

The responsible unit is Amane's organisation (`org.Unit`), which this layer must not import (`core` and the
media analysis sit below `org`). So `unit_for_place(place)` asks a resolver that the caller registers with
`set_unit_resolver(callable)`; the lead wires the org units there. Until then the default resolver answers
the place's province or prefecture name from the gazetteer (in French: "Casablanca", "Salé"), which is the
territory of a provincial security area or wilaya, and that is what `media_analyse` prints as `unit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core import gazetteer
from core.gazetteer import Place

from .lang import AR, ARY

UnitResolver = Callable[[Place], "str | None"]

# Kinds precise enough that two items naming the same one very likely tell the same event.
FINE_KINDS = frozenset({"commune", "prefecture_arrondissements", "arrondissement", "neighbourhood"})


def province_name(place: Place) -> str | None:
    """Default resolver: the name of the province or prefecture the place lies in (itself if it is one)."""
    if place.kind == "region":
        return None
    province = place if place.kind == "province" else gazetteer.get(place.province_code)
    return province.name_fr if province else None


_resolver: UnitResolver = province_name


def set_unit_resolver(resolver: UnitResolver | None) -> None:
    """Register the callable that maps a gazetteer place to a unit (None restores the province default)."""
    global _resolver
    _resolver = resolver or province_name


def unit_for_place(place: Place) -> str | None:
    """The unit responsible for `place`, as the registered resolver says."""
    return _resolver(place)


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A place named in an item: the gazetteer place, the written span, and the unit responsible."""

    place: Place
    text: str
    start: int
    end: int
    unit: str | None

    def as_json(self, lang: str) -> dict[str, object]:
        """`name` in the item's script (Arabic for ar/ary, French otherwise), `lat`, `lon`, `unit`, `code`."""
        name = self.place.name_ar if lang in (AR, ARY) else self.place.name_fr
        return {"name": name, "lat": self.place.lat, "lon": self.place.lon, "unit": self.unit, "code": self.place.code}


def places_in(text: str) -> list[PlaceHit]:
    """Each distinct place named in `text`, in order of first mention."""
    seen: set[str] = set()
    hits: list[PlaceHit] = []
    for match in gazetteer.find_places(text):
        if match.place.code in seen:
            continue
        seen.add(match.place.code)
        hits.append(PlaceHit(match.place, match.text, match.start, match.end, unit_for_place(match.place)))
    return hits


def place_keys(hits: list[PlaceHit]) -> tuple[frozenset[str], frozenset[str]]:
    """(every code of the places and their ancestors below the region, the codes of the fine places).

    Ancestors let "سيدي مومن" and "Casablanca" meet on the city; regions are too wide to say "same place".
    """
    keys: set[str] = set()
    fine: set[str] = set()
    for hit in hits:
        for place in gazetteer.chain(hit.place):
            if place.kind != "region":
                keys.add(place.code)
        if hit.place.kind in FINE_KINDS:
            fine.add(hit.place.code)
    return frozenset(keys), frozenset(fine)
