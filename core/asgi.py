"""Serving Django over ASGI without a thread per request, so that open live streams cost no thread.

Why not Django's own ASGIHandler: it runs the synchronous middleware and views of each request in a
thread of its own, created for the request and kept for as long as the request lives, with its own
database connection. An open board is a request that lives for hours: a thread and a connection per
board again, only no longer bounded. Here instead:

- `PooledASGIHandler` runs the whole synchronous stack (every middleware, the view, rendering) in
  one bounded pool of AMANE_WEB_THREADS threads per process, as gunicorn's gthread workers did, so
  database connections stay per thread and persistent. Page scripts, the API and the portal are
  served exactly as before, by the same code.
- The response is then sent from the event loop. A response whose content is an async iterator (an
  event stream, `live.stream`) is iterated there: it waits for events without holding any thread.
  A file or other synchronous stream is read chunk by chunk in the pool.
- `core.asgi_worker.Worker` is uvicorn's gunicorn worker with three changes: the server ends the open streams first
  when it stops (hooks registered with `on_drain`), so a stop is not held up by boards that never
  close; it waits at most gunicorn's --graceful-timeout for the rest; and it believes no
  X-Forwarded-* header itself (`core.net` decides, with AMANE_TRUSTED_PROXIES).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import set_script_prefix

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

_drain_hooks: list[Callable[[], None]] = []


def on_drain(hook: Callable[[], None]) -> None:
    """Run `hook` (on the event loop's thread, quickly) when the server starts to stop."""
    _drain_hooks.append(hook)


def drain() -> None:
    for hook in _drain_hooks:
        try:
            hook()
        except Exception:
            log.exception("a drain hook failed")


class PooledASGIHandler(ASGIHandler):
    """Django's request handling in a bounded thread pool; responses sent from the event loop."""

    def __init__(self, threads: int):
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)  # the synchronous chain, as under WSGI
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="web")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            raise ValueError(f"unsupported ASGI scope: {scope['type']}")

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def in_pool(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    def respond(self, scope: Scope, body_file: Any) -> HttpResponseBase:
        """What a WSGI server does around `get_response`, in one pool thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error = self.create_request(scope, body_file)
        response = self.get_response(request) if request is not None else error
        assert response is not None  # create_request gives a request or the answer to send
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # request_finished: this thread's database connection is tidied here
        return response

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        sending = asyncio.create_task(self.respond_and_send(scope, body_file, send))
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        try:
            await asyncio.wait([sending, listening], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (listening, sending):
                if not task.done():
                    task.cancel()  # a client that left ends its stream here
            # Collect every outcome (a disconnect noticed after the answer is a RequestAborted).
            outcomes = await asyncio.gather(listening, sending, return_exceptions=True)
            body_file.close()
        if isinstance(outcomes[1], Exception):  # not a cancellation (a BaseException)
            raise outcomes[1]

    async def respond_and_send(self, scope: Scope, body_file: Any, send: Send) -> None:
        pending = asyncio.get_running_loop().run_in_executor(self.pool, self.respond, scope, body_file)
        try:
            response = await asyncio.shield(pending)
        except asyncio.CancelledError:
            # The client left while the view ran: the answer it will still make is never sent, but
            # a stream's answer holds a subscription and a lease, given back when it is closed.
            pending.add_done_callback(self._close_unsent)
            raise
        try:
            await self.send_response(response, send)
        finally:
            if response.streaming:
                await self.in_pool(response.close)

    def _close_unsent(self, done: asyncio.Future[HttpResponseBase]) -> None:
        if not done.cancelled() and done.exception() is None and done.result().streaming:
            with contextlib.suppress(RuntimeError):  # the pool is already shut down: the process ends
                self.pool.submit(done.result().close)

    async def send_response(self, response: HttpResponseBase, send: Send) -> None:
        headers = [(str(k).encode("ascii"), str(v).encode("latin1")) for k, v in response.items()]
        headers += [(b"Set-Cookie", c.output(header="").encode("ascii").strip()) for c in response.cookies.values()]
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        if not isinstance(response, StreamingHttpResponse):
            for chunk, last in self.chunk_bytes(response.content):  # type: ignore[attr-defined]
                await send({"type": "http.response.body", "body": chunk, "more_body": not last})
            return
        if response.is_async:
            async for part in response.streaming_content:  # type: ignore[union-attr]
                await send({"type": "http.response.body", "body": part, "more_body": True})
        else:
            parts = iter(response.streaming_content)  # type: ignore[arg-type]  # sync: not is_async
            while (part := await self.in_pool(next, parts, None)) is not None:
                await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
