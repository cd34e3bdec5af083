"""The product with no internet, in Arabic, in a real chromium.

GIVEN the test organisation with line 19, and a browser whose every request off the test server is
     aborted (and noted)
WHEN a front-desk officer opens the intake and its map, a dispatcher opens the line-19 board, a
     citizen opens the filing form and its map, and anyone opens /api/docs
THEN each map draws Morocco's boundaries, Arabic place labels and the police stations from the
     server's static files, the documentation renders from the vendored Swagger UI, and not one
     request tried to leave the server.

Screenshots go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from org.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def offline(browser, live_server):
    """A page factory: Arabic, every request off the live server aborted and recorded."""
    refused: list[str] = []
    contexts = []

    def route(r):
        if r.request.url.startswith(live_server.url):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    def make(**options):
        context = browser.new_context(locale="ar-MA", **options)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    make.refused = refused  # type: ignore[attr-defined]
    yield make
    for context in contexts:
        context.close()


def log_in(page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def assert_map_drawn(page, box: str, shot: str) -> None:
    """Boundaries as SVG paths, Arabic labels, at least one police station, in `box`."""
    from playwright.sync_api import expect

    expect(page.locator(f"{box} .leaflet-overlay-pane path").first).to_be_attached()
    assert page.locator(f"{box} .leaflet-overlay-pane path").count() >= 12
    expect(page.locator(f"{box} .amane-station i").first).to_be_visible()
    labels = page.locator(f"{box} .amane-basemap-label span[dir=rtl]")
    expect(labels.first).to_be_attached()
    # No tile layer: nothing was asked of a tile server.
    assert page.locator(f"{box} .leaflet-tile").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot))


def test_intake_board_filing_and_docs_work_offline_in_arabic(offline, live_server):
    from playwright.sync_api import expect

    from emergency.tests.factories import line19

    o = line19()
    base = live_server.url

    desk = offline(viewport={"width": 1366, "height": 900})
    log_in(desk, base, o.desk.username, "/cases/new/")
    assert desk.locator("html").get_attribute("lang") == "ar"
    desk.click("#map-toggle")
    assert_map_drawn(desk, "#intake-map", "offline-intake-ar.png")

    board = offline(viewport={"width": 1500, "height": 1000})
    log_in(board, base, o.cas_dispatcher.username, "/emergency/board/")
    assert_map_drawn(board, "#board-map", "offline-board-ar.png")

    phone = offline(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(f"{base}/file/")
    phone.click("#map-toggle")
    assert_map_drawn(phone, "#portal-map", "offline-filing-ar.png")

    docs = offline(viewport={"width": 1366, "height": 900})
    docs.goto(f"{base}/api/docs")
    expect(docs.locator(".swagger-ui .information-container .title").first).to_be_visible()
    expect(docs.locator(".swagger-ui .opblock").first).to_be_visible()
    docs.screenshot(path=str(SHOTS / "offline-api-docs.png"))

    assert offline.refused == []
