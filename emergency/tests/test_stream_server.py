"""Live streams under the real server (gunicorn with the ASGI worker, as `make run` and `make serve`
start it), on the test database.

GIVEN one web process with only 4 request threads and 50 open board streams
WHEN a complaint and a line-19 call are registered through the API
THEN both answer (a stream holds no thread) and every board receives the call's incident.

GIVEN a dispatcher's open board WHEN they sign out (or lose the dispatcher role) THEN the stream
ends within the re-check interval, with an `ended` event, and a reconnection is refused.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from emergency.tests.factories import RABAT_HASSAN, line19
from org.models import User
from org.tests.factories import user_key

pytestmark = pytest.mark.django_db(transaction=True)

STREAMS = 50
WAIT = 60.0  # generous: the machine is shared; this is no timing assertion


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    from core.tests.servers import web_server

    backend = "postgres" if connection.vendor == "postgresql" else "database"
    with web_server(
        tmp_path / "server.log",
        threads=4,
        AMANE_LIVE_BACKEND=backend,
        AMANE_LIVE_POLL_MS="50",
        AMANE_LIVE_HEARTBEAT_SECONDS="1",
        AMANE_STREAM_RECHECK_SECONDS="1",
        AMANE_STREAMS_PER_USER=str(STREAMS + 5),
    ) as port:
        yield port


class RawStream:
    """One board's stream over its own connection, read line by line."""

    def __init__(self, port: int, session: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", "/emergency/stream/", headers={"Cookie": f"sessionid={session}"})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.status
        assert self.resp.readline().startswith(b"retry: ")

    def next_event(self) -> tuple[str, dict]:
        """The next named event (comments skipped); EOFError when the server ended the stream."""
        name = ""
        while True:
            line = self.resp.readline()
            if not line:
                raise EOFError
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                name = text[7:]
            elif text.startswith("data: ") and name:
                return name, json.loads(text[6:])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.conn.sock is not None:
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()


def session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def post(port: int, path: str, token: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode(), headers=headers)
    resp = conn.getresponse()
    answer = json.loads(resp.read() or b"{}")
    conn.close()
    return resp.status, answer


def test_fifty_open_streams_leave_intake_answering(server, reference_data):
    o = line19()
    session = session_of(o.rbt_dispatcher)
    streams = [RawStream(server, session) for _ in range(STREAMS)]
    try:
        status, case = post(
            server,
            "/api/cases",
            user_key(o.desk),
            {
                "channel": "counter",
                "category": "theft",
                "description": "سرقة هاتف محمول قرب محطة القطار.",
                "full_name": "Salma Naciri",
                "language": "ar",
                "address": "شارع محمد الخامس، حسان، الرباط",
                "latitude": RABAT_HASSAN[0],
                "longitude": RABAT_HASSAN[1],
            },
        )
        assert status == 201, case
        status, call = post(
            server,
            "/api/emergency/calls",
            user_key(o.rbt_dispatcher),
            {
                "caller_number": "0661234567",
                "language": "ar",
                "category": "violence_in_progress",
                "answers": {},
                "description": "شجار وضرب بالشارع",
                "address": "حسان، الرباط",
                "latitude": RABAT_HASSAN[0],
                "longitude": RABAT_HASSAN[1],
            },
        )
        assert status == 201, call
        page = http.client.HTTPConnection("127.0.0.1", server, timeout=WAIT)
        for path, kind in (("/login/", "text/html"), ("/static/js/board.js", "text/javascript")):
            page.request("GET", path)
            answer = page.getresponse()
            assert (answer.status, answer.getheader("Content-Type").split(";")[0]) == (200, kind)
            assert len(answer.read()) > 1000  # a page rendered in the pool, a file streamed from it
        page.close()
        received: list[int] = []
        lock = threading.Lock()

        def read(stream: RawStream) -> None:
            name, data = stream.next_event()
            while name != "incident":
                name, data = stream.next_event()
            with lock:
                received.append(data["id"])

        readers = [threading.Thread(target=read, args=(s,), daemon=True) for s in streams]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(WAIT)
        assert received == [call["incident_id"]] * STREAMS
    finally:
        for stream in streams:
            stream.close()


def test_a_signed_out_users_stream_ends(server):
    o = line19()
    client = Client()
    client.force_login(o.rbt_dispatcher)
    session = client.cookies["sessionid"].value
    stream = RawStream(server, session)
    try:
        # Signing out through the server's own logout page, in the same session.
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=WAIT)
        conn.request("GET", "/login/", headers={"Cookie": f"sessionid={session}"})
        page = conn.getresponse()
        page.read()
        csrf = page.getheader("Set-Cookie").split("csrftoken=", 1)[1].split(";", 1)[0]
        conn.request(
            "POST",
            "/logout/",
            body=f"csrfmiddlewaretoken={csrf}",
            headers={
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        out = conn.getresponse()
        out.read()
        conn.close()
        assert out.status == 302
        events = []
        with contextlib.suppress(EOFError):
            while True:
                events.append(stream.next_event())
        assert [name for name, _ in events] == ["ended"]
    finally:
        stream.close()
    again = http.client.HTTPConnection("127.0.0.1", server, timeout=WAIT)
    again.request("GET", "/emergency/stream/", headers={"Cookie": f"sessionid={session}"})
    assert again.getresponse().status == 302  # to the login page: the browser stops there
    again.close()


def test_a_stream_ends_when_the_user_loses_the_role(server):
    o = line19()
    stream = RawStream(server, session_of(o.rbt_dispatcher))
    try:
        # No service changes a user's roles yet (an administrator's act): done as the admin would.
        User.objects.filter(pk=o.rbt_dispatcher.pk).update(roles=["front_desk"])
        deadline = time.monotonic() + WAIT
        with pytest.raises(EOFError):
            while time.monotonic() < deadline:
                name, _ = stream.next_event()
                assert name == "ended"
    finally:
        stream.close()
