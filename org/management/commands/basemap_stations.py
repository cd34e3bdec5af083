"""`manage.py basemap_stations`: the police stations of the offline base map, from the units table.

Writes static/amane/basemap/stations.json (or --output): every wilaya, area, district and duty
service that has coordinates, with its names in Arabic, French and English. The file shipped is the
demo organisation's; a deployment runs this once its units are loaded, then `collectstatic`.
Station addresses are public information; nothing about staff or cases goes in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from org.choices import UnitKind
from org.models import Unit

STATION_KINDS = (UnitKind.WILAYA, UnitKind.AREA, UnitKind.DISTRICT, UnitKind.DUTY)
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "static" / "amane" / "basemap" / "stations.json"


def stations() -> list[dict[str, Any]]:
    """The stations, ordered by code, coordinates rounded to about 10 m."""
    rows = Unit.objects.filter(kind__in=STATION_KINDS, latitude__isnull=False, longitude__isnull=False)
    return [
        {
            "code": unit.code,
            "kind": unit.kind,
            "name_ar": unit.name_ar,
            "name_fr": unit.name_fr,
            "name_en": getattr(unit, "name_en", "") or unit.name_fr,
            "lat": round(unit.latitude, 4),
            "lon": round(unit.longitude, 4),
        }
        for unit in rows.order_by("code")
    ]


def stations_json() -> str:
    return json.dumps(stations(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the police stations of the offline base map (static/amane/basemap/stations.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="Where to write the JSON file.")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        Path(output).write_text(stations_json(), encoding="utf-8")
        self.stdout.write(f"{len(stations())} stations written to {output}")
