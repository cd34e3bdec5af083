"""Fetching an outlet's feed: one conditional GET (If-None-Match / If-Modified-Since from what the last
answer said), a timeout and a size cap, then RSS or Atom parsed by feedparser into entries to ingest.

No state is written here (the poll service in media/services/sources.py records what happened)."""

from __future__ import annotations

import html
import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from calendar import timegm
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from django.conf import settings
from django.utils.html import strip_tags

from media.entry import Entry

TIMEOUT_SECONDS = 15
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Amane-media-watch/1.0 (+feed reader of the national police's communication cells)"
_SPACES = re.compile(r"\s+")


@dataclass
class Fetched:
    """The answer: `status` (None when the server was not reached), the validators to send next time,
    the entries (empty on 304), and `error` (empty when all went well)."""

    status: int | None
    etag: str = ""
    last_modified: str = ""
    entries: list[Entry] = field(default_factory=list)
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FeedError(Exception):
    """The feed could not be read: unreachable, an HTTP error, too big, or not RSS/Atom."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the feed (conditionally); parse it unless the server answered 304 Not Modified."""
    try:
        status, headers, body = _get(url, etag=etag, last_modified=last_modified)
    except FeedError as exc:
        return Fetched(status=exc.status, error=str(exc)[:500])
    if status == 304:
        return Fetched(status=304, etag=etag, last_modified=last_modified)
    try:
        entries = parse(body)
    except FeedError as exc:
        return Fetched(status=status, error=str(exc)[:500])
    return Fetched(
        status=status,
        etag=(headers.get("ETag") or "")[:300],
        last_modified=(headers.get("Last-Modified") or "")[:100],
        entries=entries,
    )


def outside_network(host: str) -> bool:
    """Whether every address `host` resolves to is a public one. A feed is fetched by the server, from
    inside the police network: an address on loopback, a private or link-local range (a cloud's
    metadata service), or any other non-global one would let whoever adds a source read internal
    services, so it is refused unless AMANE_MEDIA_FEEDS_PRIVATE allows it (a test's loopback feed, an
    internal mirror). A name that does not resolve counts as outside: the fetch reports it unreachable."""
    host = host.strip("[]")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return True
    return all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


def check_address(url: str) -> None:
    """Raise FeedError unless `url` is http(s) and, private addresses not being allowed, outside the network."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedError("not an http(s) address")
    if not settings.AMANE_MEDIA_FEEDS_PRIVATE and not outside_network(parts.hostname):
        raise FeedError("refused: the address is inside the network")


class SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address the feed itself could have had."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(SafeRedirects)


def _get(url: str, *, etag: str, last_modified: str) -> tuple[int, Any, bytes]:
    check_address(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})  # noqa: S310 (http(s) only, checked above)
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FeedError(f"larger than {MAX_BYTES // (1024 * 1024)} MB", response.status)
            return response.status, response.headers, body
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, exc.headers, b""
        raise FeedError(f"HTTP {exc.code}", exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedError(f"unreachable: {reason}") from exc


def parse(body: bytes) -> list[Entry]:
    """The entries of an RSS or Atom document; FeedError when it is neither."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") or (parsed.bozo and not parsed.entries):
        raise FeedError(f"not an RSS or Atom feed {parsed.get('bozo_exception', '')}".strip()[:300])
    return [entry for raw in parsed.entries if (entry := _entry(raw)) is not None]


def _plain(value: str) -> str:
    return _SPACES.sub(" ", html.unescape(strip_tags(value or ""))).strip()


def _entry(raw: Any) -> Entry | None:
    title = _plain(raw.get("title", ""))
    contents = raw.get("content") or []
    body = _plain(contents[0].get("value", "") if contents else raw.get("summary", ""))
    text = body if not title or body.startswith(title) else f"{title}\n{body}".strip()
    if not text:
        return None
    when = raw.get("published_parsed") or raw.get("updated_parsed")
    published = datetime.fromtimestamp(timegm(when), tz=UTC) if when else None
    return Entry(
        text=text,
        link=raw.get("link", "") or "",
        title=title,
        author=_plain(raw.get("author", "")),
        published=published,
    )
