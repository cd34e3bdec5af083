"""What the generated history is drawn from: the districts of the demo organisation with who works
there, the categories with their channels and texts, and a population of complainants."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from cases.models import Category
from core import crypto
from demo import data
from demo.loaders.complaints import CATEGORY_WEIGHTS, CHANNEL_WEIGHTS, PROTECTED, WILAYA_WEIGHTS
from org.choices import Role, UnitKind
from org.models import Unit, User

Members = dict[int, dict[str, list[int]]]
Person = tuple[str, str, str, str, str]


@dataclass
class Station:
    """A district complaints are placed in, with who works there."""

    unit_id: int
    lat: float
    lon: float
    prefix: str
    streets: tuple[str, ...]
    places: tuple[str, ...]
    desk: list[int]
    workers: list[int]
    chiefs: list[int]


@dataclass
class Cat:
    id: int
    code: str
    sensitivity: str
    to_inspectorate: bool
    first_action_h: int
    closure_days: int
    prosecutor: bool
    priority: str
    anonymous_ok: bool
    descriptions: list[str] = field(default_factory=list)
    channels: tuple[list[str], list[float]] = ([], [])


def _empty() -> dict[str, list[int]]:
    return {"desk": [], "workers": [], "chiefs": []}


def unit_members() -> Members:
    """Active staff by unit: front desk, investigators ("workers") and chiefs."""
    members: Members = {}
    for user_id, unit_id, roles in User.objects.filter(is_active=True, unit__isnull=False).values_list(
        "id", "unit_id", "roles"
    ):
        slot = members.setdefault(unit_id, _empty())
        if Role.FRONT_DESK in roles:
            slot["desk"].append(user_id)
        if Role.INVESTIGATOR in roles:
            slot["workers"].append(user_id)
        if Role.UNIT_CHIEF in roles:
            slot["chiefs"].append(user_id)
    return members


def _wilaya_prefix(unit: Unit, units: dict[int, Unit]) -> str:
    for uid in [int(p) for p in unit.path.strip("/").split("/") if p]:
        if units[uid].kind == UnitKind.WILAYA:
            return units[uid].reference_prefix
    return unit.reference_prefix


def load_stations(units: dict[int, Unit], members: Members) -> tuple[list[Station], list[float]]:
    """The demo districts present in the database, with their cumulated weights (for drawing)."""
    by_code = {u.code: u for u in units.values()}
    stations: list[Station] = []
    weights: list[float] = []
    for wilaya in data.WILAYAS:
        for area in wilaya.areas:
            for district in area.districts:
                unit = by_code.get(district.code)
                if unit is None:
                    continue
                m = members.get(unit.id, _empty())
                chiefs = m["chiefs"] or members.get(unit.parent_id or 0, {}).get("chiefs", [])
                stations.append(
                    Station(
                        unit_id=unit.id,
                        lat=district.lat,
                        lon=district.lon,
                        prefix=_wilaya_prefix(unit, units),
                        streets=tuple(ar for ar, _fr in district.streets) or (district.name_ar,),
                        places=(district.name_ar.replace("الدائرة الأمنية ", ""),),
                        desk=m["desk"] or chiefs,
                        workers=m["workers"] or chiefs,
                        chiefs=chiefs,
                    )
                )
                # Busier districts first within a wilaya (a gentle Zipf).
                rank = len([s for s in stations if s.prefix == stations[-1].prefix])
                weights.append(WILAYA_WEIGHTS.get(stations[-1].prefix, 1.0) / (rank**0.5))
    return stations, list(itertools.accumulate(weights))


def load_categories() -> tuple[list[Cat], list[float]]:
    """The active categories with their channels and description templates, and their cumulated weights."""
    cats: list[Cat] = []
    cat_weights: list[float] = []
    for c in Category.objects.filter(active=True).order_by("code"):
        key = "protected" if c.code in PROTECTED else c.code
        channels = CHANNEL_WEIGHTS.get(key, CHANNEL_WEIGHTS["default"])
        templates = data.DESCRIPTIONS.get(c.code) or data.DESCRIPTIONS.get("theft") or (("{place}", "{place}"),)
        cat = Cat(
            id=c.id,
            code=c.code,
            sensitivity=c.sensitivity,
            to_inspectorate=c.route_to == "inspectorate",
            first_action_h=c.first_action_hours,
            closure_days=c.closure_days,
            prosecutor=c.prosecutor_mandatory,
            priority=c.default_priority,
            anonymous_ok=c.allows_anonymous,
            channels=(list(channels), list(itertools.accumulate(channels.values()))),
        )
        for ar, _fr in templates:
            cat.descriptions.append(ar)
        cats.append(cat)
        cat_weights.append(CATEGORY_WEIGHTS.get(c.code, 2))
    return cats, list(itertools.accumulate(cat_weights))


def make_population(rng: random.Random, total: int) -> list[Person]:
    """A population of complainants (encrypted once each): some complain several times."""
    size = max(50, min(total // 3, 100_000))
    population: list[Person] = []
    for i in range(size):
        name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
        prefix = rng.choice(("A", "AB", "BE", "BH", "C", "E", "J", "K"))
        cnie = f"{prefix}{100000 + i * 7 % 900000}"
        phone = f"+2126{rng.randrange(10_000_000, 99_999_999)}"
        population.append(
            (
                crypto.encrypt(name),
                crypto.encrypt(cnie),
                crypto.keyed_hash("cnie", cnie),
                crypto.encrypt(phone),
                crypto.keyed_hash("phone", phone),
            )
        )
    return population


def unit_tree_by_code() -> dict[str, dict[int, Any]]:
    """Units by id, and the wilaya id of every unit (from the materialised path)."""
    units = {u.pk: u for u in Unit.objects.all()}
    wilaya: dict[int, int] = {}
    for u in units.values():
        ids = [int(p) for p in u.path.strip("/").split("/") if p]
        wilaya[u.pk] = next((i for i in ids if units[i].kind == UnitKind.WILAYA), u.pk)
    return {"id": units, "wilaya": wilaya}
