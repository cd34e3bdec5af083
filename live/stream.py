"""Server-sent events over a `Subscription`: the wire format, the viewer's grant and its re-checks.

A page's stream view says what the signed-in user may receive (a `Grant`: topics, wilayas, an
optional per-event filter) and calls `open_stream(request, grant_for)`. That takes one of the user's
stream leases (AMANE_STREAMS_PER_USER, all processes together), subscribes, and answers with an
`EventStreamResponse` that re-checks the viewer every AMANE_STREAM_RECHECK_SECONDS (a minute at
most): the session must still exist and belong to the same active user, and `grant_for` must give
the same grant. A signed-out, deactivated or de-roled user's stream ends with an `ended` event; a
reconnection goes through the view again, which checks everything at connect.

How the stream is served depends on the server:
- under the ASGI server (`core.asgi`: `make run`, `make serve`) the response is an async iterator:
  an open stream waits on the event loop for its subscription (`Subscription.aget`) and holds no
  thread; the re-checks run in a small pool of AMANE_STREAM_CHECK_THREADS threads;
- under a WSGI server (the test client, `runserver`) it is a plain iterator that holds its thread,
  as streams always do under WSGI.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from live import conf
from live.events import Event, Subscription, subscribe
from live.models import StreamLease

log = logging.getLogger(__name__)

KEEP_ALIVE = ": keep-alive\n\n"
TOO_MANY = _("You already have %(count)s live pages open: close one of them, then reload this page.")
SESSION_ENDED = _("Your session has ended or your access has changed. Reload the page.")
REFUSED_RETRY_MS = 60_000  # a refused browser tries again at most once a minute


def format_event(event: Event) -> str:
    """One SSE message: `id:` when the backend numbers events, `event:` the topic, `data:` JSON."""
    head = f"id: {event.id}\n" if event.id is not None else ""
    # The JSON is on one line (no newline survives json.dumps), as SSE's data field needs.
    return f"{head}event: {event.topic}\ndata: {event.json}\n\n"


def notice(kind: str, message: str) -> str:
    """A message for the page rather than for the board's data (`refused`, `ended`)."""
    return f"event: {kind}\ndata: {json.dumps({'message': message}, ensure_ascii=False)}\n\n"


