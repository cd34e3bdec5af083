"""The offline base map in a real chromium, with every request off the test server blocked.

GIVEN the static boundary files and static/js/basemap.js served by the live server
WHEN core/tests/basemap_check.html is opened on the live server's origin, in Arabic, then in French
     with a tile URL on a host that the network refuses
THEN regions, provinces and communes are drawn as SVG paths, labels are in the page's language and
     direction, no request leaves the test server except the (refused) tiles, and with the tiles
     refused the map drops them and falls back to its offline look.

Screenshots go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser]

CHECK_PAGE = Path(__file__).with_name("basemap_check.html").read_text(encoding="utf-8")
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def open_check_page(browser, live_server, query: dict, refused: list[str]):
    """The check page on the live server's origin; every other request is aborted and noted."""
    context = browser.new_context(viewport={"width": 1000, "height": 1100})

    def route(r):
        if r.request.url.startswith(live_server.url):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(f"{live_server.url}/static/amane/basemap/labels.json?{urlencode(query)}")
    page.set_content(CHECK_PAGE)
    page.wait_for_function("document.body.dataset.basemap !== undefined", timeout=20_000)
    assert page.evaluate("document.body.dataset.basemap") == "ready"
    return context, page


def test_arabic_map_draws_offline(browser, live_server):
    refused: list[str] = []
    context, page = open_check_page(browser, live_server, {}, refused)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "basemap-ar.png"))
    paths = page.locator(".leaflet-overlay-pane path")
    assert paths.count() >= 12 + 75  # regions and provinces (communes appear from zoom 9)
    assert page.evaluate("document.querySelector('.leaflet-overlay-pane path').getAttribute('d').length") > 100
    labels = page.locator(".amane-basemap-label")
    assert labels.count() >= 10
    assert labels.filter(has_text=re.compile("^الدار البيضاء$")).count() == 1  # the city, not only the region
    assert labels.filter(has_text=re.compile("^مراكش$")).count() == 1
    assert page.locator(".amane-basemap-label span[dir=rtl]").count() == labels.count()
    assert page.locator(".leaflet-tile").count() == 0
    # Zoomed on Casablanca, the arrondissements and province names appear.
    page.evaluate("basemap.labels._map.setView([33.57, -7.6], 10)")
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 1000")
    assert page.locator(".amane-basemap-label", has_text=re.compile("^المحمدية$")).count() == 1
    page.screenshot(path=str(SHOTS / "basemap-ar-casablanca.png"))
    # Closer, the arrondissements and the neighbourhoods are named.
    page.evaluate("basemap.labels._map.setView([33.585, -7.62], 13)")
    page.wait_for_function("document.querySelectorAll('.amane-basemap-label.neighbourhood').length > 3")
    assert page.locator(".amane-basemap-label.arrondissement", has_text=re.compile("^المعاريف$")).count() == 1
    page.screenshot(path=str(SHOTS / "basemap-ar-casablanca-13.png"))
    assert refused == []
    context.close()


def test_french_labels_and_refused_tiles(browser, live_server):
    refused: list[str] = []
    query = {"lang": "fr", "tiles": "https://tiles.invalid/{z}/{x}/{y}.png", "layers": "regions,provinces,labels"}
    context, page = open_check_page(browser, live_server, query, refused)
    assert page.locator(".leaflet-overlay-pane path").count() == 12 + 75
    assert page.locator(".amane-basemap-label", has_text=re.compile("^Casablanca$")).count() == 1
    assert page.locator(".amane-basemap-label span[dir=ltr]").count() >= 10
    # The refused tiles make the map fall back to its offline look: sea background, filled land.
    page.wait_for_function("basemap.offline === true")
    assert page.locator(".leaflet-tile-pane img").count() == 0
    assert refused and all(url.startswith("https://tiles.invalid/") for url in refused)
    page.screenshot(path=str(SHOTS / "basemap-fr-tiles-refused.png"))
    context.close()
