"""Which unit should handle a complaint, proposed at intake from its place and category."""

from __future__ import annotations

from cases.choices import RouteTarget
from cases.models import Category
from core.geo import geojson_contains, haversine_m
from org.choices import UnitKind
from org.models import Unit
from org.selectors import unit_tree


def _path(unit: Unit) -> str:
    return unit.path


def route_propose(*, category: Category, latitude: float | None, longitude: float | None) -> Unit | None:
    """The competent unit, or None when nothing can be said (no place given).

    Complaints against officers go to the Inspectorate. Otherwise the district whose configured
    area (GeoJSON) contains the point, else the nearest district station.
    """
    if category.route_to == RouteTarget.INSPECTORATE:
        inspectorates = sorted((u for u in unit_tree().values() if u.kind == UnitKind.INSPECTORATE), key=_path)
        return inspectorates[0] if inspectorates else None
    return place_district(latitude, longitude)


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
