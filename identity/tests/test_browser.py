"""Signing in through the local provider in a real chromium on a phone-sized screen, in Arabic.

GIVEN the local identity provider on the live server
WHEN a citizen opens the sign-in on a 390 px wide phone, picks a fictional citizen
THEN the provider's page is right-to-left Arabic, marked as a demo, fits the screen, and the
     citizen comes back signed in; a forged callback shows the Arabic refusal page.

Runs Debian's chromium; every request not to the live server is aborted.
"""

from __future__ import annotations

import pytest

from identity.models import Citizen
from identity.services import IdentityPurpose, citizen_identity_read
from org.tests.factories import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(local_idp, new_page):
    return new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sign_in_on_a_phone(phone, local_idp):
    from playwright.sync_api import expect

    build_org()
    base = local_idp.url
    phone.goto(f"{base}/identity/login/?next=/identity/ttp/jwks.json")

    expect(phone.get_by_role("heading", name="تسجيل الدخول باسم مواطن وهمي")).to_be_visible()
    assert phone.locator("html").get_attribute("dir") == "rtl"
    expect(phone.get_by_role("note")).to_contain_text("للعرض التجريبي فقط")
    assert fits_the_screen(phone)
    with phone.expect_navigation(url=f"{base}/identity/ttp/jwks.json"):
        phone.get_by_test_id("idp-demo-0003").click()

    citizen = Citizen.objects.get()
    assert (
        citizen.sub == "demo-0003"
        and citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.SHOWN_TO_CITIZEN).family_name == "التازي"
    )

    phone.goto(f"{base}/identity/callback/?code=forged&state=forged")
    expect(phone.get_by_role("heading", name="تم رفض تسجيل الدخول")).to_be_visible()
    expect(phone.get_by_role("alert")).to_contain_text("المرجو تسجيل الدخول من جديد")
    assert fits_the_screen(phone)
    assert Citizen.objects.count() == 1
