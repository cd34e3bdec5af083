"""The black-spot map, one cell's counts, the shift's patrol plan and its presence indicator."""

from __future__ import annotations

import math
from datetime import timedelta

import h3
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from analytics import blackspots, patrol_plan
from cases.tests.factories import make_complaint
from demo.clock import clock
from emergency import services
from emergency.tests.factories import MAARIF, call, line19, patrol
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SPOT = (34.0236, -6.8341)  # the own district of the test organisation (Rabat)


def offset(place, north_m, east_m=0.0):
    lat = place[0] + north_m / 111_195.0
    return lat, place[1] + east_m / (111_195.0 * math.cos(math.radians(lat)))


def cell_of(place, res=9):
    return h3.latlng_to_cell(place[0], place[1], res)


@pytest.fixture
def o(org):
    o = line19(org)
    o.analyst = user_create(actor=None, username="analyst", password=PASSWORD, unit=o.area, roles=[Role.ANALYST])
    return o


def register(o, place, n, category="theft", actor=None):
    for _ in range(n):
        make_complaint(actor or o.desk, category, latitude=place[0], longitude=place[1])


def scattered(o, n):
    """One complaint in each of n places on a circle of 2.5 km around the spot."""
    for i in range(n):
        angle = 2 * math.pi * i / n
        register(o, offset(SPOT, 2500 * math.cos(angle), 2500 * math.sin(angle)), 1)


def by_id(result):
    return {c["id"]: c for c in result.cells}


def test_a_cluster_is_a_99_percent_hot_spot_and_counts_only_what_the_reader_may_count(o):
    """GIVEN 20 thefts at one place, 30 scattered ones, and at the same place 5 protected complaints,
    5 against officers and a line-19 domestic-violence call WHEN the area's analyst opens the map THEN
    the place is hot at 99 % and counts the 20 thefts only; a sibling district's chief does not count them."""
    register(o, SPOT, 20)
    scattered(o, 30)
    register(o, SPOT, 5, "domestic_violence")
    register(o, SPOT, 5, "officer_misconduct")
    call(o, SPOT, actor=o.rbt_dispatcher, category="domestic_violence", address="حي حسان")
    now = timezone.now() + timedelta(minutes=1)
    result = blackspots.spot_map(o.analyst, period="month", resolution=9, now=now)
    spot = by_id(result)[cell_of(SPOT)]
    assert spot["count"] == 20 and spot["bin"] == 3 and spot["trend"] == "new"
    assert result.current_total == 50
    assert spot["top_week"] and spot["week"] == max(c["week"] for c in result.cells)
    sibling = blackspots.spot_map(o.sibling_chief, period="month", resolution=9, now=now)
    assert by_id(sibling).get(cell_of(SPOT), {"count": 0})["count"] == 0  # routed to the own district
    assert 0 < sibling.current_total < 30  # only the scattered ones routed to the sibling district


def test_two_periods_mark_a_persistent_spot_and_a_gone_one(o):
    """GIVEN a cluster in both periods and another only in the previous one THEN persistent and gone."""
    gone_place = offset(SPOT, 1200)
    start = timezone.now()
    with clock(start - timedelta(days=40)):
        register(o, SPOT, 20)
        register(o, gone_place, 20)
        scattered(o, 30)
    register(o, SPOT, 20)
    scattered(o, 30)
    result = blackspots.spot_map(o.area_chief, period="month", resolution=9, now=timezone.now() + timedelta(minutes=1))
    cells = by_id(result)
    assert cells[cell_of(SPOT)]["trend"] == "persistent"
    assert cells[cell_of(gone_place)]["trend"] == "gone" and cells[cell_of(gone_place)]["count"] == 0


def test_the_map_page_and_a_cell_detail(o):
    """GIVEN thefts and a line-19 fight at the spot WHEN a chief opens the map and clicks the cell THEN
    the cell lists its categories and the hour of the week; bad input is a translated 4xx."""
    register(o, SPOT, 3)
    call(o, SPOT, actor=o.rbt_dispatcher, category="fight", address="حي حسان")
    client = Client()
    client.force_login(o.area_chief)
    page = client.get("/blackspots/?period=week&res=9")
    assert page.status_code == 200 and cell_of(SPOT) in page.content.decode()
    detail = client.get(f"/blackspots/cell/{cell_of(SPOT)}/?period=week")
    text = detail.content.decode()
    assert detail.status_code == 200 and 'id="cell-categories"' in text and 'id="cell-hours"' in text
    local = timezone.localtime()
    grid = blackspots.cell_detail(o.area_chief, cell=h3.str_to_int(cell_of(SPOT)), period="week").hour_of_week
    assert grid[local.weekday()][local.hour] == 4 and sum(map(sum, grid)) == 4
    assert client.get("/blackspots/?period=decade").status_code == 422
    assert client.get("/blackspots/?res=15").status_code == 422
    assert client.get("/blackspots/cell/not-a-cell/").status_code == 404
    assert client.get("/blackspots/cell/8f2830828052d25/").status_code == 404  # resolution 15
    assert client.get(f"/blackspots/cell/{cell_of(SPOT)}/?period=x").status_code == 422


