"""Live events: publish a change once, push it to every open board that may see it.

Shape
-----
Services call `publish(topic=..., wilaya_id=..., data=...)` from `transaction.on_commit`, so nobody
sees an event for a change that rolled back. A page that wants the changes (the dispatcher's board,
a patrol's phone, the response-time panel) opens a server-sent-events stream; the view calls
`subscribe(...)` with the topics it wants and the wilayas the user may see, computed once at connect
time, and reads events from the returned `Subscription` until the client goes away.

Every process has one `Hub` (created lazily, after gunicorn forked): a set of subscriptions, each
with its own bounded thread-safe queue, and at most one listener thread that brings events into the
process and fans them out. Each subscription filters by topic, by wilaya (an event of another
wilaya never enters its queue: jurisdiction holds on the stream too) and by an optional predicate
(a patrol sees only its own missions). A subscriber that falls `AMANE_LIVE_QUEUE_SIZE` events
behind is marked lost and its stream ends; the browser reconnects with `Last-Event-ID`. A reader
on an event loop (the ASGI server) awaits `Subscription.aget`: the listener thread wakes it with
`call_soon_threadsafe`, so an open stream holds no thread (`live.stream`, `core.asgi`).

Backends (`AMANE_LIVE_BACKEND`, see `live.conf`)
-----------------------------------------------
- ``memory``: publish hands the event straight to this process's hub. Right when one process serves
  everything (the test server, a single-process deployment); ids come from a process counter and
  the last few hundred events are kept in memory for `Last-Event-ID`.
- ``database``: publish appends a `LiveEvent` row in its own short transaction; each process's
  listener reads the rows after the last id it saw every `AMANE_LIVE_POLL_MS` (one query per
  process, not per client). This is the embedded default on SQLite, where `make run` serves with
  two gunicorn processes: an event published in one reaches the streams held by the other. Ids that
  are skipped (a writer that has not committed yet, possible on PostgreSQL) are re-asked for a few
  seconds so a late commit is not lost. Rows older than `AMANE_LIVE_RETENTION_SECONDS` are pruned
  by the publishers about once a minute.
- ``postgres``: publish appends the same row and, in the same transaction, `pg_notify`s the channel
  with the event as JSON (or only its id when the JSON would pass PostgreSQL's 8000-byte payload
  limit). Each process's listener holds one dedicated psycopg connection on `LISTEN`; NOTIFY is
  delivered at commit, so latency is that of the database round trip. After a lost connection the
  listener reconnects and catches up from the table. The default when the database is PostgreSQL.

Events that reach a process before any subscriber exists are not kept by the hub: the listener
starts with the first subscription (its starting point is read synchronously, so nothing published
after `subscribe` returns is missed) and stops when the last one closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import psycopg
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone
from psycopg import sql

from live import conf
from live.models import LiveEvent

log = logging.getLogger(__name__)

REPLAY_LIMIT = 500  # events replayed at most to a reconnecting client
NOTIFY_LIMIT = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
GAP_WAIT_SECONDS = 5.0  # how long a skipped id is re-asked for before it is taken as rolled back
PRUNE_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Event:
    """One published change. `json` is `data` serialised once, shared by every subscriber."""

    id: int | None
    topic: str
    wilaya_id: int | None
    data: dict[str, Any]
    json: str = field(default="", compare=False)

    @classmethod
    def make(cls, *, id: int | None, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        return cls(id=id, topic=topic, wilaya_id=wilaya_id, data=data, json=dumps(data))


def dumps(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Same shape from every backend: what JSON would give back (dates as ISO strings)."""
    return json.loads(dumps(data))


# ---------------------------------------------------------------- subscriptions


