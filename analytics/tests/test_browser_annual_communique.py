"""The annual communiqué in a real chromium, in Arabic: the central communication officer generates
the year's communiqué from the communiqués desk and edits its Arabic title; publishing is refused
until the director approves the text from the annual review; then the officer publishes it; it is
on the public page and in the feed, and its PDF link answers a PDF. Screenshots under the test's
temporary folder."""

from __future__ import annotations

import pytest
from django.utils import timezone

from analytics import rollups
from cases.services import result_record, result_validate
from cases.tests.factories import make_complaint
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "حصيلة سنة حافلة بالإنجازات الأمنية"


@pytest.fixture
def world(live_server):
    """Two thefts this year, 2 500 000 psychotropic tablets validated; the central cell's officer."""
    o = build_org()
    cases = [make_complaint(o.desk) for _ in range(2)]
    r = result_record(
        case=cases[0],
        actor=o.investigator,
        kind="psychotropic_tablets",
        quantity="2500000",
        occurred_on=timezone.localdate(),
    )
    result_validate(result=r, actor=o.chief)
    rollups.refresh()
    user_create(actor=None, username="com.central", password=PASSWORD, unit=o.central, roles=[Role.COMMUNICATION])
    user_create(actor=None, username="director.b", password=PASSWORD, unit=o.central, roles=[Role.UNIT_CHIEF])
    o.year = timezone.localdate().year
    return o


def test_central_cell_generates_edits_and_publishes_the_annual_communique(
    new_page, staff_login, live_server, world, tmp_path
):
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1280, "height": 1000})
    staff_login(page, "com.central", "/watch/communiques/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    with page.expect_navigation():
        page.locator("#annual").click()
    page.select_option("#year", str(world.year))
    page.screenshot(path=str(tmp_path / "annual-generate-ar.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#annual-communique button[type=submit]").click()
    expect(page.locator("#id_body_ar")).to_contain_text("2 500 000")
    expect(page.locator("#id_title_fr")).to_have_value(
        f"Bilan annuel de la Direction générale de la sûreté nationale pour l'année {world.year}"
    )
    page.fill("#id_title_ar", TITLE)
    with page.expect_navigation():
        page.locator("#communique-form button[type=submit]").click()
    expect(page.locator("#id_title_ar")).to_have_value(TITLE)
    expect(page.locator("#approval")).to_contain_text("موافقة")  # awaiting the director's approval
    draft_url = page.url
    with page.expect_navigation():
        page.locator("#publish button").click()
    expect(page.locator("main")).to_contain_text("المدير")  # refused: the director has not approved it

    director = new_page(viewport={"width": 1280, "height": 1000})
    staff_login(director, "director.b", "/review/")
    with director.expect_navigation():
        director.locator("#annual-to-approve a").first.click()
    expect(director.locator("#annual-text")).to_contain_text(TITLE)
    with director.expect_navigation():
        director.locator("#approve button").click()
    expect(director.locator("#approved")).to_be_visible()
    director.screenshot(path=str(tmp_path / "annual-approved-ar.png"), full_page=True)

    page.goto(draft_url)
    with page.expect_navigation():
        page.locator("#publish button").click()
    expect(page.locator("#communique h1")).to_have_text(TITLE)
    page.screenshot(path=str(tmp_path / "annual-published-ar.png"), full_page=True)

    pdf = page.request.get(live_server.url + (page.locator("#pdf").get_attribute("href") or ""))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    page.goto(f"{live_server.url}/communiques/")
    expect(page.locator("main")).to_contain_text(TITLE)
    feed = page.request.get(f"{live_server.url}/communiques/feed/")
    assert feed.status == 200 and TITLE in feed.text()
