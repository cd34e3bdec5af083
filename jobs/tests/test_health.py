"""`manage.py queue_health`: one line of counts, the problems under it, and an exit status for
monitoring (0 healthy, 1 unhealthy, 2 database unreachable)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import leases
from jobs.models import Lease
from jobs.tests.factories import ROOT
from jobs.tests.tasks import mark_then_wait, once_only

pytestmark = pytest.mark.django_db


def _health(capsys) -> tuple[int, str]:
    try:
        call_command("queue_health")
    except SystemExit as exit_status:
        return int(exit_status.code or 0), capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_an_empty_queue_is_healthy(capsys):
    status, out = _health(capsys)
    assert status == 0
    assert out.startswith("tasks: ready 0 (oldest waits 0s), running 0 (0 with an expired lease)")
    assert out.rstrip().endswith("healthy") and "!" not in out


def test_a_task_waiting_too_long_makes_the_queue_unhealthy(tmp_path, capsys, settings):
    settings.AMANE_QUEUE_MAX_WAIT_SECONDS = 60
    once_only.enqueue(log=str(tmp_path / "log"))
    assert _health(capsys)[0] == 0
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
    status, out = _health(capsys)
    assert status == 1 and "ready 1 (oldest waits 90s)" in out and "limit 60s" in out


def test_an_expired_lease_and_failures_are_reported(tmp_path, capsys, settings):
    settings.AMANE_QUEUE_MAX_FAILED_PER_HOUR = 0
    mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))
    tasks = leases.ready_tasks(backend_name="default", queue_names=["*"], excluded_queue_names=[])
    result = leases.claim_next(tasks=tasks, worker_id="gone")
    Lease.objects.filter(pk=result.pk).update(expires_at=timezone.now() - timedelta(seconds=5))
    status, out = _health(capsys)
    assert status == 1 and "running 1 (1 with an expired lease)" in out and "is any worker running?" in out
    once_only.enqueue(log=str(tmp_path / "log"))
    failed = DBTaskResult.objects.get(task_path__endswith="once_only")
    failed.set_failed(ValueError("x"))
    status, out = _health(capsys)
    assert "failed in the last hour 1" in out and "1 task(s) failed in the last hour" in out


def test_an_unreachable_database_exits_2():
    done = subprocess.run(
        [sys.executable, "manage.py", "queue_health"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "AMANE_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "database unreachable" in done.stderr
