"""Staff sign-in in a real chromium, in Arabic: a lockout message, the set-up of an authenticator and
the code page of a unit chief.

Screenshots of each page are written under the test's temporary folder (pytest keeps the last
runs under /tmp/pytest-of-<user>/) for a person to look at the right-to-left layout.
"""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP

from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 900})


def submit_login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def code_for(secret: str, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_locked_sign_in_says_so_in_arabic(page, live_server, settings, tmp_path):
    settings.AMANE_LOGIN_FREE_ATTEMPTS = 3
    settings.AMANE_LOGIN_LOCKOUT_ATTEMPTS = 3
    build_org()
    for _ in range(3):
        submit_login(page, live_server.url, "chief", "wrong-password-here")
    alert = page.locator(".alert-danger")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "محاولات فاشلة كثيرة جداً" in alert.inner_text() and "15" in alert.inner_text()
    page.screenshot(path=str(tmp_path / "login-locked-ar.png"), full_page=True)


def test_a_chief_sets_up_the_app_then_signs_in_with_a_code(page, live_server, second_factor, tmp_path):
    """GIVEN a unit chief without an authenticator WHEN they sign in THEN they scan a QR code, confirm
    a first code and see ten recovery codes; at their next sign-in the code page lets them in."""
    from playwright.sync_api import expect

    build_org()
    submit_login(page, live_server.url, "chief", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/account/2fa/enrol/?next=%2Fanalytics%2F")
    assert page.locator("html").get_attribute("dir") == "rtl"
    qr = page.locator("#otp-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.getElementById('otp-qr').naturalWidth") > 100
    page.locator("details summary").click()
    secret = page.locator("#otp-secret").inner_text()
    page.screenshot(path=str(tmp_path / "enrol-ar.png"), full_page=True)
    page.fill("input[name=code]", code_for(secret))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=str(tmp_path / "recovery-codes-ar.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="احتفظت بها، متابعة").click()
    expect(page).to_have_url(f"{live_server.url}/analytics/")

    with page.expect_navigation():
        page.get_by_role("button", name="تسجيل الخروج").click()
    submit_login(page, live_server.url, "chief", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/login/verify/?next=%2Fanalytics%2F")
    expect(page.locator("h1")).to_have_text("أكّد تسجيل دخولك")
    page.screenshot(path=str(tmp_path / "verify-ar.png"), full_page=True)
    page.fill("input[name=code]", code_for(secret, steps_ahead=1))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/analytics/")
    page.goto(f"{live_server.url}/account/")
    expect(page.locator("#h-2fa")).to_be_visible()
    assert "10" in page.locator("section[aria-labelledby=h-2fa]").inner_text()
    page.screenshot(path=str(tmp_path / "account-ar.png"), full_page=True)
