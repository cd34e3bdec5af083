"""The board's stream over real HTTP: server-sent events from the test server on loopback.

GIVEN the line-19 test organisation (Rabat and Casablanca command rooms) and a stream opened by a
dispatcher, WHEN calls are registered through the services (which publish after commit), THEN the
stream carries the dispatcher's own wilaya's incidents and never the other wilaya's; a patrol
officer's stream carries only their own patrol's missions; the stream ends and unsubscribes when the
client goes away. Run with each backend (postgres only on PostgreSQL).
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlparse

import pytest
from django.db import connection

from emergency import services
from emergency.tests.factories import BY_HAND, PLACE_MOHAMMED_V, RABAT_HASSAN, call, line19, patrol
from live import events
from live.models import StreamLease

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10.0


@pytest.fixture(params=["memory", "database", "postgres"])
def backend(request, settings):
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the postgres backend needs PostgreSQL (this run uses SQLite)")
    settings.AMANE_LIVE_BACKEND = request.param
    settings.AMANE_LIVE_POLL_MS = 50
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 0.3
    yield request.param
    events.get_hub().stop()


class Stream:
    """A raw SSE client: one HTTP connection, parsed message by message."""

    def __init__(self, live_server, client, user, headers=None):
        client.force_login(user)
        url = urlparse(live_server.url)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=WAIT)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        self.conn.request(
            "GET", "/emergency/stream/", headers={"Cookie": cookie, "Accept": "text/event-stream", **(headers or {})}
        )
        self.resp = self.conn.getresponse()

    def message(self) -> dict:
        """The next message with an event (comments and the retry hint are skipped)."""
        deadline = time.monotonic() + WAIT
        fields: dict = {}
        while time.monotonic() < deadline:
            line = self.resp.readline().decode()
            if line == "":
                raise EOFError("the stream ended")
            line = line.rstrip("\n")
            if line == "":
                if "event" in fields:
                    fields["data"] = json.loads(fields["data"])
                    return fields
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
        raise TimeoutError("no event")

    def first_line(self) -> str:
        return self.resp.readline().decode()

    def close(self) -> None:
        self.resp.close()
        self.conn.close()


def test_stream_headers_and_own_wilaya_only(live_server, client, backend):
    o = line19()
    stream = Stream(live_server, client, o.rbt_dispatcher)
    try:
        assert stream.resp.status == 200
        assert stream.resp.getheader("Content-Type").startswith("text/event-stream")
        assert stream.resp.getheader("Cache-Control") == "no-cache"
        assert stream.resp.getheader("X-Accel-Buffering") == "no"
        assert stream.first_line().startswith("retry: ")  # the subscription exists from here on

        casa = call(o, PLACE_MOHAMMED_V)  # published after commit to Casablanca's wilaya
        rabat = call(o, RABAT_HASSAN, actor=o.rbt_dispatcher, address="شارع محمد الخامس، الرباط")

        msg = stream.message()
        # Published in this order: had Casablanca's event leaked, it would come first.
        assert msg["event"] == "incident"
        assert msg["data"]["id"] == rabat.incident_id != casa.incident_id
        assert msg["data"]["wilaya_id"] == o.wilaya.pk
        assert msg["data"]["priority"] == rabat.priority
        if backend == "database":
            assert msg["id"].isdigit()
    finally:
        stream.close()


def test_patrol_stream_carries_only_its_own_missions(live_server, client, backend):
    o = line19()
    mine = patrol(o, "CAS-101", PLACE_MOHAMMED_V, officers=[o.cas_patrol_officer])
    other = patrol(o, "CAS-102", PLACE_MOHAMMED_V, officers=[o.cas_patrol_officer2])
    first = call(o, PLACE_MOHAMMED_V)
    second = call(o, (33.5731, -7.5898), category="fight", address="ساحة الأمم المتحدة")
    stream = Stream(live_server, client, o.cas_patrol_officer)
    try:
        assert stream.first_line().startswith("retry: ")
        services.incident_dispatch(
            incident=second.incident, patrol=other, actor=o.cas_dispatcher, override_reason=BY_HAND
        )
        services.incident_dispatch(
            incident=first.incident, patrol=mine, actor=o.cas_dispatcher, override_reason=BY_HAND
        )
        got = [stream.message() for _ in range(2)]
        assert {m["event"] for m in got} == {"incident", "patrol"}
        for m in got:
            assert (m["data"]["id"] if m["event"] == "patrol" else m["data"]["patrol_id"]) == mine.pk
        incident_msg = next(m for m in got if m["event"] == "incident")
        assert incident_msg["data"]["id"] == first.incident_id and incident_msg["data"]["state"] == "dispatched"
    finally:
        stream.close()


def test_stream_ends_and_unsubscribes_when_client_leaves(live_server, client, backend):
    o = line19()
    hub = events.get_hub()
    before = hub.subscriber_count()
    stream = Stream(live_server, client, o.rbt_dispatcher)
    assert stream.first_line().startswith("retry: ")
    assert hub.subscriber_count() == before + 1
    stream.close()
    # The server notices at its next write (a heartbeat every 0.3 s here) and closes the generator.
    deadline = time.monotonic() + WAIT
    while hub.subscriber_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hub.subscriber_count() == before


def test_last_event_id_replays_what_was_missed(live_server, client, backend):
    """A browser that reconnects sends the id of the last event it saw and gets what came after."""
    o = line19()
    first = call(o, RABAT_HASSAN, actor=o.rbt_dispatcher, address="حسان، الرباط")
    last = events.get_hub().backend.replay(0)[-1]
    assert last.data["id"] == first.incident_id
    second = call(o, (34.0080, -6.8500), actor=o.rbt_dispatcher, category="fight", address="أكدال، الرباط")
    stream = Stream(live_server, client, o.rbt_dispatcher, headers={"Last-Event-ID": str(last.id)})
    try:
        msg = stream.message()
        assert msg["data"]["id"] == second.incident_id != first.incident_id
        assert int(msg["id"]) > last.id
    finally:
        stream.close()


def test_stream_refuses_other_roles_and_anonymous(live_server, client, settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    o = line19()
    client.force_login(o.desk)
    assert client.get("/emergency/stream/").status_code == 403
    client.force_login(o.rbt_patrol_officer)  # a patrol officer with no shift now
    assert client.get("/emergency/stream/").status_code == 403
    client.logout()
    assert client.get("/emergency/stream/").status_code == 302


def test_streams_per_user_are_capped_across_the_server(live_server, client, settings):
    """The third board of a user capped at two gets a `refused` event saying why; closing one
    gives its place back."""
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 0.3
    settings.AMANE_STREAMS_PER_USER = 2
    o = line19()
    first, second = Stream(live_server, client, o.rbt_dispatcher), Stream(live_server, client, o.rbt_dispatcher)
    third = Stream(live_server, client, o.rbt_dispatcher)
    try:
        for open_one in (first, second):
            assert open_one.first_line().startswith("retry: ")
        refused = third.message()
        assert refused["event"] == "refused" and "2" in refused["data"]["message"]
        first.close()
        deadline = time.monotonic() + WAIT
        while StreamLease.objects.filter(user_id=o.rbt_dispatcher.pk).count() > 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        fourth = Stream(live_server, client, o.rbt_dispatcher)
        assert fourth.first_line().startswith("retry: ")
        fourth.close()
    finally:
        for stream in (first, second, third):
            stream.close()


def test_stream_ends_on_sign_out_under_wsgi_too(live_server, client, settings):
    """The same re-check in the thread-holding (WSGI) mode of the test server."""
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 0.3
    settings.AMANE_STREAM_RECHECK_SECONDS = 0.5
    o = line19()
    stream = Stream(live_server, client, o.rbt_dispatcher)
    try:
        assert stream.first_line().startswith("retry: ")
        client.logout()  # deletes the session the stream was opened with
        assert stream.message()["event"] == "ended"
        with pytest.raises(EOFError):
            stream.message()
    finally:
        stream.close()