def test_the_patrol_plan_covers_the_forecast_cells_and_measures_presence(o):
    """GIVEN night-shift history concentrated at Maârif WHEN the plan of the area is drawn for the
    current shift THEN Maârif's cell ranks first with its share of the last 28 days; a patrol on
    scene there for 30 minutes counts 30 minutes of presence in that cell."""
    now = timezone.now()
    shift = patrol_plan.shift_at(now)
    casa = o.casa_officer
    with clock(shift.start - timedelta(days=1) + timedelta(hours=1)):
        register(o, MAARIF, 6, actor=casa)
        register(o, offset(MAARIF, 2000), 2, actor=casa)
    with clock(shift.start - timedelta(days=2) - timedelta(hours=9)):  # other hours: not this shift's
        register(o, offset(MAARIF, -2500), 9, actor=casa)
    plan = patrol_plan.patrol_plan(o.area2, shift, size=2)
    assert [c.cell for c in plan.cells] == [cell_of(MAARIF), cell_of(offset(MAARIF, 2000))]
    assert plan.last_period_total == 8 and plan.last_period_share == 1.0
    # The mission early in the shift, so that its 30 minutes on scene end inside it whatever the hour.
    with clock(shift.start + timedelta(minutes=10)):
        p = patrol(o, "CAS-31", MAARIF, officers=[o.cas_patrol_officer])
        inc = call(o, MAARIF).incident
        services.incident_dispatch(incident=inc, patrol=p, actor=o.cas_dispatcher)
        services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="en_route")
        on_scene = services.patrol_report(actor=o.cas_patrol_officer, incident=inc, status="on_scene").on_scene_at
    seen = patrol_plan.presence(plan, now=on_scene + timedelta(minutes=30))
    assert seen is not None and seen.per_cell[cell_of(MAARIF)] == pytest.approx(30.0, abs=0.1)
    assert seen.per_cell[cell_of(offset(MAARIF, 2000))] == 0.0 and seen.patrols == 1
    assert patrol_plan.presence(plan, now=shift.start - timedelta(minutes=1)) is None


def test_plan_page_layer_and_bad_input(o):
    """The printable plan and the board's layer answer the chief; bad shift, date, size or area: 4xx."""
    register(o, MAARIF, 3, actor=o.casa_officer)
    client = Client()
    client.force_login(o.casa_officer)
    page = client.get("/blackspots/plan/")
    assert page.status_code == 200 and "plan-presence" in page.content.decode()
    layer = client.get("/blackspots/layer/").json()
    assert layer["type"] == "FeatureCollection"
    assert client.get("/blackspots/plan/?date=2026-02-30&shift=night").status_code == 422
    assert client.get("/blackspots/plan/?date=2026-02-03&shift=dawn").status_code == 422
    assert client.get("/blackspots/plan/?cells=99").status_code == 422
    assert client.get(f"/blackspots/plan/?unit={o.area.pk}").status_code == 404  # Rabat: not hers
    assert client.get("/blackspots/plan/?unit=abc").status_code == 404


def test_the_board_toggle_shows_the_plans_of_the_wilayas_areas(o):
    """GIVEN thefts at Maârif at this hour yesterday WHEN Casablanca's dispatcher opens the board and
    asks for the layer THEN the board has the toggle and the layer holds Maârif's cell, in Anfa's plan;
    Rabat's dispatcher gets no Casablanca cell."""
    with clock(timezone.now() - timedelta(days=1)):
        register(o, MAARIF, 4, actor=o.casa_officer)
    client = Client()
    client.force_login(o.cas_dispatcher)
    board = client.get("/emergency/board/").content.decode()
    assert 'id="plan-layer-toggle"' in board and "/blackspots/layer/" in board
    layer = client.get("/blackspots/layer/").json()
    cells = {f["properties"]["cell"]: f["properties"] for f in layer["features"]}
    assert cells[cell_of(MAARIF)]["rank"] == 1 and cells[cell_of(MAARIF)]["last_period"] == 4
    client.force_login(o.rbt_dispatcher)
    assert cell_of(MAARIF) not in {f["properties"]["cell"] for f in client.get("/blackspots/layer/").json()["features"]}


def test_the_pages_queries_do_not_grow_with_the_incidents(o):
    """The map, a cell, the plan and the board's layer cost the same pinned number of queries for 2
    incidents as for 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(o.area_chief)
    paths = [
        "/blackspots/",
        f"/blackspots/cell/{cell_of(SPOT)}/",
        f"/blackspots/plan/?unit={o.area.pk}",
        "/blackspots/layer/",
    ]
    pinned = [7, 9, 10, 8]  # map, cell, plan, layer: raise in the commit that adds a query, saying why

    def counts():
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    register(o, SPOT, 2)
    few = counts()
    register(o, SPOT, 5)
    scattered(o, 5)
    assert (few, counts()) == (pinned, pinned)


def test_the_plan_as_a_pdf_in_arabic_and_french(o):
    """The plan prints to an A4 PDF (WeasyPrint, Amiri) in the reader's language; bad input: 4xx."""
    with clock(timezone.now() - timedelta(days=1)):
        register(o, MAARIF, 3, actor=o.casa_officer)
    client = Client()
    client.force_login(o.casa_officer)
    pdfs = {}
    for lang in ("ar", "fr"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get("/blackspots/plan.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        pdfs[lang] = response.content
    assert pdfs["ar"] != pdfs["fr"]
    assert client.get("/blackspots/plan.pdf?cells=0").status_code == 422