class Subscription:
    """One client's view of the event flow: its filter and its queue. Close it when done."""

    def __init__(
        self,
        hub: Hub,
        *,
        topics: Iterable[str],
        wilaya_ids: Iterable[int] | None,
        accept: Callable[[Event], bool] | None = None,
        maxsize: int = 2000,
    ):
        self.hub = hub
        self.topics = frozenset(topics)
        # None: every wilaya (a national user). An empty set: only national (wilaya-less) events.
        self.wilaya_ids = None if wilaya_ids is None else frozenset(int(w) for w in wilaya_ids)
        self.accept = accept
        self.queue: queue.Queue[Event] = queue.Queue(maxsize=maxsize)
        self.replayed: deque[Event] = deque()
        self.replayed_ids: set[int] = set()
        self.lost = False
        self.closed = False
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    def matches(self, event: Event) -> bool:
        if event.topic not in self.topics:
            return False
        if self.wilaya_ids is not None and event.wilaya_id is not None and event.wilaya_id not in self.wilaya_ids:
            return False
        if self.accept is None:
            return True
        try:
            return bool(self.accept(event))
        except Exception:  # a faulty filter must not break the fan-out to the others
            log.exception("live: subscriber filter failed")
            return False

    def offer(self, event: Event) -> None:
        if self.closed or self.lost or not self.matches(event):
            return
        try:
            self.queue.put_nowait(event)
        except queue.Full:
            # Too far behind: end this stream rather than grow without bound; the browser
            # reconnects with Last-Event-ID and replays what it missed.
            self.lost = True
        self._wake()

    def _wake(self) -> None:
        """Tell an async reader waiting in `aget` (on its event loop, from any thread)."""
        waiter = self._waiter
        if waiter is not None:
            loop, flag = waiter
            with contextlib.suppress(RuntimeError):  # the loop already closed: nobody to tell
                loop.call_soon_threadsafe(flag.set)

    def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or None after `timeout` seconds without one."""
        if self.replayed:
            return self.replayed.popleft()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                event = self.queue.get(timeout=remaining)
            except queue.Empty:
                return None
            if event.id is not None and event.id in self.replayed_ids:
                continue  # already sent from the replay
            return event

    async def aget(self, timeout: float) -> Event | None:
        """`get` for an event loop: waits without holding a thread (None after `timeout` seconds
        without an event, or at once when the subscription is closed or lost)."""
        if self.replayed:
            return self.replayed.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                event = self.queue.get_nowait()
            except queue.Empty:
                remaining = deadline - loop.time()
                if self.closed or self.lost or remaining <= 0:
                    return None
                await self._wait(loop, remaining)
                continue
            if event.id is not None and event.id in self.replayed_ids:
                continue
            return event

    async def _wait(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        flag = asyncio.Event()
        self._waiter = (loop, flag)
        try:
            # An event offered between the empty queue and the line above did not see the waiter.
            if self.queue.empty() and not (self.closed or self.lost):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(flag.wait(), timeout)
        finally:
            self._waiter = None

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.hub.unsubscribe(self)
            self._wake()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- backends


class Backend:
    """How events travel between the processes of a deployment."""

    name = "base"
    in_process = False  # True: publish delivers to this process's hub directly, no listener

    def publish(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        raise NotImplementedError

    def replay(self, after_id: int, *, limit: int = REPLAY_LIMIT) -> list[Event]:
        return []

    def start_position(self) -> Any:
        """Read synchronously by `subscribe` before the listener starts: where to start from."""
        return None

    def listen(self, deliver: Callable[[Event], None], keep_going: Callable[[], bool], start: Any) -> None:
        """Bring events into this process until `keep_going()` answers False."""


class MemoryBackend(Backend):
    """In-process fan-out: one process serves every client."""

    name = "memory"
    in_process = True

    def __init__(self, keep: int = REPLAY_LIMIT):
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._recent: deque[Event] = deque(maxlen=keep)

    def publish(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        with self._lock:
            event = Event.make(id=next(self._ids), topic=topic, wilaya_id=wilaya_id, data=_normalise(data))
            self._recent.append(event)
        return event

    def replay(self, after_id: int, *, limit: int = REPLAY_LIMIT) -> list[Event]:
        with self._lock:
            return [e for e in self._recent if e.id is not None and e.id > after_id][:limit]


def _event_from_row(row_id: int, topic: str, wilaya_id: int | None, data: Any) -> Event:
    if isinstance(data, str):  # psycopg returns jsonb decoded, SQLite's JSON text may arrive raw
        data = json.loads(data)
    return Event.make(id=int(row_id), topic=topic, wilaya_id=wilaya_id, data=data)


class DatabaseBackend(Backend):
    """An append-only table, polled by one listener thread per process (SQLite-friendly)."""

    name = "database"

    def __init__(self, poll_seconds: float | None = None):
        self.poll_seconds = poll_seconds if poll_seconds is not None else conf.poll_seconds()
        self._last_prune = time.monotonic()
        self._prune_lock = threading.Lock()

    def _append(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]):
        return LiveEvent.objects.create(topic=topic, wilaya_id=wilaya_id, data=data)

    def publish(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        data = _normalise(data)
        with transaction.atomic():
            row = self._append(topic=topic, wilaya_id=wilaya_id, data=data)
        self._maybe_prune()
        return Event.make(id=row.pk, topic=topic, wilaya_id=wilaya_id, data=data)

    def _maybe_prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune < PRUNE_EVERY_SECONDS or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._last_prune = now
            prune()
        finally:
            self._prune_lock.release()

    def replay(self, after_id: int, *, limit: int = REPLAY_LIMIT) -> list[Event]:
        rows = LiveEvent.objects.filter(id__gt=after_id).order_by("id").values_list("id", "topic", "wilaya_id", "data")
        return [_event_from_row(*r) for r in rows[:limit]]

    def start_position(self) -> int:
        return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def listen(self, deliver: Callable[[Event], None], keep_going: Callable[[], bool], start: int) -> None:
        last = start
        gaps: dict[int, float] = {}  # skipped id -> give up after this monotonic time
        try:
            while keep_going():
                now = time.monotonic()
                gaps = {i: t for i, t in gaps.items() if t > now}
                query = Q(id__gt=last) | Q(id__in=list(gaps)) if gaps else Q(id__gt=last)
                try:
                    rows = list(
                        LiveEvent.objects.filter(query)
                        .order_by("id")
                        .values_list("id", "topic", "wilaya_id", "data")[: REPLAY_LIMIT * 4]
                    )
                except Exception:
                    log.exception("live: polling the event table failed")
                    close_old_connections()
                    rows = []
                for row in rows:
                    row_id = row[0]
                    if row_id in gaps:
                        del gaps[row_id]
                    elif row_id > last:
                        for missing in range(last + 1, min(row_id, last + 1000)):
                            gaps[missing] = now + GAP_WAIT_SECONDS
                        last = row_id
                    else:
                        continue
                    deliver(_event_from_row(*row))
                if len(rows) < REPLAY_LIMIT * 4:
                    time.sleep(self.poll_seconds)
        finally:
            connections.close_all()  # this thread's connections only


class PostgresBackend(DatabaseBackend):
    """The same table, plus NOTIFY at commit and one LISTEN connection per process."""

    name = "postgres"

    def __init__(self, channel: str | None = None):
        super().__init__()
        self.channel = channel or conf.channel()

    def publish(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        data = _normalise(data)
        with transaction.atomic():
            row = self._append(topic=topic, wilaya_id=wilaya_id, data=data)
            event = Event.make(id=row.pk, topic=topic, wilaya_id=wilaya_id, data=data)
            payload = json.dumps(
                {"id": row.pk, "topic": topic, "wilaya_id": wilaya_id, "data": data}, ensure_ascii=False
            )
            if len(payload.encode()) >= NOTIFY_LIMIT:
                payload = str(row.pk)  # the listener reads the row
            with transaction.get_connection().cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [self.channel, payload])
        self._maybe_prune()
        return event

    def _conninfo(self) -> dict[str, Any]:
        s = connections["default"].settings_dict
        params: dict[str, Any] = {
            "dbname": s.get("NAME") or "postgres",
            "user": s.get("USER") or None,
            "password": s.get("PASSWORD") or None,
            "host": s.get("HOST") or None,
            "port": s.get("PORT") or None,
        }
        for key, value in (s.get("OPTIONS") or {}).items():
            if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options"}:
                params[key] = value
        return {k: v for k, v in params.items() if v is not None}

    def listen(self, deliver: Callable[[Event], None], keep_going: Callable[[], bool], start: int) -> None:
        seen: deque[int] = deque(maxlen=20000)
        seen_set: set[int] = set()
        high = start  # highest id delivered: the catch-up point after a reconnection

        def emit(event: Event) -> None:
            nonlocal high
            if event.id is not None:
                if event.id in seen_set:
                    return
                if len(seen) == seen.maxlen:
                    seen_set.discard(seen[0])
                seen.append(event.id)
                seen_set.add(event.id)
                high = max(high, event.id)
            deliver(event)

        select = "SELECT id, topic, wilaya_id, data FROM live_liveevent WHERE {} ORDER BY id"
        first = True
        while keep_going():
            try:
                with psycopg.connect(**self._conninfo(), autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    # Catch up on what was committed while no connection listened (the window
                    # between the start position and LISTEN, or a reconnection).
                    floor = start if first else max(0, high - 1000)
                    first = False
                    for row in conn.execute(select.format("id > %s"), [floor]).fetchall():
                        emit(_event_from_row(*row))
                    while keep_going():
                        # The connection is busy while `notifies` waits: an id-only payload ends
                        # the wait so the row can be read (notifications arriving meanwhile are
                        # kept by psycopg's backlog for the next wait).
                        fetch: int | None = None
                        waiting = conn.notifies(timeout=0.5)
                        try:
                            for note in waiting:
                                if note.payload.isdigit():
                                    fetch = int(note.payload)
                                    break
                                emit(self._decode(note.payload))
                        finally:
                            waiting.close()
                        if fetch is not None:
                            row = conn.execute(select.format("id = %s"), [fetch]).fetchone()
                            if row is not None:
                                emit(_event_from_row(*row))
            except Exception:
                log.exception("live: the LISTEN connection failed; reconnecting")
                time.sleep(1.0)

    @staticmethod
    def _decode(payload: str) -> Event:
        body = json.loads(payload)
        return Event.make(id=body["id"], topic=body["topic"], wilaya_id=body["wilaya_id"], data=body["data"])


def make_backend(name: str | None = None) -> Backend:
    name = name or conf.backend_name()
    if name == "memory":
        return MemoryBackend()
    if name == "postgres":
        return PostgresBackend()
    return DatabaseBackend()


def prune(older_than_seconds: int | None = None) -> int:
    """Delete events older than the retention period; returns how many went."""
    keep = conf.retention_seconds() if older_than_seconds is None else older_than_seconds
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=keep)).delete()
    return deleted


# ---------------------------------------------------------------- hub


class Hub:
    """A process's subscriptions and its one listener thread."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.pid = os.getpid()
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = False

    # -- publishing
    def publish(self, *, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> Event:
        event = self.backend.publish(topic=topic, wilaya_id=wilaya_id, data=data)
        if self.backend.in_process:
            self.deliver(event)
        return event

    def deliver(self, event: Event) -> None:
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            sub.offer(event)

    # -- subscribing
    def subscribe(
        self,
        *,
        topics: Iterable[str],
        wilaya_ids: Iterable[int] | None,
        accept: Callable[[Event], bool] | None = None,
        last_event_id: int | None = None,
    ) -> Subscription:
        sub = Subscription(self, topics=topics, wilaya_ids=wilaya_ids, accept=accept, maxsize=conf.queue_size())
        with self._lock:
            self._subs.add(sub)
            if not self.backend.in_process and self._thread is None and not self._stopped:
                start = self.backend.start_position()
                self._thread = threading.Thread(
                    target=self._run, args=(start,), name=f"live-{self.backend.name}", daemon=True
                )
                self._thread.start()
        if last_event_id is not None:
            for event in self.backend.replay(last_event_id):
                if sub.matches(event) and event.id is not None:
                    sub.replayed.append(event)
                    sub.replayed_ids.add(event.id)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)

    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subs)

    def _keep_going(self) -> bool:
        # The listener stops with the last subscription; the next one starts a new listener. A
        # listener that has been told to stop never resumes, so two never run at once.
        with self._lock:
            if self._thread is not threading.current_thread():
                return False
            if self._subs and not self._stopped:
                return True
            self._thread = None
            return False

    def _run(self, start: Any) -> None:
        try:
            self.backend.listen(self.deliver, self._keep_going, start)
        except Exception:
            log.exception("live: listener stopped")
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None

    @property
    def stopped(self) -> bool:
        return self._stopped

    def listening(self) -> bool:
        with self._lock:
            return self._thread is not None

    def stop(self, timeout: float = 5.0) -> None:
        """Close every subscription and wait for the listener (tests, shutdown)."""
        with self._lock:
            self._stopped = True
            subs, thread = list(self._subs), self._thread
        for sub in subs:
            sub.close()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """This process's hub, built on first use (after a fork, a new one) with the configured backend."""
    global _hub
    name = conf.backend_name()
    with _hub_lock:
        if _hub is None or _hub.pid != os.getpid() or _hub.backend.name != name or _hub.stopped:
            old, _hub = _hub, Hub(make_backend(name))
            if old is not None and old.pid == os.getpid():
                old.stop(timeout=0)
        return _hub


def publish(*, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> None:
    """Send `data` to every subscriber of `topic` allowed to see `wilaya_id` (None: everyone).

    Call it from `transaction.on_commit`. It never raises: the business change is already
    committed, and a live event that could not be sent is logged, not turned into an error page.
    """
    try:
        get_hub().publish(topic=topic, wilaya_id=wilaya_id, data=data)
    except Exception:
        log.exception("live: could not publish a %s event", topic)


def subscribe(
    *,
    topics: Iterable[str],
    wilaya_ids: Iterable[int] | None,
    accept: Callable[[Event], bool] | None = None,
    last_event_id: int | None = None,
) -> Subscription:
    """Open a subscription on this process's hub (see `Hub.subscribe`); close it when done."""
    return get_hub().subscribe(topics=topics, wilaya_ids=wilaya_ids, accept=accept, last_event_id=last_event_id)


def shutdown() -> None:
    """End every open subscription of this process (the server is stopping): their streams finish
    at once instead of holding the stop until the graceful timeout."""
    with _hub_lock:
        hub = _hub
    if hub is not None and hub.pid == os.getpid():
        hub.stop(timeout=0)
