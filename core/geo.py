"""Small geography toolkit: Morocco's outline, distances and point-in-polygon.

No GIS extension is needed: the number of districts is in the hundreds, so routing by polygon or by
nearest station is done in Python over a few hundred rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed

# Coarse outline of the Kingdom (southern provinces included), (lat, lon), accurate to ~10 km:
# enough to refuse a point in Algeria, Spain, Mauritania or the ocean.
MOROCCO_OUTLINE: tuple[tuple[float, float], ...] = (
    (35.10, -2.21),
    (35.17, -2.93),
    (35.45, -2.97),
    (35.25, -3.93),
    (35.22, -4.67),
    (35.70, -5.28),
    (35.92, -5.38),
    (35.82, -5.95),
    (35.19, -6.20),
    (34.26, -6.68),
    (34.03, -6.87),
    (33.60, -7.70),
    (33.25, -8.55),
    (32.30, -9.30),
    (31.50, -9.85),
    (30.63, -9.95),
    (30.40, -9.70),
    (29.38, -10.25),
    (28.50, -11.30),
    (27.94, -12.98),
    (26.13, -14.55),
    (23.70, -16.05),
    (20.77, -17.15),
    (21.33, -16.95),
    (21.33, -13.00),
    (23.00, -13.00),
    (23.00, -12.00),
    (26.00, -12.00),
    (26.00, -8.67),
    (27.67, -8.67),
    (28.70, -8.67),
    (29.00, -7.60),
    (29.80, -5.60),
    (30.00, -4.50),
    (30.60, -3.60),
    (31.30, -3.70),
    (31.70, -2.85),
    (32.10, -1.20),
    (32.60, -1.10),
    (33.20, -1.70),
    (34.00, -1.75),
    (34.75, -1.80),
)

EARTH_RADIUS_M = 6_371_000.0


def point_in_ring(lat: float, lon: float, ring: Sequence[Sequence[float]], *, lonlat: bool = False) -> bool:
    """Ray casting. `ring` is (lat, lon) pairs, or (lon, lat) pairs as GeoJSON has them."""
    inside = False
    n = len(ring)
    for i in range(n):
        a, b = ring[i], ring[(i + 1) % n]
        ay, ax = (a[1], a[0]) if lonlat else (a[0], a[1])
        by, bx = (b[1], b[0]) if lonlat else (b[0], b[1])
        if (ay > lat) != (by > lat):
            x_cross = ax + (lat - ay) * (bx - ax) / (by - ay)
            if lon < x_cross:
                inside = not inside
    return inside


def in_morocco(lat: float, lon: float) -> bool:
    return point_in_ring(lat, lon, MOROCCO_OUTLINE)


def validate_point(lat: float | None, lon: float | None) -> None:
    """Both or neither; when given, inside the Kingdom."""
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        raise ValidationFailed(
            _("Give both latitude and longitude, or neither."),
            fields={"latitude": _("Both coordinates are needed.")},
        )
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValidationFailed(
            _("The coordinates are not numbers."),
            fields={"latitude": _("Not a number."), "longitude": _("Not a number.")},
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not in_morocco(lat, lon):
        raise ValidationFailed(
            _("The place is outside Morocco. Check the coordinates."),
            fields={"latitude": _("Outside Morocco."), "longitude": _("Outside Morocco.")},
        )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square holding the circle: an indexable prefilter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def geojson_contains(geojson: dict, lat: float, lon: float) -> bool:
    """True when a GeoJSON Polygon / MultiPolygon (or Feature of one) contains the point."""
    geom = geojson.get("geometry", geojson) if isinstance(geojson, dict) else {}
    kind = geom.get("type")
    polygons: Iterable = []
    if kind == "Polygon":
        polygons = [geom["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geom["coordinates"]
    for rings in polygons:
        if not rings:
            continue
        if point_in_ring(lat, lon, rings[0], lonlat=True) and not any(
            point_in_ring(lat, lon, hole, lonlat=True) for hole in rings[1:]
        ):
            return True
    return False
