"""Which unit should handle a complaint, proposed at intake from its place and category."""

from __future__ import annotations

from cases.choices import RouteTarget
from cases.models import Category
from core.geo import geojson_contains, haversine_m
from org.choices import UnitKind
from org.models import Unit


def route_propose(*, category: Category, latitude: float | None, longitude: float | None) -> Unit | None:
    """The competent unit, or None when nothing can be said (no place given).

    Complaints against officers go to the Inspectorate. Otherwise the district whose configured
    area (GeoJSON) contains the point, else the nearest district station.
    """
    if category.route_to == RouteTarget.INSPECTORATE:
        return Unit.objects.filter(kind=UnitKind.INSPECTORATE).order_by("path").first()
    return place_district(latitude, longitude)


def place_district(latitude: float | None, longitude: float | None) -> Unit | None:
    """The district whose configured area (GeoJSON) contains the point, else the nearest station."""
    if latitude is None or longitude is None:
        return None
    districts = list(
        Unit.objects.filter(kind=UnitKind.DISTRICT, latitude__isnull=False, longitude__isnull=False).only(
            "id", "code", "name_ar", "name_fr", "latitude", "longitude", "area_geojson", "path", "kind", "city"
        )
    )
    for unit in districts:
        if unit.area_geojson and geojson_contains(unit.area_geojson, latitude, longitude):
            return unit
    if not districts:
        return None
    return min(districts, key=lambda u: haversine_m(latitude, longitude, u.latitude, u.longitude))
