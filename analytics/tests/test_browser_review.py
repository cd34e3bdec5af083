"""The annual review in a real chromium, in Arabic: a wilaya chief opens the review of the year from
the menu, finds the figures filled, writes the challenges and submits; the director (the central
unit's chief) comments and freezes it. Screenshots under the test's temporary folder."""

from __future__ import annotations

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import Review
from analytics.review.services import objective_set_target
from cases.services import result_record, result_validate
from cases.tests.factories import make_complaint
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server):
    """Two thefts at the Hassan district with 3 people presented to the prosecutor and 2.5 kg of
    cannabis resin validated this year; national targets set by the director (the screenshots land in
    the test's temporary folder)."""
    o = build_org()
    cases = [make_complaint(o.desk) for _ in range(2)]
    today = timezone.localdate()
    for kind, quantity in (("arrests", "3"), ("cannabis_resin", "2.5")):
        r = result_record(case=cases[0], actor=o.investigator, kind=kind, quantity=quantity, occurred_on=today)
        result_validate(result=r, actor=o.chief)
    rollups.refresh()
    o.director = user_create(
        actor=None, username="director", password=PASSWORD, unit=o.central, roles=[Role.UNIT_CHIEF]
    )
    for metric, target in (
        ("result:arrests", "3"),
        ("received", "2"),
        ("result:cannabis_resin", "2.7"),
        ("result:psychotropic_tablets", "100"),
    ):
        objective_set_target(
            actor=o.director, unit=o.central, year=today.year, metric=metric, comparator="gte", target=target
        )
    o.year = today.year
    return o


def test_wilaya_chief_submits_and_director_freezes(new_page, staff_login, live_server, world, tmp_path):
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1280, "height": 1100})
    staff_login(page, "wilayachief")
    page.locator("#nav-more").click()
    with page.expect_navigation():
        page.locator("#nav-review").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    with page.expect_navigation():
        page.locator("#own-review").click()
    expect(page.locator("h1")).to_contain_text(world.wilaya.name_ar)
    arrests = page.locator('tr[data-metric="result:arrests"]')
    expect(arrests.locator(".achieved")).to_contain_text("3")
    expect(arrests).to_have_attribute("data-status", "green")
    expect(page.locator('tr[data-metric="received"]')).to_have_attribute("data-status", "green")
    # 2.5 kg against 2.7: short by less than a tenth of the target.
    expect(page.locator('tr[data-metric="result:cannabis_resin"]')).to_have_attribute("data-status", "amber")
    expect(page.locator('tr[data-metric="result:psychotropic_tablets"]')).to_have_attribute("data-status", "red")
    expect(page.locator("#review-rule")).to_be_visible()
    page.fill("#id_challenges", "نقص الدوريات الليلية بحي يعقوب المنصور")
    with page.expect_navigation():
        page.locator("#review-submit").click()
    expect(page.locator("#review-state")).to_have_attribute("data-state", "submitted")
    expect(page.locator("#id_challenges")).to_have_value("نقص الدوريات الليلية بحي يعقوب المنصور")
    page.screenshot(path=str(tmp_path / "review-wilaya-submitted-ar.png"), full_page=True)

    director = new_page(viewport={"width": 1280, "height": 1100})
    staff_login(director, "director", f"/review/?year={world.year}")
    expect(director.locator("#review-units")).to_contain_text(world.wilaya.name_ar)
    director.screenshot(path=str(tmp_path / "review-rollup-ar.png"), full_page=True)
    with director.expect_navigation():
        director.locator("#review-units a", has_text=world.wilaya.name_ar).click()
    director.fill("#id_comment", "نثمن المجهودات مع ضرورة تعزيز التغطية الليلية")
    with director.expect_navigation():
        director.locator("#review-freeze button").click()
    expect(director.locator("#review-state")).to_have_attribute("data-state", "frozen")
    expect(director.locator("#frozen-note")).to_be_visible()
    expect(director.locator("#review-comment")).to_contain_text("التغطية الليلية")
    director.screenshot(path=str(tmp_path / "review-frozen-ar.png"), full_page=True)
    review = Review.objects.get(unit=world.wilaya, year=world.year)
    assert review.frozen and review.frozen_by == world.director
    assert {r["metric"]: r["value"] for r in review.figures["rows"]}["result:arrests"] == 3


def test_director_sets_a_target_with_its_quarters(new_page, staff_login, live_server, world, tmp_path):
    """The director sets the Rabat wilaya's target on arrests with four interim targets; the page
    shows it in force and the quarterly follow-up; a bad target comes back on its field."""
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1280, "height": 1300})
    staff_login(page, "director", f"/review/units/{world.wilaya.pk}/{world.year}/objectives/")
    page.select_option("#id_metric", "result:arrests")
    page.fill("#id_target", "abc")
    with page.expect_navigation():
        page.locator("#target-form button").click()
    expect(page.locator("#id_target_error_1")).to_be_visible()
    page.fill("#id_target", "12")
    for q, value in enumerate(("3", "6", "9", "12"), start=1):
        page.fill(f"#id_q{q}", value)
    with page.expect_navigation():
        page.locator("#target-form button").click()
    row = page.locator('#review-targets tr[data-metric="result:arrests"]')
    expect(row).to_contain_text("12")
    expect(page.locator("#roadmap tbody tr")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "review-objectives-ar.png"), full_page=True)
