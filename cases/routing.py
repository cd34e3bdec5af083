"""Which unit should handle a complaint, proposed at intake from its place and category.

1. A complaint against an officer goes to the Inspectorate.
2. A point (a pin, a phone's position) goes to the district whose territory contains it, else to
   the nearest district if one is within `NEAREST_MAX_M` (never to one hundreds of kilometres away).
3. No point but a typed address (and the city picked in a list) is placed offline against the
   gazetteer (`core.gazetteer.geocode`): a neighbourhood or an arrondissement is precise enough to
   be placed like a pin; a city, province or region only says which wilaya it belongs to.
4. What is still not placed waits at a routing desk whose staff send it on (`routing_desk_for`):
   the desk of the wilaya covering the place's region, or the national desk when nothing says
   where. Never at a unit where no role can act on it.

The geocoded point serves routing only: the case keeps the coordinates the complainant gave (a
neighbourhood's centre is not where the facts happened), and the created event records what the
address was placed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from cases.choices import RouteTarget
from cases.models import Category
from core import gazetteer
from core.geo import geojson_contains, haversine_m
from org.choices import UnitKind
from org.models import Unit
from org.selectors import unit_tree


def _path(unit: Unit) -> str:
    return unit.path


# Farther than this from every district, a point is not "placed": it goes to a routing desk.
NEAREST_MAX_M = 15_000
# Gazetteer precisions that place an address like a pin.
PLACED_PRECISIONS = frozenset({"neighbourhood", "arrondissement"})


@dataclass
class Placement:
    """Where a complaint is, as far as its pin, address and city tell: a point precise enough to
    route on (or None), the gazetteer's answer, and (`region`, computed when asked) the HCP code of
    its region ("" unknown)."""

    latitude: float | None
    longitude: float | None
    geocoded: gazetteer.GeocodeResult | None = None

    @cached_property
    def region(self) -> str:
        if self.geocoded is not None:
            return self.geocoded.place.region_code
        if self.latitude is not None and self.longitude is not None:
            return region_at(self.latitude, self.longitude)
        return ""

    def event_data(self) -> dict[str, str]:
        """What the timeline keeps of the geocoding (place codes, no personal data)."""
        if self.geocoded is None:
            return {}
        return {"place": self.geocoded.place.code, "precision": self.geocoded.precision}


def locate(*, latitude: float | None, longitude: float | None, address: str = "", city: str = "") -> Placement:
    """Place a complaint: its point when given, else its typed address (within the picked city)."""
    if latitude is not None and longitude is not None:
        return Placement(latitude, longitude)
    if not (address or "").strip() and not (city or "").strip():
        return Placement(None, None)
    found = gazetteer.geocode(address or "", city=(city or "").strip() or None)
    if found is None:
        return Placement(None, None)
    if found.precision in PLACED_PRECISIONS:
        return Placement(found.lat, found.lon, found)
    return Placement(None, None, found)


@lru_cache(maxsize=4096)
def region_at(latitude: float, longitude: float) -> str:
    """The HCP code of the region containing the point ("" outside every region)."""
    for feature in _regions():
        if geojson_contains(feature, latitude, longitude):
            return str(feature["properties"]["code"])
    return ""


@lru_cache(maxsize=1)
def _regions() -> list[dict]:
    return gazetteer.region_features()["features"]


def route_propose(
    *,
    category: Category,
    latitude: float | None,
    longitude: float | None,
    address: str = "",
    city: str = "",
) -> Unit | None:
    """The competent unit, or None when the place does not say (no point, an address that names
    no neighbourhood, a point far from every district).

    Complaints against officers go to the Inspectorate. Otherwise the district whose configured
    area (GeoJSON) contains the point, else the nearest district station within NEAREST_MAX_M;
    without a point, the typed address is geocoded first.
    """
    if category.route_to == RouteTarget.INSPECTORATE:
        inspectorates = sorted((u for u in unit_tree().values() if u.kind == UnitKind.INSPECTORATE), key=_path)
        return inspectorates[0] if inspectorates else None
    if latitude is None or longitude is None:
        placed = locate(latitude=None, longitude=None, address=address, city=city)
        latitude, longitude = placed.latitude, placed.longitude
    return district_near(latitude, longitude)


def district_near(latitude: float | None, longitude: float | None) -> Unit | None:
    """The district whose territory holds the point, else the nearest one within NEAREST_MAX_M."""
    unit = place_district(latitude, longitude)
    if unit is None or latitude is None or longitude is None:
        return None
    if unit.area_geojson and geojson_contains(unit.area_geojson, latitude, longitude):
        return unit
    if unit.latitude is None or unit.longitude is None:
        return None
    return unit if haversine_m(latitude, longitude, unit.latitude, unit.longitude) <= NEAREST_MAX_M else None


def place_district(latitude: float | None, longitude: float | None) -> Unit | None:
    """The district whose configured area (GeoJSON) contains the point, else the nearest station."""
    if latitude is None or longitude is None:
        return None
    # The districts and their areas come from the unit tree kept in the process (org.selectors).
    districts = sorted(
        (
            u
            for u in unit_tree().values()
            if u.kind == UnitKind.DISTRICT and u.latitude is not None and u.longitude is not None
        ),
        key=lambda u: u.pk,
    )
    for unit in districts:
        if unit.area_geojson and geojson_contains(unit.area_geojson, latitude, longitude):
            return unit
    if not districts:
        return None
    return min(districts, key=lambda u: haversine_m(latitude, longitude, u.latitude, u.longitude))


def wilaya_region(wilaya: Unit) -> str:
    """The region a wilaya stands in (from its seat's coordinates)."""
    if wilaya.latitude is None or wilaya.longitude is None:
        return ""
    return region_at(wilaya.latitude, wilaya.longitude)


def wilaya_for(placement: Placement) -> Unit | None:
    """The wilaya covering the placement's region (the nearest one when the region has several)."""
    if not placement.region:
        return None
    wilayas = [w for w in Unit.objects.filter(kind=UnitKind.WILAYA) if wilaya_region(w) == placement.region]
    if len(wilayas) < 2:
        return wilayas[0] if wilayas else None
    point = (
        (placement.latitude, placement.longitude)
        if placement.latitude is not None and placement.longitude is not None
        else (placement.geocoded.lat, placement.geocoded.lon)
        if placement.geocoded is not None
        else None
    )
    if point is None:
        return wilayas[0]
    return min(wilayas, key=lambda w: haversine_m(point[0], point[1], w.latitude or 0.0, w.longitude or 0.0))


def routing_desk_for(placement: Placement, *, wilaya: Unit | None = None) -> Unit:
    """Where a complaint routing could not place waits for a person to send it on.

    The routing desk of the wilaya covering the place (or `wilaya`, the one the complaint was
    taken in, when the place says nothing); a wilaya without a desk takes it itself (its chief
    can act). With no wilaya at all, the national routing desk; an organisation without one falls
    back to the central unit.
    """
    target = wilaya_for(placement) or wilaya
    if target is not None:
        desk = Unit.objects.filter(kind=UnitKind.ROUTING_DESK, parent=target).order_by("path").first()
        return desk or target
    national = national_routing_desk()
    if national is not None:
        return national
    central = Unit.objects.filter(kind=UnitKind.CENTRAL).order_by("path").first()
    assert central is not None, "the organisation has no central unit"
    return central


def national_routing_desk() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.ROUTING_DESK, parent__kind=UnitKind.CENTRAL).order_by("path").first()