def last_event_id(request: HttpRequest) -> int | None:
    """The id the browser saw last (header on reconnection, or `?last_event_id=` on first load)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    return int(raw) if raw.strip().isdigit() else None


@dataclass(frozen=True)
class Grant:
    """What one viewer may receive. Two grants are equal when their topics, wilayas and `key` are
    (the `accept` filter is a closure over what `key` names, e.g. the patrol's id)."""

    topics: frozenset[str]
    wilaya_ids: frozenset[int] | None
    accept: Callable[[Event], bool] | None = field(default=None, compare=False)
    key: Hashable = None


GrantFor = Callable[[Any], "Grant | HttpResponse"]


# ---------------------------------------------------------------- leases (the per-user cap)


def _lease_expiry() -> Any:
    return timezone.now() + timedelta(seconds=2 * conf.recheck_seconds() + 30)


def lease_take(user_id: int) -> StreamLease | None:
    """A lease for one more stream of `user_id`, or None when the user holds the cap already.

    Insert first, then count the user's live leases up to this one: of two streams opened at the
    same moment, the later row is the one refused.
    """
    cap = conf.streams_per_user()
    now = timezone.now()
    lease = StreamLease.objects.create(user_id=user_id, expires_at=_lease_expiry())
    if cap > 0:
        held = StreamLease.objects.filter(user_id=user_id, expires_at__gt=now, id__lte=lease.pk).count()
        if held > cap:
            lease.delete()
            return None
    StreamLease.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    return lease


def lease_renew(lease: StreamLease) -> None:
    StreamLease.objects.filter(pk=lease.pk).update(expires_at=_lease_expiry())


def lease_release(lease: StreamLease) -> None:
    StreamLease.objects.filter(pk=lease.pk).delete()


# ---------------------------------------------------------------- the viewer, again


def session_user(session_key: str | None) -> Any:
    """The user a session belongs to now, as the authentication middleware would find it
    (AnonymousUser once signed out, expired, or after a password change)."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return auth.get_user(request)


class Viewer:
    """The signed-in user behind one stream: their grant, their lease, and the re-check."""

    def __init__(self, request: HttpRequest, grant: Grant, grant_for: GrantFor, lease: StreamLease):
        self.user_id = request.user.pk
        self.session_key = request.session.session_key
        self.grant, self.grant_for, self.lease = grant, grant_for, lease
        self.released = False
        # Translated now, in the page's language: the re-check runs where no language is active.
        self.ended_message = str(SESSION_ENDED)

    def still_allowed(self) -> bool:
        """Same session, same active user, same grant; renews the lease. Runs in a worker thread."""
        close_old_connections()
        try:
            user = session_user(self.session_key)
            allowed = bool(user.is_authenticated and user.pk == self.user_id and self.grant_for(user) == self.grant)
            if allowed:
                lease_renew(self.lease)
            return allowed
        except Exception:
            log.exception("live: re-checking a stream's viewer failed; the stream ends")
            return False
        finally:
            close_old_connections()

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        try:
            lease_release(self.lease)
        except Exception:  # the lease expires on its own
            log.exception("live: releasing a stream lease failed")
        finally:
            close_old_connections()


_check_pool: ThreadPoolExecutor | None = None


def check_pool() -> ThreadPoolExecutor:
    """The threads that re-check the viewers of this process's async streams (the lease is freed by
    the response's close, in the web pool)."""
    global _check_pool
    if _check_pool is None:
        _check_pool = ThreadPoolExecutor(max_workers=conf.check_threads(), thread_name_prefix="live-check")
    return _check_pool


# ---------------------------------------------------------------- the stream


class EventStream:
    """An open stream: its subscription and viewer, iterated by a WSGI or an ASGI server."""

    def __init__(self, subscription: Subscription, viewer: Viewer, *, heartbeat: float | None = None):
        self.subscription, self.viewer = subscription, viewer
        self.heartbeat = conf.heartbeat_seconds() if heartbeat is None else heartbeat
        self.every = conf.recheck_seconds()
        self.next_check = time.monotonic() + self.every
        self.ended = False

    def opening(self) -> str:
        return f"retry: {conf.retry_ms()}\n: connected\n\n"

    def open(self) -> bool:
        return not (self.subscription.lost or self.subscription.closed)

    def wait(self) -> float:
        return max(0.0, min(self.heartbeat, self.next_check - time.monotonic()))

    def due(self) -> bool:
        return time.monotonic() >= self.next_check

    def after(self, event: Event | None, allowed: bool | None) -> str:
        """What to send after one wait: the event (or a keep-alive), and the last words of a stream
        whose viewer failed the re-check. `allowed` is None when no re-check was due."""
        text = format_event(event) if event is not None else ""
        if allowed is not None:
            self.next_check = time.monotonic() + self.every
            if not allowed:
                self.ended = True
                return text + notice("ended", self.viewer.ended_message)
        return text or (KEEP_ALIVE if self.open() else "")

    def going(self) -> bool:
        return self.open() and not self.ended

    def lines(self) -> Iterator[str]:
        """WSGI: blocks the server thread it runs in until the client leaves or the stream ends."""
        # A stream lives for hours: give this thread's database connection back now rather than at
        # the end of the request (one idle PostgreSQL connection per open board otherwise).
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close()
        try:
            yield self.opening()
            while self.going():
                event = self.subscription.get(timeout=self.wait())
                yield self.after(event, self.viewer.still_allowed() if self.due() else None)
        finally:
            self.subscription.close()

    async def alines(self) -> AsyncIterator[str]:
        """ASGI: waits on the event loop; the re-checks borrow `check_pool()`."""
        loop = asyncio.get_running_loop()
        try:
            yield self.opening()
            while self.going():
                event = await self.subscription.aget(self.wait())
                allowed = await loop.run_in_executor(check_pool(), self.viewer.still_allowed) if self.due() else None
                yield self.after(event, allowed)
        finally:
            self.subscription.close()

    def close(self) -> None:
        """Called by the server when the response is done (both kinds): unsubscribe, free the lease."""
        self.subscription.close()
        self.viewer.release()


class _Content:
    """A stream response's content: Django calls `close` when the server is done with it."""

    def __init__(self, stream: EventStream):
        self.stream = stream

    def close(self) -> None:
        self.stream.close()


class _Lines(_Content):
    """WSGI: a plain iterable (Django tries `iter()` first, so only this class may define it)."""

    def __iter__(self) -> Iterator[str]:
        return self.stream.lines()


class _AsyncLines(_Content):
    """ASGI: an async iterable, iterated on the event loop."""

    def __aiter__(self) -> AsyncIterator[str]:
        return self.stream.alines()


def _headers(response: StreamingHttpResponse) -> StreamingHttpResponse:
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response


def sse_response(stream: EventStream, *, asynchronous: bool) -> StreamingHttpResponse:
    content = _AsyncLines(stream) if asynchronous else _Lines(stream)
    return _headers(StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8"))


def refused_response(message: str) -> StreamingHttpResponse:
    """A stream that only says why it was refused. EventSource shows a page neither the status nor
    the body of a failed connection, so the refusal is an event the page can display."""
    body = f"retry: {REFUSED_RETRY_MS}\n" + notice("refused", message)
    return _headers(StreamingHttpResponse(iter([body]), content_type="text/event-stream; charset=utf-8"))


def open_stream(request: HttpRequest, grant_for: GrantFor) -> HttpResponseBase:
    """The stream of what `request.user` may see (see the module docstring); `grant_for(user)` gives
    a `Grant` or the refusal to answer with."""
    grant = grant_for(request.user)
    if isinstance(grant, HttpResponse):
        return grant
    lease = lease_take(request.user.pk)  # type: ignore[arg-type]  # grant_for refused anonymous users
    if lease is None:
        return refused_response(str(TOO_MANY % {"count": conf.streams_per_user()}))
    viewer = Viewer(request, grant, grant_for, lease)
    subscription = subscribe(
        topics=grant.topics, wilaya_ids=grant.wilaya_ids, accept=grant.accept, last_event_id=last_event_id(request)
    )
    return sse_response(EventStream(subscription, viewer), asynchronous=isinstance(request, ASGIRequest))
