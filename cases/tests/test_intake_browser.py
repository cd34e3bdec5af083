"""The counter form's mistakes in Arabic, in a real chromium: every field in error is named in one
answer by the server (no browser bubble in another language), and what was typed stays."""

from __future__ import annotations

import os

import pytest

from cases.models import Case
from org.tests.factories import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_form_errors_in_arabic_in_one_pass(new_page, staff_login, live_server, tmp_path):
    """GIVEN a desk officer on the intake page in Arabic
    WHEN they leave the category and the name empty, type a wrong CNIE, a wrong phone and
         coordinates in Paris, and register
    THEN the server answers once, every one of those fields shows its Arabic message, the typed
         values are still there, and nothing was registered."""
    from playwright.sync_api import expect

    build_org()
    page = new_page(viewport={"width": 1366, "height": 1600})
    staff_login(page, "desk", "/cases/new/")
    expect(page.locator("#intake-form")).to_be_visible()
    page.fill("#id_cnie", "12")
    page.fill("#id_phone", "123")
    page.fill("#id_description", "سرقة دراجة نارية أمام المسجد")
    page.fill("#id_address", "زنقة الأمل، حي المحيط، الرباط")
    page.fill("#id_latitude", "48.8566")
    page.fill("#id_longitude", "2.3522")
    with page.expect_navigation():
        page.locator("#intake-submit").click()  # no bubble stops it: the form is novalidate
    assert page.locator("html").get_attribute("dir") == "rtl"
    for field, message in (
        ("category", "إلزامي"),
        ("full_name", "إلزامي"),
        ("cnie", "رقم بطاقة وطنية غير صحيح"),
        ("phone", "رقم هاتف غير صحيح"),
        ("latitude", "خارج المغرب"),
    ):
        feedback = page.locator(f".field-{field} .invalid-feedback")
        expect(feedback.first).to_be_visible()
        expect(feedback.first).to_contain_text(message)
    expect(page.locator("#id_address")).to_have_value("زنقة الأمل، حي المحيط، الرباط")
    expect(page.locator("#id_cnie")).to_have_value("12")
    # Kept where AMANE_SCREENSHOT_DIR says, to be looked at.
    shots = os.environ.get("AMANE_SCREENSHOT_DIR") or str(tmp_path)
    page.screenshot(path=os.path.join(shots, "intake-errors-ar.png"), full_page=True)
    assert not Case.objects.exists()
