"""The police stations of the offline base map are the demo organisation's.

GIVEN the demo organisation loaded through its loader
WHEN `manage.py basemap_stations` writes the stations
THEN the file equals static/amane/basemap/stations.json as shipped, every district and duty service
     of the demo is on it with its Arabic, French and English names, and nothing else than a name,
     a kind, a code and a place goes in.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.loaders.organisation import OrganisationLoader
from org.choices import UnitKind
from org.management.commands.basemap_stations import DEFAULT_OUTPUT
from org.models import Unit

pytestmark = pytest.mark.django_db


def test_shipped_stations_are_the_demo_organisations(tmp_path: Path, reference_data):
    OrganisationLoader().load()
    output = tmp_path / "stations.json"
    call_command("basemap_stations", output=str(output), stdout=io.StringIO())
    assert output.read_text(encoding="utf-8") == DEFAULT_OUTPUT.read_text(encoding="utf-8"), (
        "static/amane/basemap/stations.json is stale: run `manage.py basemap_stations` on the demo data"
    )
    stations = json.loads(output.read_text(encoding="utf-8"))
    codes = {s["code"] for s in stations}
    assert set(Unit.objects.filter(kind__in=[UnitKind.DISTRICT, UnitKind.DUTY]).values_list("code", flat=True)) <= codes
    for station in stations:
        assert set(station) == {"code", "kind", "name_ar", "name_fr", "name_en", "lat", "lon"}
        assert station["name_ar"] and station["name_fr"] and station["name_en"]
        assert station["name_en"] != station["name_fr"]  # the demo's units have English names
        assert 20 < station["lat"] < 36 and -17.5 < station["lon"] < -1
    assert all(unit.name_en for unit in Unit.objects.all())
