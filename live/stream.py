"""Server-sent events over a `Subscription`: the wire format and the streaming response."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse

from live import conf
from live.events import Event, Subscription


def format_event(event: Event) -> str:
    """One SSE message: `id:` when the backend numbers events, `event:` the topic, `data:` JSON."""
    head = f"id: {event.id}\n" if event.id is not None else ""
    # The JSON is on one line (no newline survives json.dumps), as SSE's data field needs.
    return f"{head}event: {event.topic}\ndata: {event.json}\n\n"


def last_event_id(request: HttpRequest) -> int | None:
    """The id the browser saw last (header on reconnection, or `?last_event_id=` on first load)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    return int(raw) if raw.strip().isdigit() else None


def event_stream(subscription: Subscription, *, heartbeat: float | None = None) -> Iterator[str]:
    """Yield SSE text until the client disconnects (the server closes this generator) or falls behind.

    The `finally` runs on GeneratorExit, which the WSGI server raises when the connection is gone
    (detected at the next write, so at worst one heartbeat later): the subscription is closed there.
    """
    beat = conf.heartbeat_seconds() if heartbeat is None else heartbeat
    # A stream lives for hours and reads no table: give its database connection back now rather
    # than at the end of the request (one idle PostgreSQL connection per open board otherwise).
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()
    try:
        yield f"retry: {conf.retry_ms()}\n: connected\n\n"
        while not subscription.lost:
            event = subscription.get(timeout=beat)
            yield ": keep-alive\n\n" if event is None else format_event(event)
    finally:
        subscription.close()


def sse_response(subscription: Subscription) -> StreamingHttpResponse:
    response = StreamingHttpResponse(event_stream(subscription), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
