"""Feeds served on loopback: polled, parsed, de-duplicated; a 304 fetches nothing; failures back off."""

from __future__ import annotations

import io
import threading
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from core.errors import ValidationFailed
from media import feeds
from media.feeds import FeedError, fetch, parse
from media.models import Item, Source
from media.services import backoff, due_sources, poll_due, source_create, source_poll
from media.tests.test_events import FRENCH, HESPRESS, REWRITE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_allowed(settings, request) -> None:
    """The feeds of these tests are served on loopback, which production refuses (see the tests at the
    end, which switch it back off)."""
    settings.AMANE_MEDIA_FEEDS_PRIVATE = "private" not in request.node.name


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>هسبريس</title><link>https://www.hespress.com/</link><description>d</description>
<item><title>توقيف ثلاثة أشخاص بسيدي مومن</title><link>https://www.hespress.com/faits/1.html?utm_source=rss</link>
<description>&lt;p&gt;{HESPRESS}&lt;/p&gt;</description><author>redaction@hespress.com (هيئة التحرير)</author>
<pubDate>Tue, 27 Sep 2022 08:00:00 +0000</pubDate></item>
<item><title>سطو على وكالة لتحويل الأموال</title><link>https://www.hespress.com/faits/2.html</link>
<description>{REWRITE}</description><pubDate>Tue, 27 Sep 2022 09:00:00 +0000</pubDate></item>
<item><title>توقيف ثلاثة أشخاص بسيدي مومن</title><link>https://www.hespress.com/faits/1.html#comments</link>
<description>{HESPRESS}</description><pubDate>Tue, 27 Sep 2022 08:00:00 +0000</pubDate></item>
</channel></rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Le360</title><id>urn:le360</id><updated>2022-09-27T12:00:00Z</updated>
<entry><title>Braquage à Sidi Moumen</title><id>urn:le360:1</id><link href="https://le360.ma/societe/braquage/"/>
<updated>2022-09-27T12:00:00Z</updated><author><name>Le360</name></author><summary>{FRENCH}</summary></entry>
</feed>""".encode()


class Feeds(BaseHTTPRequestHandler):
    """/rss.xml and /atom.xml with an ETag (304 when the client sends it back), /broken (500),
    /html (not a feed); every GET is counted with the body it sent."""

    hits: list[tuple[str, int]] = []

    def do_GET(self) -> None:
        documents = {"/rss.xml": (RSS, '"rss-v1"', "application/rss+xml"), "/atom.xml": (ATOM, '"atom-v1"', "")}
        if self.path == "/broken":
            return self._answer(500, b"oops")
        if self.path == "/html":
            return self._answer(200, b"<html><body>not a feed</body></html>", "text/html")
        if self.path not in documents:
            return self._answer(404, b"")
        body, etag, kind = documents[self.path]
        if self.headers.get("If-None-Match") == etag:
            return self._answer(304, b"")
        return self._answer(200, body, kind or "application/atom+xml", etag)

    def _answer(self, status: int, body: bytes, kind: str = "text/plain", etag: str = "") -> None:
        Feeds.hits.append((self.path, len(body)))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    Feeds.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_rss_and_atom_are_polled_parsed_and_deduplicated(watch, server) -> None:
    rss = source_create(actor=watch.national, name="Hespress", url=f"{server}/rss.xml")
    atom = source_create(actor=watch.national, name="Le360", url=f"{server}/atom.xml")
    results = {r.source.pk: r for r in poll_due()}
    assert results[rss.pk].status == 200 and results[rss.pk].stored == 2 and results[rss.pk].skipped == 1
    assert results[atom.pk].stored == 1
    first = Item.objects.get(link_key="https://www.hespress.com/faits/1.html")
    assert first.text.startswith("توقيف ثلاثة أشخاص") and "<p>" not in first.text
    assert first.published_at is not None and first.published_at.isoformat().startswith("2022-09-27T08:00")
    french = Item.objects.get(link_key="https://le360.ma/societe/braquage")
    assert french.lang == "fr" and french.title == "Braquage à Sidi Moumen"
    assert french.event_id == first.event_id  # the French article joined the Arabic story
    rss.refresh_from_db()
    assert rss.etag == '"rss-v1"' and rss.failures == 0 and rss.last_ok_at is not None
    assert rss.next_poll_at is not None and rss.next_poll_at > timezone.now()


def test_a_second_poll_with_the_same_etag_gets_304_and_fetches_nothing(watch, server) -> None:
    source = source_create(actor=watch.national, name="Hespress", url=f"{server}/rss.xml")
    source_poll(source)
    count = Item.objects.count()
    Feeds.hits.clear()
    again = source_poll(Source.objects.get(pk=source.pk))
    assert again.status == 304 and again.stored == 0
    assert Feeds.hits == [("/rss.xml", 0)]
    assert Item.objects.count() == count
    assert list(due_sources()) == []  # polled: not due before its next time


def test_a_failing_feed_backs_off_and_recovers(watch, server) -> None:
    source = source_create(actor=watch.national, name="Broken", url=f"{server}/broken")
    for failures in (1, 2, 3):
        before = timezone.now()
        result = source_poll(Source.objects.get(pk=source.pk))
        source.refresh_from_db()
        assert result.error == "HTTP 500" and source.last_status == 500 and source.failures == failures
        assert source.next_poll_at >= before + timedelta(minutes=30 * 2**failures)
    assert backoff(30, 10) == timedelta(hours=24)
    Source.objects.filter(pk=source.pk).update(url=f"{server}/rss.xml")
    source_poll(Source.objects.get(pk=source.pk))
    source.refresh_from_db()
    assert source.failures == 0 and source.last_error == "" and source.last_status == 200


def test_unparseable_and_unreachable_feeds_are_failures(watch, server) -> None:
    html = source_create(actor=watch.national, name="Not a feed", url=f"{server}/html")
    gone = source_create(actor=watch.national, name="Gone", url="http://127.0.0.1:9/feed")
    source_poll(html)
    source_poll(gone)
    html.refresh_from_db()
    gone.refresh_from_db()
    assert html.failures == 1 and "RSS" in html.last_error and html.last_status == 200
    assert gone.failures == 1 and gone.last_error.startswith("unreachable") and gone.last_status is None
    assert Item.objects.count() == 0
    with pytest.raises(FeedError):
        parse(b"{}")


def test_the_health_page_shows_a_failing_feeds_error_and_backoff(watch, server) -> None:
    from media.tests.test_watch_pages import client_for

    source = source_create(actor=watch.national, name="Broken", url=f"{server}/broken")
    source_poll(source)
    page = client_for(watch.casa).get("/watch/sources/").content.decode()
    row = page[page.index(f'data-source="{source.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "HTTP 500" in row and ">1</td>" in row and "table-warning" in page


def test_media_poll_command_and_periodic_task(watch, server) -> None:
    from django.core.management import call_command

    from core.periodic import schedule

    assert "media.tasks.poll_feeds" in {p.name for p in schedule()}
    source = source_create(actor=watch.national, name="Le360", url=f"{server}/atom.xml")
    out = io.StringIO()
    call_command("media_poll", "--source", str(source.pk), stdout=out)
    assert "HTTP 200, 1 new, 0 known" in out.getvalue()
    call_command("media_poll", "--all", stdout=out)
    assert "HTTP 304, 0 new" in out.getvalue() and Item.objects.count() == 1
    call_command("media_poll", stdout=out)
    assert out.getvalue().rstrip().endswith("0 source(s) polled, 0 new item(s)")


def test_a_private_feed_address_is_refused_when_added(watch) -> None:
    for url in (
        "http://127.0.0.1:8000/admin/",
        "http://10.0.0.5/feed",
        "http://[::1]/rss",
        "http://169.254.169.254/latest",
    ):
        with pytest.raises(ValidationFailed) as refused:
            source_create(actor=watch.national, name="Inside", url=url)
        assert "url" in refused.value.fields
    assert Source.objects.filter(kind="feed").count() == 0


def test_a_private_address_is_refused_at_poll_time_and_on_redirect(watch, server, settings) -> None:
    """A name that resolves inside the network (localhost), or a public feed redirecting inside, is
    never fetched: the poll records the refusal and the loopback server sees no request."""
    Feeds.hits = []
    fetched = fetch(f"{server.replace('127.0.0.1', 'localhost')}/rss.xml")
    assert fetched.status is None and fetched.error.startswith("refused") and Feeds.hits == []
    assert not feeds.outside_network("localhost") and feeds.outside_network("8.8.8.8")
    assert not feeds.outside_network("0.0.0.0") and not feeds.outside_network("192.168.1.10")  # noqa: S104 (an address refused, not bound)
    settings.AMANE_MEDIA_FEEDS_PRIVATE = True
    opened = feeds.SafeRedirects().redirect_request(
        urllib.request.Request(f"{server}/rss.xml"), None, 302, "Found", {}, f"{server}/atom.xml"
    )
    assert opened is not None
    settings.AMANE_MEDIA_FEEDS_PRIVATE = False
    with pytest.raises(FeedError, match="refused"):
        feeds.SafeRedirects().redirect_request(
            urllib.request.Request("https://example.org/rss"), None, 302, "Found", {}, "http://127.0.0.1:9/x"
        )
