"""A complaint from the counter to closure, driven in a real chromium, in Arabic.

GIVEN the test organisation and an earlier complaint by the same person
WHEN a front-desk officer registers a complaint with the keyboard, links the earlier one and prints
     the receipt, and an investigator qualifies it, refers it to the prosecutor, records the
     instructions and closes it as solved
THEN every page is right-to-left Arabic, and the case page's timeline shows each step.

Runs Debian's chromium (never a downloaded browser); every request that does not go to the live
server (map tiles, anything else) is aborted, so the test also proves the pages work offline.
"""

from __future__ import annotations

import re

import pytest

from cases.choices import EventKind, State
from cases.models import Case, CaseLink, Category
from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1400, "height": 1000})


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.activeElement.name") == "username"  # autofocus
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="تسجيل الخروج").click()


def focused(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.id")


def tab_to(page, name: str) -> None:
    page.keyboard.press("Tab")
    assert focused(page) == name


def test_counter_to_closure_in_arabic(page, live_server):
    from playwright.sync_api import expect

    from cases.services import ComplainantInput, IntakeInput, complaint_register

    org = build_org()
    earlier = complaint_register(
        actor=org.desk,
        data=IntakeInput(
            channel="counter",
            category=Category.objects.get(code="nuisance"),
            description="ضجيج ليلي متكرر",
            complainant=ComplainantInput(full_name="مواطن تجريبي", cnie="ZT98765", phone="0661000000"),
            latitude=34.0236,
            longitude=-6.8341,
        ),
    )
    base = live_server.url

    # --- the front-desk officer registers the complaint, keyboard first
    log_in(page, base, "desk")
    expect(page.get_by_role("heading", name="شكاياتي")).to_be_visible()
    page.get_by_role("link", name="شكاية جديدة").click()
    expect(page.get_by_role("heading", name="شكاية جديدة")).to_be_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # autofocus on the first field (applied once the page has settled, hence the wait)
    page.wait_for_function("(document.activeElement.name || document.activeElement.id) === 'category'")
    page.select_option("#id_category", "theft")
    help_box = page.locator("#category-help")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("تحرير محضر الاستماع")  # the procedure, shown without a request
    expect(help_box).to_contain_text("الإحالة على النيابة العامة إلزامية")
    expect(page.locator("#id_priority")).to_have_value("normal")  # default from the category

    tab_to(page, "channel")
    expect(page.locator("#id_channel")).to_have_value("counter")  # a district's counter
    tab_to(page, "anonymous")
    tab_to(page, "full_name")
    page.keyboard.type("مواطن تجريبي")
    tab_to(page, "cnie")
    page.keyboard.type("ZT98765")
    # htmx asks for suggestions while typing: the earlier complaint of the same person appears.
    suggestion = page.locator(f'#suggestions input[name="link_to"][value="{earlier.reference}"]')
    expect(suggestion).to_be_visible()
    expect(page.locator("#suggestions")).to_contain_text("نفس الشخص")
    # Tick it now, while no refresh is pending; later refreshes send it back checked.
    suggestion.check()
    page.locator("#id_cnie").focus()
    tab_to(page, "phone")
    page.keyboard.type("0661000000")
    tab_to(page, "email")
    tab_to(page, "language")
    tab_to(page, "notify_consent")
    page.keyboard.press("Space")  # the complainant agrees to be informed by SMS
    tab_to(page, "description")
    page.keyboard.type("سرقة هاتف محمول من داخل سيارة قرب محطة القطار")
    tab_to(page, "address")
    page.keyboard.type("شارع محمد الخامس، الرباط")
    tab_to(page, "latitude")
    page.keyboard.type("34.0236")
    tab_to(page, "longitude")
    page.keyboard.type("-6.8341")
    tab_to(page, "map-toggle")  # the optional map comes after the fields it fills
    expect(suggestion).to_be_checked()
    page.locator("#id_description").focus()
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    expect(page.get_by_role("heading", name="تم تسجيل الشكاية")).to_be_visible()
    reference = page.locator("#case-reference").inner_text().strip()
    assert re.fullmatch(r"RBT-\d{4}-\d{6}-[A-Z]", reference)
    assert len(page.locator("#tracking-code").inner_text().strip()) >= 8
    case = Case.objects.get(reference=reference)
    assert case.assigned_unit == org.district and case.complainant.language == "ar"
    assert CaseLink.objects.filter(from_case=case, to_case=earlier).exists()

    receipt_link = page.get_by_role("link", name="طبع الوصل")
    expect(receipt_link).to_be_visible()
    pdf = page.request.get(base + receipt_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="شكايات الوحدة").click()
    expect(page.get_by_role("heading", name="شكايات الوحدة")).to_be_visible()
    expect(page.locator("table.case-table")).to_contain_text(reference)
    log_out(page)

    # --- the chief gives the case to the investigator, who works it to closure
    from cases.services import case_assign

    case_assign(case=Case.objects.get(reference=reference), actor=org.chief, officer=org.investigator)
    log_in(page, base, "investigator")
    page.goto(f"{base}/cases/{reference}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("#case-state")).to_have_text("مسجلة")
    expect(page.locator("#complainant")).not_to_contain_text("ZT98765")
    page.locator("#complainant select[name=purpose]").select_option("contact")  # a purpose is required
    page.get_by_role("button", name="عرض المعطيات الشخصية").click()  # htmx POST
    expect(page.locator("#complainant")).to_contain_text("ZT98765")

    def act(action: str, state: str, fill=None) -> None:
        form = page.locator(f'form[data-action="{action}"]')
        if form.locator("summary").count():
            form.locator("summary").click()
        if fill:
            fill(form)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()
        expect(page.locator("#case-state")).to_have_text(state)

    act("qualify", "مكيّفة", lambda form: form.locator("select[name=offence]").select_option(index=1))

    def referral(form):
        # the office is chosen from the reference list of prosecutor's offices
        form.get_by_label("النيابة العامة المختصة").select_option(label="النيابة العامة لدى المحكمة الابتدائية بالرباط")
        form.get_by_label("مرجع النيابة العامة").fill("PV-2026-0451")

    act("refer", "محالة على النيابة العامة", referral)
    act(
        "record_instructions",
        "توصلنا بتعليمات النيابة العامة",
        lambda form: form.get_by_label("ملاحظة").fill("تعليمات بمواصلة البحث وإشعار المشتكي"),
    )

    def closing(form):
        form.get_by_label("مآل الشكاية").select_option("solved")
        form.locator("textarea[name=report]").fill("تم تحديد المشتبه فيه وإحالته على النيابة العامة.")

    act("close", "مغلقة", closing)

    expect(page.locator("#case-outcome")).to_have_text("تمت المعالجة")
    timeline = page.locator("#timeline")
    for transition, label in [
        ("qualify", "تكييف الشكاية"),
        ("refer", "الإحالة على النيابة العامة"),
        ("record_instructions", "تسجيل تعليمات النيابة العامة"),
        ("close", "إغلاق الشكاية"),
    ]:
        expect(timeline.locator(f'li[data-transition="{transition}"]')).to_contain_text(label)
    for kind in ("created", "receipt", "personal_data_read", "link"):
        expect(timeline.locator(f'li[data-kind="{kind}"]').first).to_be_visible()
    expect(timeline).to_contain_text("PV-2026-0451")
    expect(timeline).to_contain_text("تعليمات بمواصلة البحث")
    expect(timeline).to_contain_text("Investigator Test")

    case.refresh_from_db()
    assert case.state == State.CLOSED and case.outcome == "solved"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.TRANSITION) == 4 and EventKind.RECEIPT in kinds

    # The language switcher keeps the officer on the same page, now left to right in French.
    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#case-state")).to_have_text("Clôturée")
    expect(page.locator("#h-timeline")).to_have_text("Historique")


def test_a_complaint_against_an_officer_linked_at_the_counter_stays_invisible_to_the_district(page, live_server):
    """GIVEN a complainant's earlier complaint at the Hassan district
    WHEN the desk officer registers their complaint against an officer and links it to the earlier one
    THEN the new reference looks like any Rabat complaint, and the district chief, opening the
         earlier case, sees that a link exists but nothing of the new complaint: no reference, no
         category, no link to follow."""
    from playwright.sync_api import expect

    from cases.services import ComplainantInput, IntakeInput, complaint_register

    org = build_org()
    earlier = complaint_register(
        actor=org.desk,
        data=IntakeInput(
            channel="counter",
            category=Category.objects.get(code="theft"),
            description="سرقة دراجة نارية",
            complainant=ComplainantInput(full_name="مواطن تجريبي", cnie="ZT98765", phone="0661000000"),
            latitude=34.0236,
            longitude=-6.8341,
        ),
    )
    base = live_server.url
    log_in(page, base, "desk")
    page.goto(f"{base}/cases/new/")
    page.select_option("#id_category", "officer_misconduct")
    page.fill("#id_full_name", "مواطن تجريبي")
    page.fill("#id_cnie", "ZT98765")
    suggestion = page.locator(f'#suggestions input[name="link_to"][value="{earlier.reference}"]')
    expect(suggestion).to_be_visible()
    suggestion.check()
    page.fill("#id_description", "طلب مني عون المرور مبلغا ماليا مقابل عدم تحرير مخالفة")
    page.fill("#id_latitude", "34.0236")
    page.fill("#id_longitude", "-6.8341")
    with page.expect_navigation():
        page.get_by_role("button", name="تسجيل الشكاية").click()
    expect(page.get_by_role("heading", name="تم تسجيل الشكاية")).to_be_visible()
    reference = page.locator("#case-reference").inner_text().strip()
    new = Case.objects.get(reference=reference)
    assert new.assigned_unit == org.igsn and reference.startswith("RBT-")  # no IGS- prefix
    assert CaseLink.objects.filter(from_case=new, to_case=earlier).exists()
    log_out(page)

    log_in(page, base, "chief")
    page.goto(f"{base}/cases/{earlier.reference}/")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("شكاية مرتبطة")  # a link was made...
    expect(timeline).to_contain_text("شكاية لا يمكنك الاطلاع عليها")  # ...to a complaint they may not open
    body = page.content()
    assert reference not in body and "موظف شرطة" not in body
    assert page.locator(f'a[href*="{reference}"]').count() == 0
    assert page.goto(f"{base}/cases/{reference}/").status == 404
