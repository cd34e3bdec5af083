"""Leases and reclaim, in this process: a task whose worker stopped renewing its lease goes back to
READY under its retry policy, or FAILED once the policy is spent; live leases are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import leases
from jobs.models import Lease
from jobs.tests.tasks import always_fails, mark_then_wait, once_only

pytestmark = pytest.mark.django_db


def _claim(worker_id: str = "w1") -> DBTaskResult:
    tasks = leases.ready_tasks(backend_name="default", queue_names=["*"], excluded_queue_names=[])
    result = leases.claim_next(tasks=tasks, worker_id=worker_id)
    assert result is not None
    return result


def _expire(result: DBTaskResult) -> None:
    """The worker died: its lease is not renewed any more and runs out."""
    Lease.objects.filter(pk=result.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_claim_takes_a_lease_that_renewal_extends(tmp_path):
    mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))
    result = _claim()
    lease = Lease.objects.get(pk=result.pk)
    assert result.status == "RUNNING" and lease.worker_id == "w1" and lease.expires_at > lease.claimed_at
    assert leases.renew(task_id=result.pk, worker_id="w1")
    assert not leases.renew(task_id=result.pk, worker_id="someone-else")
    assert leases.reclaim() == leases.Reclaimed()  # a live lease is not touched
    assert DBTaskResult.objects.get(pk=result.pk).status == "RUNNING"


def test_an_expired_lease_is_reclaimed_then_failed_when_the_policy_is_spent(tmp_path):
    mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))  # 3 attempts
    for attempt in (1, 2):
        result = _claim(f"w{attempt}")
        _expire(result)
        assert leases.reclaim() == leases.Reclaimed(requeued=1)
        back = DBTaskResult.objects.get(pk=result.pk)
        assert back.status == "READY" and back.exception_class_path == "jobs.leases.LeaseExpired"
        assert not Lease.objects.filter(pk=result.pk).exists()
    result = _claim("w3")
    _expire(result)
    assert leases.reclaim() == leases.Reclaimed(failed=1)
    final = DBTaskResult.objects.get(pk=result.pk)
    assert final.status == "FAILED" and final.worker_ids == ["w1", "w2", "w3"]
    assert "w3 stopped renewing its lease" in final.traceback


def test_a_task_without_policy_is_not_run_again(tmp_path):
    once_only.enqueue(log=str(tmp_path / "log"))
    result = _claim()
    _expire(result)
    assert leases.reclaim() == leases.Reclaimed(failed=1)
    assert DBTaskResult.objects.get(pk=result.pk).status == "FAILED"


def test_a_worker_back_from_a_database_outage_gives_back_its_own_tasks_at_once(tmp_path):
    always_fails.enqueue(log=str(tmp_path / "a"))
    always_fails.enqueue(log=str(tmp_path / "b"))
    mine, theirs = _claim("me"), _claim("them")
    assert leases.reclaim(worker_id="me") == leases.Reclaimed(requeued=1)  # lease still valid
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=theirs.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=mine.pk).exception_class_path == "jobs.leases.WorkerStopped"


def test_a_running_task_without_lease_is_reclaimed_only_after_the_orphan_age(tmp_path, settings):
    """`db_worker` keeps no lease: its tasks cannot be told dead before AMANE_TASK_ORPHAN_SECONDS."""
    settings.AMANE_TASK_ORPHAN_SECONDS = 600
    mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))
    result = DBTaskResult.objects.get()
    result.claim("db-worker")  # what the library's own worker does, without a lease
    assert leases.reclaim() == leases.Reclaimed()
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(seconds=601))
    assert leases.reclaim() == leases.Reclaimed(requeued=1)


def test_release_gives_the_task_back_without_counting_the_run(tmp_path):
    mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))
    result = _claim("w1")
    leases.release(result=result, worker_id="w1")
    back = DBTaskResult.objects.get(pk=result.pk)
    assert back.status == "READY" and back.worker_ids == [] and not Lease.objects.exists()
