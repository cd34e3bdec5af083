"""Acceptance: a citizen on a phone, from sign-in to the satisfaction survey, in Arabic.

GIVEN the test organisation and the local identity provider on the live server
WHEN a citizen on a 390x844 phone signs in through the provider, files a theft in Arabic with an
     SMS contact and gets a reference; an officer qualifies the case; the citizen tracks it; the
     case is closed and the citizen answers the survey
THEN the pages are right-to-left Arabic and fit the screen, the staff outbox shows the SMS, the
     tracking page shows the new state, and the answer is stored.

Runs Debian's chromium (never a downloaded browser); every request that does not go to the live
server (map tiles included) is aborted. Background tasks run with the database worker's code.
"""

from __future__ import annotations

import pytest

from cases.choices import Channel, State
from cases.models import Case
from cases.tests.factories import CLOSING_REPORT, qualification
from org.tests.factories import PASSWORD, build_org
from portal.models import OnlineFiling, OutboxMessage, SurveyResponse
from portal.tests.factories import run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _local_identity_provider(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.AMANE_OIDC_ISSUER = ""
    settings.AMANE_OIDC_CLIENT_ID = "amane-portal"
    settings.AMANE_OIDC_CLIENT_SECRET = ""


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_files_tracks_and_rates_on_a_phone(new_page, live_server):
    from playwright.sync_api import expect

    from cases.services import TransitionInput, case_transition
    from identity import oidc

    oidc.clear_caches()
    org = build_org()
    base = live_server.url
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)

    # --- sign in through the local identity provider, from the filing page
    phone.goto(f"{base}/file/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("html").get_attribute("lang") == "ar"
    phone.locator("#signin-link").click()
    with phone.expect_navigation(url=f"{base}/file/"):
        phone.get_by_test_id("idp-demo-0001").click()
    expect(phone.locator("#identity-name")).to_have_text("فاطمة الزهراء العلوي")
    assert fits_the_screen(phone)

    # --- file in Arabic
    phone.select_option("#id_category", "theft")
    phone.fill("#id_description", "سُرق هاتفي المحمول قرب محطة القطار الرباط المدينة")
    phone.fill("#id_address", "شارع محمد الخامس، الرباط")
    phone.fill("#id_latitude", "34.0236")
    phone.fill("#id_longitude", "-6.8341")
    phone.locator("#id_contact_channel input[value=sms]").check()
    phone.fill("#id_phone", "0612345678")
    expect(phone.locator("#id_pow_nonce")).not_to_have_value("")  # the browser did the work
    with phone.expect_navigation(url=f"{base}/file/done/"):
        phone.locator("#filing-submit").click()
    reference = phone.locator("#case-reference").inner_text().strip()
    code = phone.locator("#tracking-code").inner_text().strip()
    expect(phone.get_by_role("heading", level=1)).to_have_text("وصلتنا شكايتكم")
    assert fits_the_screen(phone)
    case = Case.objects.get(reference=reference)
    assert case.channel == Channel.ONLINE and case.assigned_unit == org.district
    assert OnlineFiling.objects.get(case=case).citizen.sub == "demo-0001"

    # --- the SMS lands in the outbox, which the administrator of the notification service reads
    assert run_tasks() == 1
    from org.choices import Role
    from org.services import user_create

    user_create(actor=None, username="admin", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    staff = new_page(viewport={"width": 1280, "height": 900})
    staff.goto(f"{base}/login/")
    staff.fill("#id_username", "admin")
    staff.fill("#id_password", PASSWORD)
    with staff.expect_navigation():
        staff.locator("form [type=submit]").last.click()
    staff.goto(f"{base}/outbox/")
    row = staff.locator("#outbox tbody tr").first
    expect(row).to_contain_text("+2126•••••678")  # masked
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("توصلنا بشكايتكم")

    # --- an officer qualifies the case; the citizen's tracking page shows it
    case_transition(
        case=case, actor=org.investigator, transition="qualify", data=TransitionInput(offence=qualification())
    )
    assert run_tasks() == 1
    phone.goto(f"{base}/track/?ref={reference}")
    expect(phone.locator("#id_ref")).to_have_value(reference)
    phone.fill("#id_code", code)
    with phone.expect_navigation():
        phone.locator("#track-submit").click()
    expect(phone.locator(".case-state")).to_have_attribute("data-state", State.QUALIFIED)
    expect(phone.locator(".case-state")).to_have_text("دُرست وقُبلت، وهي قيد المعالجة")
    assert fits_the_screen(phone)

    # --- closed; the citizen rates the service from their complaints page
    case_transition(
        case=case,
        actor=org.investigator,
        transition="close",
        data=TransitionInput(outcome="unfounded", report=CLOSING_REPORT),
    )
    assert run_tasks() == 1
    assert "/survey/" in OutboxMessage.objects.order_by("-id").first().body
    phone.goto(f"{base}/my/")
    phone.locator(f"[data-reference='{reference}'] .survey-link").click()
    phone.locator("#id_rating input[value='5']").check()
    phone.locator("#id_feels_safer input[value='yes']").check()
    phone.fill("#id_comment", "معاملة جيدة وسريعة")
    with phone.expect_navigation():
        phone.locator("#survey-submit").click()
    expect(phone.locator("#survey-thanks")).to_be_visible()
    answer = SurveyResponse.objects.get(case=case)
    assert (answer.rating, answer.feels_safer, answer.comment) == (5, "yes", "معاملة جيدة وسريعة")
