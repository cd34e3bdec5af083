"""The ingestion pages: sources' health, paste, import; only communication officers reach them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media.choices import SourceKind
from media.models import Event, Item, Source
from media.services import Entry, ingest, officer_source
from media.tests.test_events import FRENCH, HESPRESS, REWRITE, T0
from org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
PAGES = ["/watch/sources/", "/watch/paste/", "/watch/paste/done/", "/watch/import/"]


def client_for(user, lang: str = "ar") -> Client:
    client = Client()
    client.cookies["django_language"] = lang
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_other_role_gets_404_on_every_page(watch) -> None:
    source = Source.objects.create(name="Hespress", url="https://www.hespress.com/feed")
    for user in (watch.org.chief, watch.org.inspector, watch.org.desk, watch.org.norole):
        client = client_for(user)
        for page in [*PAGES, f"/watch/sources/{source.pk}/edit/"]:
            assert client.get(page).status_code == 404, (user.username, page)
        assert client.post("/watch/paste/", {"text": HESPRESS}).status_code == 404
    assert Item.objects.count() == 0
    assert Client().get("/watch/sources/").status_code == 302
    assert client_for(watch.casa).get("/watch/sources/").status_code == 200


def test_the_health_page_shows_each_sources_error_and_adds_a_feed(watch) -> None:
    Source.objects.create(
        name="Hespress", url="https://www.hespress.com/feed", last_status=503, last_error="HTTP 503", failures=2
    )
    client = client_for(watch.national)
    page = client.get("/watch/sources/").content.decode()
    assert "Hespress" in page and "HTTP 503" in page and "table-warning" in page
    answer = client.post("/watch/sources/", {"name": "Le360", "url": "https://le360.ma/rss", "poll_minutes": 20})
    assert answer.status_code == 302
    added = Source.objects.get(url="https://le360.ma/rss")
    assert added.poll_minutes == 20 and added.kind == SourceKind.FEED
    again = client.post("/watch/sources/", {"name": "Le360", "url": "https://le360.ma/rss", "poll_minutes": 20})
    assert again.status_code == 422 and "هذه التغذية متابعة من قبل" in again.content.decode()
    edit = client.post(f"/watch/sources/{added.pk}/edit/", {"poll_minutes": 60})
    added.refresh_from_db()
    assert edit.status_code == 302 and added.active is False and added.poll_minutes == 60
    assert client.post(f"/watch/sources/{added.pk}/edit/", {"poll_minutes": 1, "active": "on"}).status_code == 422


def test_paste_joins_the_stored_event_and_names_it(watch) -> None:
    stored = ingest(
        actor=None,
        source=officer_source(SourceKind.PASTE),
        entries=[Entry(HESPRESS, "https://hespress.com/1", published=T0)],
    )
    event = stored.events[0]
    client = client_for(watch.casa)
    answer = client.post(
        "/watch/paste/",
        {
            "text": REWRITE,
            "link": "https://alyaoum24.com/2?utm_source=fb",
            "author": "@alyaoum24",
            "published": "2022-09-27T10:00",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/watch/paste/done/"
    item = Item.objects.get(link_key="https://alyaoum24.com/2")
    assert item.event_id == event.pk and item.author_handle == "@alyaoum24"
    done = client.get("/watch/paste/done/").content.decode()
    assert f'href="/watch/events/{event.pk}/"' in done and event.headline[:40] in done
    again = client.post("/watch/paste/", {"text": REWRITE, "link": "https://alyaoum24.com/2/"})
    assert again.status_code == 409 and Item.objects.count() == 2
    assert client.post("/watch/paste/", {"text": ""}).status_code == 422


def test_a_wilaya_cell_is_not_shown_another_wilayas_event(watch) -> None:
    client = client_for(watch.rabat)
    assert client.post("/watch/paste/", {"text": HESPRESS, "link": "https://hespress.com/1"}).status_code == 302
    done = client.get("/watch/paste/done/").content.decode()
    assert "/watch/events/" not in done and Event.objects.count() == 1


def test_import_of_good_json_lines_csv_and_a_french_article(watch) -> None:
    client = client_for(watch.national)
    posts = [
        {
            "text": HESPRESS,
            "url": "https://hespress.com/1",
            "author": "@hespress",
            "published": "2022-09-27T08:00:00+01:00",
        },
        {"text": FRENCH, "link": "https://le360.ma/3", "published": "2022-09-27"},
    ]
    answer = client.post("/watch/import/", {"file": SimpleUploadedFile("posts.json", json.dumps(posts).encode())})
    assert answer.status_code == 302
    assert Item.objects.count() == 2 and Event.objects.count() == 1
    lines = "\n".join(
        json.dumps(p)
        for p in [{"text": REWRITE, "url": "https://alyaoum24.com/2", "published": "2022-09-27"}, posts[0]]
    )
    client.post("/watch/import/", {"file": SimpleUploadedFile("posts.jsonl", lines.encode())})
    csv = f'text,url,author,published\n"{REWRITE}",https://x.ma/9,@x,2022-09-27\n'
    assert client.post("/watch/import/", {"file": SimpleUploadedFile("p.csv", csv.encode())}).status_code == 302
    assert Item.objects.count() == 4 and Event.objects.get().items_count == 4


def test_import_reports_every_bad_line_in_arabic_and_stores_nothing(watch) -> None:
    client = client_for(watch.national)
    lines = "\n".join(
        [
            json.dumps({"text": HESPRESS, "url": "https://hespress.com/1"}),
            json.dumps({"text": "", "url": "https://hespress.com/2"}),
            "{not json",
            json.dumps({"text": REWRITE, "url": "ftp://x"}),
            json.dumps({"text": REWRITE, "published": "26/09/2022"}),
        ]
    )
    answer = client.post("/watch/import/", {"file": SimpleUploadedFile("posts.jsonl", lines.encode())})
    page = answer.content.decode()
    assert answer.status_code == 422 and Item.objects.count() == 0
    for line in (2, 3, 4, 5):
        assert f"السطر {line}:" in page
    assert "السطر 1:" not in page
    csv = "author,url\n@x,https://x.ma\n"
    answer = client.post("/watch/import/", {"file": SimpleUploadedFile("p.csv", csv.encode())})
    assert answer.status_code == 422 and "السطر 1:" in answer.content.decode()
    pretty = json.dumps([{"text": HESPRESS}, {"text": 5}], indent=2)
    french = client_for(watch.national, "fr").post(
        "/watch/import/", {"file": SimpleUploadedFile("p.json", pretty.encode())}
    )
    assert "Ligne 5" in french.content.decode() and Item.objects.count() == 0


def test_the_pages_in_arabic_have_no_latin_words_even_with_sources_and_a_paste(watch) -> None:
    from amane.tests.test_arabic_pages import CODES, latin_words

    Source.objects.create(name="Le360", url="https://fr.le360.ma/rss", last_error="HTTP 503", failures=1)
    officer_source(SourceKind.IMPORT)
    client = client_for(watch.national)
    client.post("/watch/paste/", {"text": FRENCH, "link": "https://le360.ma/3"})
    allowed = set(CODES) | {"Com", "Dgsn", "Test"}  # the officer's own (test) name
    for page in ["/watch/sources/", "/watch/paste/", "/watch/paste/done/", "/watch/import/"]:
        answer = client.get(page)
        assert answer.status_code == 200, page
        assert latin_words(answer.content.decode(), allowed) == set(), page
