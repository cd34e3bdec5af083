"""Notifications survive crashes, with real worker processes on the test database: a worker killed
(SIGKILL) in the middle of a send, and PostgreSQL restarted under a running worker. Each time the
citizen's message goes out exactly once (a gateway honouring keys: delivered once per key)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from jobs.tests.factories import WorkerProcess, WorkerProcesses, database_url, heavy_lock, wait_until
from portal.models import Notification, NotificationStatus, OnlineFiling, OutboxMessage
from portal.services import notification_queue
from portal.tests.backends import read_rows
from portal.tests.factories import filing_post

pytestmark = pytest.mark.django_db(transaction=True)


def _file_one() -> Notification:
    """A complaint filed online with SMS contact: one notification owed, its task queued."""
    assert filing_post(Client()).status_code == 302
    return Notification.objects.get()


def _worker(workers: WorkerProcesses, tmp_path: Path, name: str, backend: str, **env: str) -> WorkerProcess:
    """A worker sending with one of portal.tests.backends, retrying without delay."""
    return workers.start(
        name,
        AMANE_NOTIFY_BACKEND=f"portal.tests.backends.{backend}",
        AMANE_TEST_NOTIFY_DIR=str(tmp_path),
        AMANE_NOTIFY_RETRY_SECONDS="0",
        **env,
    )


def _sent(notification: Notification) -> Notification | None:
    return Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENT).first()


def test_outbox_message_sent_exactly_once_when_the_worker_is_killed_mid_send(org, tmp_path, worker_processes):
    """GIVEN a worker that wrote the outbox message and has not recorded the attempt yet WHEN it is
    killed THEN nothing of that send remains, and the next worker sends the message once."""
    notification = _file_one()
    (tmp_path / "hold").touch()
    first = _worker(worker_processes, tmp_path, "first", "HoldingOutbox")
    wait_until(lambda: (tmp_path / "holding").exists(), what="the send to start", log=first.log)
    first.kill()
    (tmp_path / "hold").unlink()
    assert not OutboxMessage.objects.exists()  # rolled back with the killed worker's transaction
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.PENDING
    second = _worker(worker_processes, tmp_path, "second", "HoldingOutbox")
    sent = wait_until(lambda: _sent(notification), what="the notification to be sent", log=second.log)
    assert OutboxMessage.objects.filter(notification=notification).count() == 1
    assert list(sent.attempt_log.values_list("number", "ok")) == [(1, True)]
    assert second.terminate() == 0


@pytest.mark.parametrize("gateway", ["KeyedGateway", "LookupGateway"])
def test_gateway_message_delivered_once_when_the_worker_is_killed_after_the_call(
    org, tmp_path, gateway, worker_processes
):
    """GIVEN a gateway that accepted the message WHEN the worker dies before recording it THEN the
    notification stays "sending", and the next worker settles it with the same key: the gateway
    delivers once (asked with lookup, or sent again and deduplicated by key)."""
    notification = _file_one()
    (tmp_path / "hold").touch()
    first = _worker(worker_processes, tmp_path, "first", gateway)
    wait_until(lambda: (tmp_path / "holding").exists(), what="the gateway call", log=first.log)
    first.kill()
    (tmp_path / "hold").unlink()
    in_doubt = Notification.objects.get(pk=notification.pk)
    assert (in_doubt.status, in_doubt.attempts) == (NotificationStatus.SENDING, 1)
    second = _worker(worker_processes, tmp_path, "second", gateway)
    sent = wait_until(lambda: _sent(notification), what="the notification to be settled", log=second.log)
    assert second.terminate() == 0
    delivered = read_rows(tmp_path, "delivered.jsonl")
    calls = [row["key"] for row in read_rows(tmp_path, "calls.jsonl")]
    assert [row["notification"] for row in delivered] == [notification.pk]
    key = f"amane-notification-{notification.pk}-1"
    assert calls == ([key] if gateway == "LookupGateway" else [key, key])
    assert list(sent.attempt_log.values_list("number", "ok")) == [(1, True)]


def _postgres_restart() -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except psycopg.OperationalError:
        return False


def _queue_more(filing: OnlineFiling, count: int) -> None:
    for _ in range(count):
        with transaction.atomic():
            notification_queue(filing=filing, event="created")


@pytest.mark.postgres_only
@pytest.mark.restarts_postgres
def test_queue_drained_after_postgresql_restarts_under_a_running_worker(org, tmp_path, worker_processes):
    """GIVEN a worker sending a queue of notifications WHEN PostgreSQL restarts under it THEN the
    worker reconnects by itself, and every notification, queued before or after, is sent once."""
    if connection.vendor != "postgresql":
        pytest.skip("restarts PostgreSQL (this run uses SQLite)")
    filing = _file_one().filing
    _queue_more(filing, 11)
    with heavy_lock():
        worker = _worker(worker_processes, tmp_path, "worker", "SlowOutbox", AMANE_TEST_NOTIFY_DELAY="0.3")
        wait_until(lambda: OutboxMessage.objects.count() >= 2, what="the first messages", log=worker.log)
        _postgres_restart()
        connection.close()  # this test's connection died with the server
        wait_until(lambda: _postgres_answers(database_url()), timeout=120, what="PostgreSQL to answer")
        _queue_more(filing, 5)
        wait_until(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            timeout=120,
            what="every notification to be sent",
            log=worker.log,
        )
        time.sleep(0.5)  # the last task's result is recorded just after its notification
        assert worker.alive(), worker.log()
        assert "database unavailable" in worker.log() and "database back" in worker.log()
        assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
        assert worker.terminate() == 0
    assert Notification.objects.count() == 17
    per_notification = OutboxMessage.objects.values_list("notification_id", flat=True)
    assert sorted(per_notification) == sorted(Notification.objects.values_list("pk", flat=True))
