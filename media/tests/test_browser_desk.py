"""From a rumour to its public rebuttal, driven in a real chromium, in Arabic.

GIVEN the test organisation with its communication cells, and two articles of one outlet's feed
     telling the same story in Arabic and in French, stored through the ingest service (which groups
     them into one event and triages it)
WHEN the Rabat communication officer opens the inbox, opens the event, marks it as a claim, opens a
     verification, records the verdict "false", drafts the rebuttal and publishes it
THEN the public communiqués page (anonymous) and the Atom feed show the rebuttal, and every page
     is right-to-left Arabic.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from media.choices import SourceKind
from media.entry import Entry
from media.models import Communique, Event, Source
from media.services import ingest
from media.tests.factories import HEADLINE, TEXT_AR, TEXT_FR, media_org
from org.tests.factories import PASSWORD, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_rumour_to_public_rebuttal_in_arabic(new_page, live_server):
    from playwright.sync_api import expect

    o = media_org(build_org())
    feed = Source.objects.create(name="Hespress", kind=SourceKind.FEED, url="https://www.hespress.com/feed")
    monday = datetime(2022, 9, 26, 11, 0, tzinfo=UTC)  # the feed's publication time of both articles
    entries = [
        Entry(text=TEXT_AR, link="https://www.hespress.com/a/1", title=HEADLINE, published=monday),
        Entry(text=TEXT_FR, link="https://fr.hespress.com/a/1?utm_source=fb", title="Enlèvement", published=monday),
    ]
    result = ingest(actor=None, source=feed, entries=entries)
    assert len(result.items) == 2 and len(result.events) == 1, "the two versions form one event"
    event = Event.objects.get()
    assert event.unit is not None  # placed in Hassan, Rabat: the Rabat cell sees it
    page = new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/login/?next=/watch/")
    page.fill("input[name=username]", o.com.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("dir") == "rtl"
    row = page.locator("#events tbody tr").filter(has_text=HEADLINE)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text("2")  # the duplicate is grouped: two items, one event
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "media-inbox-ar.png"), full_page=True)

    row.get_by_role("link").click()
    expect(page.locator("article.item")).to_have_count(2)
    page.select_option("#c-label", "claim")
    page.get_by_role("button", name="تصحيح التصنيف").click()
    expect(page.locator("#label")).to_contain_text("ادعاء يجب التحقق منه")

    page.fill("#v-evidence", "مراسلة المدرسة المعنية")
    page.get_by_role("button", name="فتح تحقق").click()
    form = page.locator("form.conclude")
    form.locator("select").select_option("false")
    form.locator("textarea").fill("أكدت الدائرة أنه لم تسجل أي حالة اختطاف.")
    form.get_by_role("button", name="تسجيل الخلاصة").click()
    expect(page.locator(".verdict")).to_have_text("زائف")
    page.get_by_role("button", name="تحرير التكذيب").click()
    expect(page.locator("#id_title_ar")).to_have_value("توضيح بخصوص خبر زائف")
    page.get_by_role("button", name="نشر").click()
    expect(page.locator("h1")).to_have_text("توضيح بخصوص خبر زائف")

    published = Communique.objects.get()
    assert published.state == "published" and Event.objects.get(pk=event.pk).rebutted_at is not None
    public = new_page(viewport={"width": 1000, "height": 900})
    public.goto(f"{live_server.url}/communiques/")
    assert public.locator("html").get_attribute("dir") == "rtl"
    expect(public.locator("article.communique")).to_have_count(1)
    public.get_by_role("link", name="توضيح بخصوص خبر زائف").click()
    expect(public.locator("#communique")).to_contain_text(HEADLINE)
    public.screenshot(path=str(SHOTS / "media-communique-ar.png"), full_page=True)
    feed = public.request.get(f"{live_server.url}/communiques/feed/")
    root = ET.fromstring(feed.body())  # noqa: S314 (our own feed)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1 and published.number in entries[0].findtext("{http://www.w3.org/2005/Atom}title")
