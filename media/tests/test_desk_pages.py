"""The desk's pages and the public communiqués: who gets what (other roles 404, a wilaya's cell
only its wilaya, chiefs only their units' requests, anonymous only published communiqués), the
Atom feed, the languages, and that nothing personal reaches the public side."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from media import services
from media.models import Correction
from media.tests.factories import HEADLINE, TEXT_AR, TEXT_FR, make_event
from org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
NAME, PHONE = "سعاد المختلقة", "0612345678"


def client(user=None, lang: str = "ar") -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        assert c.login(username=user.username, password=PASSWORD)
    return c


def test_the_inbox_is_the_cells_own(morg):
    event = make_event(morg.district)
    other = make_event(morg.district2, headline="خبر من الدار البيضاء")
    page = client(morg.com).get("/watch/")
    assert page.status_code == 200
    html = page.content.decode()
    assert HEADLINE in html and "خبر من الدار البيضاء" not in html
    assert "رصد وسائل الإعلام" in html  # the page in Arabic
    assert other.headline in client(morg.com_central).get("/watch/").content.decode()
    for user in (morg.chief, morg.investigator, morg.norole, morg.inspector):
        assert client(user).get("/watch/").status_code == 404
        assert client(user).get(f"/watch/events/{event.pk}/").status_code == 404
    assert client().get("/watch/").status_code == 302
    assert client(morg.com_casa).get(f"/watch/events/{event.pk}/").status_code == 404


def test_the_inbox_filters(morg):
    make_event(morg.district, headline="مطالب الساكنة بالأمن", label="demand")
    make_event(morg.district, harmful=True)
    c = client(morg.com)
    assert "مطالب الساكنة" not in c.get("/watch/?label=claim").content.decode()
    assert "مطالب الساكنة" in c.get("/watch/?label=demand").content.decode()
    assert "مطالب الساكنة" not in c.get("/watch/?harmful=1").content.decode()
    assert "مطالب الساكنة" in c.get("/watch/?q=الساكنة").content.decode()
    assert c.get("/watch/?label=<script>&state=zz").status_code == 200


def test_the_event_page_shows_both_items_and_takes_a_correction(morg):
    event = make_event(morg.district)
    c = client(morg.com, "fr")
    html = c.get(f"/watch/events/{event.pk}/").content.decode()
    assert TEXT_AR in html and escape(TEXT_FR) in html and "Corriger le tri" in html
    bad = c.post(f"/watch/events/{event.pk}/correct/", {"label": "zzz"})
    assert bad.status_code == 422 and not Correction.objects.exists()
    ok = c.post(f"/watch/events/{event.pk}/correct/", {"label": "claim", "harmful": "1"})
    assert ok.status_code == 302 and Correction.objects.get().harmful is True
    assert client(morg.com_casa).post(f"/watch/events/{event.pk}/correct/", {"label": "claim"}).status_code == 404


def test_chiefs_see_only_their_units_requests(morg):
    event = make_event(morg.district)
    request = services.fact_request(event=event, actor=morg.com, question="ما الوقائع؟")
    assert "ما الوقائع؟" in client(morg.chief).get("/watch/facts/").content.decode()
    assert "ما الوقائع؟" not in client(morg.sibling_chief).get("/watch/facts/").content.decode()
    assert client(morg.com).get("/watch/facts/").status_code == 404
    assert client(morg.sibling_chief).post(f"/watch/facts/{request.pk}/answer/", {"answer": "x"}).status_code == 404
    assert client(morg.chief).post(f"/watch/facts/{request.pk}/answer/", {"answer": ""}).status_code == 422
    assert client(morg.chief).post(f"/watch/facts/{request.pk}/answer/", {"answer": "تم"}).status_code == 302
    assert "تم" in client(morg.com).get(f"/watch/events/{event.pk}/").content.decode()


def _published_rebuttal(morg):
    event = make_event(morg.district, label="demand")
    services.event_open_complaint(
        event=event,
        actor=morg.com,
        data=services.ComplaintInput(category="theft", description="سرقة", full_name=NAME, phone=PHONE),
    )
    v = services.verification_open(event=event, actor=morg.com, assignee=morg.com)
    services.verification_conclude(verification=v, actor=morg.com, verdict="false", evidence="تحقق")
    draft = services.rebuttal_draft(verification=v, actor=morg.com)
    return services.communique_publish(communique=draft, actor=morg.com)


def test_anyone_reads_published_communiques_in_their_language_and_nothing_personal(morg):
    published = _published_rebuttal(morg)
    text = services.CommuniqueText("مسودة سرية", "Brouillon", "نص", "texte")
    draft = services.communique_draft(actor=morg.com, kind="statement", text=text)
    anonymous = client()
    listing = anonymous.get("/communiques/").content.decode()
    assert published.number in listing and published.title_ar in listing and "مسودة سرية" not in listing
    detail = anonymous.get(f"/communiques/{published.number}/")
    assert detail.status_code == 200 and published.body_ar in detail.content.decode()
    french = client(lang="fr").get(f"/communiques/{published.number}/").content.decode()
    assert '<h1 class="h3">' + escape(published.title_fr) in french
    assert anonymous.get("/communiques/COM-2000-9999/").status_code == 404
    assert anonymous.get(f"/watch/communiques/{draft.pk}/").status_code == 302
    feed = anonymous.get("/communiques/feed/")
    for body in (listing, detail.content.decode(), french, feed.content.decode()):
        assert NAME not in body and PHONE not in body and "+212612345678" not in body


def test_the_feed_is_atom_with_both_languages(morg):
    published = _published_rebuttal(morg)
    response = client().get("/communiques/feed/")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    title = entries[0].find(f"{ATOM}title").text
    assert published.number in title and published.title_ar in title and published.title_fr in title
    summary = entries[0].find(f"{ATOM}summary").text
    assert published.body_ar in summary and published.body_fr in summary


def test_staff_edit_and_publish_a_statement(morg):
    c = client(morg.com)
    bad = c.post("/watch/communiques/new/", {"title_ar": "بلاغ", "title_fr": "", "body_ar": "نص", "body_fr": ""})
    assert bad.status_code == 422
    ok = c.post(
        "/watch/communiques/new/",
        {"kind": "statement", "title_ar": "بلاغ", "title_fr": "Communiqué", "body_ar": "نص", "body_fr": "Texte"},
    )
    assert ok.status_code == 302
    pk = int(ok["Location"].rstrip("/").rsplit("/", 1)[1])
    assert client(morg.com_casa).get(f"/watch/communiques/{pk}/").status_code == 404
    edit = {"title_ar": "بلاغ معدل", "title_fr": "Communiqué", "body_ar": "نص", "body_fr": "Texte"}
    assert c.post(f"/watch/communiques/{pk}/", edit).status_code == 302
    published = c.post(f"/watch/communiques/{pk}/publish/")
    assert published.status_code == 302 and "/communiques/COM-" in published["Location"]
    assert "بلاغ معدل" in client().get("/communiques/").content.decode()
    assert c.post(f"/watch/communiques/{pk}/publish/").status_code == 409


def test_media_train_learns_from_the_stored_corrections(morg, monkeypatch, tmp_path: Path):
    event = make_event(morg.district)
    services.event_correct(event=event, actor=morg.com, harmful=True)
    seen: dict[str, list] = {}

    def fake_train(path):
        seen["rows"] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return None, tmp_path / "model.pickle"

    monkeypatch.setattr("media.management.commands.media_train.train", fake_train)
    call_command("media_train")
    rows = {r["text"]: r for r in seen["rows"]}
    assert set(rows) == {TEXT_AR, TEXT_FR}
    assert rows[TEXT_AR]["harmful"] is True and rows[TEXT_AR]["label"] == "claim"


def test_the_inbox_costs_the_same_queries_for_one_event_or_many(morg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client(morg.com)
    make_event(morg.district)
    c.get("/watch/")  # sessions and caches warmed
    with CaptureQueriesContext(connection) as one:
        assert c.get("/watch/").status_code == 200
    for n in range(6):
        make_event(morg.district, headline=f"خبر رقم {n}")
    with CaptureQueriesContext(connection) as many:
        assert c.get("/watch/").status_code == 200
    assert len(many) == len(one)
