"""The live hub with each backend: fan-out, filters, replay, and delivery across processes.

Two `Hub` objects in one test stand for two web processes: each has its own subscriptions and its
own listener thread (its own database connection); an event published through one must reach the
subscribers of the other. Waiting is done with a deadline on a real condition, never a fixed sleep.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from live import events
from live.events import DatabaseBackend, Hub, MemoryBackend, PostgresBackend
from live.models import LiveEvent

WAIT = 10.0  # seconds a test waits for an event before failing


def test_memory_fan_out_filters_by_topic_wilaya_and_predicate():
    """GIVEN three subscribers of one in-process hub with different filters
    WHEN events of two wilayas and two topics are published
    THEN each subscriber receives exactly what its filter lets through, in order."""
    hub = Hub(MemoryBackend())
    rabat = hub.subscribe(topics=["incident"], wilaya_ids=[1])
    national = hub.subscribe(topics=["incident", "patrol"], wilaya_ids=None)
    mine = hub.subscribe(topics=["patrol"], wilaya_ids=[1], accept=lambda e: e.data.get("id") == 7)

    hub.publish(topic="incident", wilaya_id=2, data={"ref": "CAS-1"})
    hub.publish(topic="incident", wilaya_id=1, data={"ref": "RBT-1"})
    hub.publish(topic="patrol", wilaya_id=1, data={"id": 8})
    hub.publish(topic="patrol", wilaya_id=1, data={"id": 7})

    assert rabat.get(0.5).data == {"ref": "RBT-1"}
    assert rabat.get(0.05) is None  # the Casablanca incident never entered this queue
    assert [national.get(0.5).data for _ in range(4)] == [{"ref": "CAS-1"}, {"ref": "RBT-1"}, {"id": 8}, {"id": 7}]
    assert mine.get(0.5).data == {"id": 7}
    assert mine.get(0.05) is None


def test_memory_replay_after_last_event_id_and_unsubscribe():
    hub = Hub(MemoryBackend())
    first = hub.publish(topic="incident", wilaya_id=1, data={"n": 1})
    hub.publish(topic="incident", wilaya_id=2, data={"n": 2})
    hub.publish(topic="incident", wilaya_id=1, data={"n": 3})

    with hub.subscribe(topics=["incident"], wilaya_ids=[1], last_event_id=first.id) as sub:
        assert hub.subscriber_count() == 1
        hub.publish(topic="incident", wilaya_id=1, data={"n": 4})
        got = [sub.get(0.5).data["n"] for _ in range(2)]
        assert got == [3, 4]  # replay of what was missed (own wilaya only), then live
    assert hub.subscriber_count() == 0


def test_memory_slow_subscriber_is_marked_lost_not_grown(settings):
    settings.AMANE_LIVE_QUEUE_SIZE = 3
    hub = Hub(MemoryBackend())
    sub = hub.subscribe(topics=["incident"], wilaya_ids=None)
    for n in range(5):
        hub.publish(topic="incident", wilaya_id=1, data={"n": n})
    assert sub.lost and sub.queue.qsize() == 3


def test_data_is_normalised_to_json(settings):
    """Dates become ISO strings whatever the backend, so the browser code sees one shape."""
    from datetime import UTC, datetime

    hub = Hub(MemoryBackend())
    sub = hub.subscribe(topics=["incident"], wilaya_ids=None)
    hub.publish(topic="incident", wilaya_id=None, data={"at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)})
    event = sub.get(0.5)
    assert event.data == {"at": "2026-01-02T03:04:05Z"}
    assert event.json == '{"at":"2026-01-02T03:04:05Z"}'


def _collect(sub, n: int) -> list:
    out = []
    for _ in range(n):
        event = sub.get(WAIT)
        assert event is not None, f"only {len(out)} of {n} events arrived"
        out.append(event)
    return out


@pytest.mark.django_db(transaction=True)
def test_database_backend_crosses_processes_and_keeps_jurisdiction():
    """GIVEN two hubs on the database backend (two web processes) with a subscriber each
    WHEN events are published through a third backend object, from several threads at once
    THEN both subscribers receive all of their wilaya's events, none of the other's, and the
    listeners stop when the last subscription closes."""
    process_a, process_b = Hub(DatabaseBackend(poll_seconds=0.05)), Hub(DatabaseBackend(poll_seconds=0.05))
    try:
        sub_a = process_a.subscribe(topics=["incident"], wilaya_ids=[1])
        sub_b = process_b.subscribe(topics=["incident"], wilaya_ids=[1])
        assert process_a.listening() and process_b.listening()
        publisher = DatabaseBackend()

        def burst(k: int) -> None:
            for n in range(5):
                publisher.publish(topic="incident", wilaya_id=1 + (n % 2), data={"k": k, "n": n})
            from django.db import connections

            connections.close_all()

        threads = [threading.Thread(target=burst, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        expected = sorted((k, n) for k in range(3) for n in range(5) if n % 2 == 0)
        for sub in (sub_a, sub_b):
            got = _collect(sub, len(expected))
            assert sorted((e.data["k"], e.data["n"]) for e in got) == expected
            assert all(e.wilaya_id == 1 for e in got)
            if connection.vendor == "sqlite":  # one writer at a time: commit order is id order
                assert [e.id for e in got] == sorted(e.id for e in got)
            assert len({e.id for e in got}) == len(got)  # each once, late commits included
        assert sub_a.get(0.3) is None and sub_b.get(0.3) is None  # nothing of wilaya 2 leaked

        # A reconnecting client replays from its last id, from the table.
        replay = process_b.subscribe(topics=["incident"], wilaya_ids=[2], last_event_id=0)
        assert len(_collect(replay, 6)) == 6
        replay.close()
    finally:
        process_a.stop()
        process_b.stop()
    assert not process_a.listening() and not process_b.listening()
    assert LiveEvent.objects.count() == 15


@pytest.mark.django_db(transaction=True)
def test_database_publish_from_on_commit_only_after_commit():
    hub = Hub(DatabaseBackend(poll_seconds=0.05))
    try:
        sub = hub.subscribe(topics=["incident"], wilaya_ids=None)
        with pytest.raises(RuntimeError), transaction.atomic():
            transaction.on_commit(lambda: events.publish(topic="incident", wilaya_id=1, data={"n": "rolled back"}))
            raise RuntimeError
        with transaction.atomic():
            transaction.on_commit(lambda: events.publish(topic="incident", wilaya_id=1, data={"n": "kept"}))
        # the module-level publish goes through this process's hub; its backend writes the table
        assert events.get_hub().backend.name in {"database", "postgres"}
        assert sub.get(WAIT).data == {"n": "kept"}
        assert sub.get(0.3) is None
    finally:
        hub.stop()


@pytest.mark.django_db(transaction=True)
def test_prune_removes_old_events_only():
    backend = DatabaseBackend()
    old = backend.publish(topic="incident", wilaya_id=1, data={})
    LiveEvent.objects.filter(pk=old.id).update(
        created_at=LiveEvent.objects.get(pk=old.id).created_at.replace(year=2020)
    )
    backend.publish(topic="incident", wilaya_id=1, data={})
    assert events.prune(older_than_seconds=60) == 1
    assert LiveEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_postgres_backend_listen_notify_across_processes():
    """Two hubs with their own LISTEN connections receive an event published with NOTIFY, a large
    event (id-only payload) included."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (this run uses SQLite)")
    process_a, process_b = Hub(PostgresBackend()), Hub(PostgresBackend())
    try:
        sub_a = process_a.subscribe(topics=["incident", "patrol"], wilaya_ids=[1])
        sub_b = process_b.subscribe(topics=["patrol"], wilaya_ids=None)
        publisher = PostgresBackend()
        publisher.publish(topic="incident", wilaya_id=2, data={"n": "other wilaya"})
        publisher.publish(topic="incident", wilaya_id=1, data={"n": "small"})
        big = {"n": "big", "text": "ب" * 6000}  # > 8000 bytes once encoded: NOTIFY carries the id only
        publisher.publish(topic="patrol", wilaya_id=1, data=big)

        got_a = _collect(sub_a, 2)
        assert [e.data["n"] for e in got_a] == ["small", "big"]
        assert got_a[1].data == big
        assert sub_b.get(WAIT).data == big
        assert sub_a.get(0.3) is None
    finally:
        process_a.stop()
        process_b.stop()


def test_backend_chosen_by_setting_and_engine(settings):
    from live import conf

    settings.AMANE_LIVE_BACKEND = "memory"
    assert events.get_hub().backend.name == "memory"
    settings.AMANE_LIVE_BACKEND = ""
    expected = "postgres" if connection.vendor == "postgresql" else "database"
    assert conf.backend_name() == expected
    assert events.get_hub().backend.name == expected


@pytest.mark.django_db(transaction=True)
def test_listener_stops_with_last_subscription_and_restarts_once():
    """Closing the last subscription stops the listener; the next subscription starts exactly one."""
    hub = Hub(DatabaseBackend(poll_seconds=0.02))
    try:
        first = hub.subscribe(topics=["incident"], wilaya_ids=None)
        old = hub._thread
        first.close()
        old.join(WAIT)
        assert not old.is_alive() and not hub.listening()
        second = hub.subscribe(topics=["incident"], wilaya_ids=None)
        DatabaseBackend().publish(topic="incident", wilaya_id=1, data={"n": 1})
        assert second.get(WAIT).data == {"n": 1}
        assert second.get(0.3) is None  # delivered once: a single listener runs
        assert [t.name for t in threading.enumerate()].count("live-database") == 1
    finally:
        hub.stop()
