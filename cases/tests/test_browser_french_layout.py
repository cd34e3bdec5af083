"""French on a 1366-pixel screen, the most common office screen: nothing cut, nothing wrapped.

GIVEN a district chief (the longest menu: cases, queue, intake, line 19, response times, reads) with
     complaints in the unit queue, in French, in chromium at 1366 × 768
WHEN the unit queue opens
THEN the menu holds on one line and the queue's last column (the deadline) is inside the table's
     box, with no part of the table hidden behind a scroll bar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from org.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def test_queue_in_french_at_1366_pixels(new_page, live_server, org, make_case):
    from cases.services import case_assign
    from org.choices import Role
    from org.services import user_create

    officer = user_create(
        actor=None,
        username="long.name",
        password=PASSWORD,
        unit=org.district,
        roles=[Role.INVESTIGATOR],
        first_name="Abdelouahed Mohammed-Amine",
        last_name="Benabdeljalil El Idrissi El Alaoui",
    )
    for category in ("theft", "fraud", "threats", "nuisance"):
        case_assign(case=make_case(category=category), actor=org.chief, officer=officer)
    page = new_page(viewport={"width": 1366, "height": 768})
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/?next=/cases/queue/")
    page.fill("#id_username", org.chief.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.locator("html").get_attribute("lang") == "fr"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "queue-fr-1366.png"))
    tops = page.eval_on_selector_all(".navbar-nav .nav-item", "items => items.map(i => i.offsetTop)")
    assert len(tops) >= 5 and len(set(tops)) == 1, f"the menu wraps: {tops}"
    for control in (".logout-form .btn", "#language-select"):
        right = page.eval_on_selector(control, "c => c.getBoundingClientRect().right")
        assert right <= 1366, f"{control} is off the screen ({right}px)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    navbar = page.eval_on_selector(".navbar", "n => n.getBoundingClientRect().height")
    assert navbar < 70, f"the menu bar is {navbar}px high"
    box = page.eval_on_selector(".table-responsive", "b => [b.scrollWidth, b.clientWidth]")
    assert box[0] <= box[1], f"the queue is cut: {box[0]}px of table in {box[1]}px"
    last = page.eval_on_selector(".case-table thead th:last-child", "th => th.getBoundingClientRect().right")
    assert last <= 1366
