"""Acceptance of the black spots, in a real chromium, in Arabic.

GIVEN Casablanca's Maârif district with thefts around one street corner and scattered ones, some today
      and some at the same hour yesterday (the current shift's hours)
WHEN its chief opens the black-spot map, switches to next week's forecast, clicks the corner's cell,
     then opens the shift's patrol plan and prints it
THEN the map draws the cells, the forecast legend shows, the cell's counts by category and hour of
     the week appear, and the printed plan lists the corner's cell first (screenshots and the PDF are
     written under var/test-artifacts/ to look at).
"""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import h3
import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

from cases.tests.factories import make_complaint
from demo.clock import clock
from emergency.tests.factories import MAARIF, line19

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(django_settings.BASE_DIR) / "var" / "test-artifacts"


def arabic(text: str) -> str:
    with translation.override("ar"):
        return str(translation.gettext(text))


def around(place, metres, i, n):
    angle = 2 * math.pi * i / n
    lat = place[0] + metres * math.cos(angle) / 111_195.0
    return lat, place[1] + metres * math.sin(angle) / (111_195.0 * math.cos(math.radians(lat)))


def test_a_chief_opens_the_map_switches_to_the_forecast_and_prints_the_plan(org, new_page, staff_login, live_server):
    o = line19(org)
    chief = o.casa_officer  # desk, investigator and chief of the Maârif district

    def thefts():
        for _ in range(8):
            make_complaint(chief, "theft", latitude=MAARIF[0], longitude=MAARIF[1])
        for i in range(10):
            lat, lon = around(MAARIF, 1500, i, 10)
            make_complaint(chief, "theft", latitude=lat, longitude=lon)

    with clock(timezone.now() - timedelta(days=1)):
        thefts()
    thefts()
    corner = h3.latlng_to_cell(MAARIF[0], MAARIF[1], 9)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    page = new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    staff_login(page, chief.username, "/blackspots/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_load_state("load")
    page.screenshot(path=str(ARTIFACTS / "blackspots-map.png"), full_page=True)
    assert errors == [], "\n".join(errors)
    page.locator(f'path[data-cell="{corner}"]').wait_for()  # hot: drawn in the first view
    page.get_by_text(arabic("Forecast: next week")).click()
    page.locator("#legend-forecast").wait_for(state="visible")
    assert page.locator("#spot-map").get_attribute("data-view") == "week"
    page.locator(f'path[data-cell="{corner}"]').dispatch_event("click")
    page.locator("#cell-categories").wait_for()
    page.locator("#cell-hours").wait_for()
    page.screenshot(path=str(ARTIFACTS / "blackspots-forecast.png"), full_page=True)

    with page.expect_navigation():
        page.locator("#plan-link").click()
    page.locator("#plan-cells tbody tr").first.wait_for()
    page.locator("#plan-map .plan-rank").first.wait_for()
    rows = page.locator("#plan-cells tbody tr")
    assert rows.count() >= 1
    page.emulate_media(media="print")
    assert not page.locator("#plan-filters").is_visible()  # the print view shows the plan only
    page.screenshot(path=str(ARTIFACTS / "blackspots-plan-print.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / "blackspots-plan.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
