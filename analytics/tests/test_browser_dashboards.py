"""The dashboards in a real chromium, in Arabic: the chief's home and its overdue list, the
director's drill-down, the CSV and the monthly PDF they download (rendered to an image and read).

Screenshots go under the test's temporary folder for a person to look at the right-to-left layout.
"""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import rollups
from cases.services import TransitionInput, case_assign, case_transition, deadlines_sweep
from cases.tests.factories import make_complaint, required_fields
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 1000})


@pytest.fixture
def world(live_server):
    """Three thefts at the Hassan district: one acted on, two left to miss their 24 h (overdue and
    escalated by the sweep); a director at the central directorate."""
    o = build_org()
    cases = [make_complaint(o.desk) for _ in range(3)]
    acted = case_transition(
        case=cases[0], actor=o.chief, transition="qualify", data=TransitionInput(**required_fields("qualify"))
    )
    acted = case_assign(case=acted, actor=o.chief, officer=o.investigator)  # investigating needs an officer
    case_transition(case=acted, actor=o.chief, transition="investigate")
    deadlines_sweep(now=timezone.now() + timedelta(days=2))
    rollups.refresh()
    o.director = user_create(
        actor=None, username="director", password=PASSWORD, unit=o.central, roles=[Role.UNIT_CHIEF]
    )
    o.late = sorted(c.reference for c in cases[1:])
    return o


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_chief_lands_on_the_dashboard_and_opens_the_overdue_list(page, live_server, world, tmp_path):
    from playwright.sync_api import expect

    log_in(page, live_server.url, "chief")
    expect(page).to_have_url(f"{live_server.url}/analytics/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("h1")).to_contain_text(world.district.name_ar)
    overdue = page.locator('tr[data-indicator="overdue"] a')
    expect(overdue).to_have_text("2")
    expect(page.locator("#chart-trend svg")).to_have_count(1)  # ECharts drew the trend
    page.screenshot(path=str(tmp_path / "chief-dashboard-ar.png"), full_page=True)
    with page.expect_navigation():
        overdue.click()
    rows = page.locator("#records tbody tr")
    expect(rows).to_have_count(2)
    assert sorted(rows.locator("td:first-child a").all_inner_texts()) == world.late
    page.screenshot(path=str(tmp_path / "chief-overdue-ar.png"), full_page=True)


def test_director_drills_down_and_downloads_the_csv_and_the_pdf(page, live_server, world, tmp_path):
    from playwright.sync_api import expect

    log_in(page, live_server.url, "director")
    expect(page).to_have_url(f"{live_server.url}/analytics/")
    for unit in (world.wilaya, world.area, world.district):
        link = page.locator("#t-units a", has_text=unit.name_ar)
        with page.expect_navigation():
            link.click()
        expect(page.locator("h1")).to_contain_text(unit.name_ar)
        if unit == world.area:  # its districts on the map, their province shaded per 10,000 inhabitants
            expect(page.locator('#analytics-map path[fill="#0b5394"]')).to_have_count(2)
            expect(page.locator('#analytics-map path[fill="#c0392b"]').first).to_be_attached()
            page.screenshot(path=str(tmp_path / "director-area-ar.png"), full_page=True)
    expect(page.locator(".breadcrumb-item")).to_have_count(4)  # national → wilaya → area → district
    expect(page.locator("#analytics-map .leaflet-interactive")).to_have_count(0)  # a district has no units below
    page.screenshot(path=str(tmp_path / "director-district-ar.png"), full_page=True)

    with page.expect_download() as got:
        page.locator("#export-indicators-csv").click()
    text = got.value.path().read_text(encoding="utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text))}
    assert rows["overdue"][2] == "2" and rows["received"][2] == "3"

    with page.expect_download() as got:
        page.locator("#report-ar").click()
    pdf = tmp_path / "summary-ar.pdf"
    got.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, tmp_path / "summary"], check=True)
    assert (tmp_path / "summary-1.png").stat().st_size > 5000
    words = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
    assert "الملخص الشهري" in words and world.district.name_ar in words
