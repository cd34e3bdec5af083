"""Acceptance (issue 11, routing and notifications), on a phone, in Arabic.

GIVEN the test organisation (a Maârif district in Casablanca) and its routing desks
WHEN a citizen on a 390x844 phone files a theft with no pin, picking Casablanca in the city list and
     typing only the neighbourhood; then a front-desk officer, on a phone too, registers a walk-in
     complaint with the complainant's phone and consent
THEN the online complaint lands at the Maârif district (not the national headquarters), and the
     walk-in complainant's acknowledgement SMS is sent, in Arabic, with the reference.

Debian's chromium; every request outside the live server is aborted (no internet).
"""

from __future__ import annotations

import pytest

from cases.models import Case
from org.tests.factories import PASSWORD, build_org
from portal.models import OutboxMessage
from portal.tests.factories import run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_typed_neighbourhood_lands_at_its_district_and_a_walk_in_gets_its_sms(new_page, live_server):
    from playwright.sync_api import expect

    from core import crypto

    org = build_org()
    base = live_server.url

    # --- a citizen files from a phone: city picked, neighbourhood typed, no pin
    phone = new_page(**PHONE)
    phone.goto(f"{base}/file/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    expect(phone.locator("#use-location")).to_be_visible()  # "use my location" offered
    phone.select_option("#id_category", "theft")
    phone.fill("#id_description", "سُرقت دراجتي النارية من أمام المنزل ليلا")
    phone.select_option("#id_city", label="الدار البيضاء")
    phone.fill("#id_address", "زنقة 12، حي المعاريف")
    expect(phone.locator("#id_latitude")).to_have_value("")
    phone.locator("#id_contact_channel input[value=none]").check()
    assert fits_the_screen(phone)
    expect(phone.locator("#id_pow_nonce")).not_to_have_value("")
    with phone.expect_navigation(url=f"{base}/file/done/"):
        phone.locator("#filing-submit").click()
    reference = phone.locator("#case-reference").inner_text().strip()
    online = Case.objects.get(reference=reference)
    assert online.assigned_unit == org.district2  # Maârif, Casablanca
    assert online.latitude is None  # the neighbourhood's centre is not stored as the place

    # --- a walk-in complaint at the counter, with the complainant's phone and consent
    desk = new_page(**PHONE)
    desk.goto(f"{base}/login/")
    desk.fill("#id_username", "desk")
    desk.fill("#id_password", PASSWORD)
    with desk.expect_navigation():
        desk.keyboard.press("Enter")
    desk.goto(f"{base}/cases/new/")
    desk.select_option("#id_category", "theft")
    desk.fill("#id_full_name", "مواطن تجريبي")
    desk.fill("#id_phone", "0661000000")
    expect(desk.locator("#id_language")).to_have_value("ar")
    desk.locator("#id_notify_consent").check()
    desk.fill("#id_description", "سرقة محفظة داخل الحافلة")
    desk.fill("#id_address", "شارع محمد الخامس، الرباط")
    # No grey sample coordinates in the empty fields.
    assert desk.locator("#id_latitude").get_attribute("placeholder") is None
    desk.fill("#id_latitude", "34.0236")
    desk.fill("#id_longitude", "-6.8341")
    with desk.expect_navigation():
        desk.locator("#intake-submit").click()
    walk_in = Case.objects.exclude(pk=online.pk).get()
    assert walk_in.channel == "counter" and walk_in.complainant.notify_consent

    assert run_tasks() == 1  # the acknowledgement; the online filer asked for none
    sms = OutboxMessage.objects.get()
    assert sms.channel == "sms" and crypto.decrypt(sms.recipient_enc) == "+212661000000"
    assert walk_in.reference in sms.body and sms.language == "ar"
    assert "توصلنا بشكايتكم" in sms.body
