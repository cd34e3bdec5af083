"""The liaison's and the inspector's flows in a real chromium, in Arabic, with the network blocked.

GIVEN the test organisation, a complaint at the own district and one against an officer
WHEN the liaison registers an Ombudsman grievance, links the complaint, assigns the inquiry and
     drafts; a second liaison reviews; the head approves; the liaison produces the letter, records it
     sent and closes the grievance; the inspector names the officer and closes with a finding
THEN every page is right-to-left Arabic and each step is recorded.
"""

from __future__ import annotations

import pytest

from oversight.models import Allegation, Grievance
from oversight.tests.factories import liaisons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form: str, button: str) -> None:
    with page.expect_navigation():
        page.locator(form).get_by_role("button", name=button).click()


def act(page, name: str, label: str, **fields: str) -> None:
    form = page.locator(f"form[data-action={name}]")
    if form.locator("summary").count():
        form.locator("summary").click()
    for field, value in fields.items():
        control = form.locator(f"[name={field}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_liaison_and_inspector_in_arabic(new_page, staff_login, live_server, make_case, org):
    from playwright.sync_api import expect

    def log_in(page, username: str) -> None:
        staff_login(page, username)
        page.wait_for_url(lambda url: "/login/" not in url)

    liaison, second, head = liaisons(org)
    complaint = make_case()
    against = make_case(category="officer_misconduct")
    page = new_page(viewport={"width": 1400, "height": 1000})

    log_in(page, liaison.username)
    page.goto(f"{live_server.url}/oversight/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.get_by_role("heading", name="تسجيل تظلم")).to_be_visible()
    page.select_option("[name=body]", "ombudsman")
    page.fill("[name=body_reference]", "MR/2026/0777")
    page.fill("[name=subject]", "تأخر في معالجة شكاية سرقة")
    page.fill("[name=citizen_name]", "مواطنة مختلقة")
    submit(page, "form.grievance-form", "تسجيل")
    g = Grievance.objects.get()
    page.fill("form.link-form [name=reference]", complaint.reference)
    submit(page, "form.link-form", "ربط الشكاية")
    expect(page.get_by_role("link", name=complaint.reference)).to_be_visible()
    act(page, "assign_inquiry", "إسناد البحث", unit=str(org.district.pk))
    act(page, "draft", "تحرير مشروع الجواب", answer_text="تمت معالجة الشكاية وإحالتها على النيابة العامة.")

    log_in(page, second.username)
    page.goto(f"{live_server.url}/oversight/{g.reference}/")
    act(page, "review", "تأكيد مراجعة الجواب")
    log_in(page, head.username)
    page.goto(f"{live_server.url}/oversight/{g.reference}/")
    act(page, "approve", "المصادقة على الجواب")

    log_in(page, liaison.username)
    page.goto(f"{live_server.url}/oversight/{g.reference}/")
    letter = page.request.get(f"{live_server.url}/oversight/{g.reference}/letter.pdf")
    assert letter.status == 200 and letter.body().startswith(b"%PDF-")
    act(page, "send", "تسجيل إرسال الجواب")
    act(page, "close", "حفظ", closure="answered")
    expect(page.get_by_role("heading", name=f"{g.reference} · محفوظ")).to_be_visible()
    g.refresh_from_db()
    assert g.state == "closed" and g.closure == "answered" and g.events.filter(kind="letter").exists()

    log_in(page, org.inspector.username)
    page.goto(f"{live_server.url}/oversight/officers/complaints/{against.reference}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("form.officer-form [name=officer]", str(org.investigator.pk))
    page.locator("form.officer-form input[value=force]").check()
    submit(page, "form.officer-form", "تسجيل")
    a = Allegation.objects.get()
    page.select_option(f"form.conclude-form [name=finding_{a.pk}]", "sustained")
    page.select_option("form.conclude-form [name=outcome]", "training")
    submit(page, "form.conclude-form", "تسجيل الخلاصات وحفظ الشكاية")
    expect(page.locator(".findings")).to_contain_text("ثابتة")
    a.refresh_from_db()
    assert a.finding == "sustained"
