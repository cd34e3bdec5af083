"""The worker: retry policies applied to failed runs, `run_worker` draining the queue, and real
worker processes killed (SIGKILL) or stopped (SIGTERM) in the middle of a task."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jobs.models import Lease
from jobs.tests.factories import run_due_tasks, wait_until
from jobs.tests.tasks import always_fails, mark_then_wait, once_only


def _runs(path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.django_db
def test_a_failing_task_is_run_again_by_its_policy_then_failed(tmp_path):
    always_fails.enqueue(log=str(tmp_path / "retried"))  # two attempts, no delay
    once_only.enqueue(log=str(tmp_path / "once"))  # no policy
    assert run_due_tasks() == 3
    assert _runs(tmp_path / "retried") == ["run", "run"] and _runs(tmp_path / "once") == ["run"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}
    failed = DBTaskResult.objects.get(task_path__endswith="always_fails")
    assert "ValueError: refused" in failed.traceback and len(failed.worker_ids) == 2
    assert not Lease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_run_worker_drains_the_queue_and_leaves_no_lease(tmp_path):
    (tmp_path / "go").touch()
    for _ in range(3):
        mark_then_wait.enqueue(log=str(tmp_path / "log"), release=str(tmp_path / "go"))
    call_command("run_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert _runs(tmp_path / "log") == ["run", "done"] * 3
    assert not Lease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_is_reclaimed_and_run_by_the_next_one(tmp_path, worker_processes):
    """GIVEN a worker process in the middle of a task WHEN it is killed with SIGKILL THEN the task
    stays RUNNING until its lease lapses, and a new worker reclaims it and runs it to the end."""
    log, go = tmp_path / "log", tmp_path / "go"
    result = mark_then_wait.enqueue(log=str(log), release=str(go))
    first = worker_processes.start("first")
    wait_until(lambda: _runs(log) == ["run"], what="the first run", log=first.log)
    first.kill()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    go.touch()
    second = worker_processes.start("second")
    done = wait_until(
        lambda: DBTaskResult.objects.filter(pk=result.id, status="SUCCESSFUL").first(),
        what="the reclaimed task to finish",
        log=second.log,
    )
    assert _runs(log) == ["run", "run", "done"]
    assert len(done.worker_ids) == 2 and done.worker_ids[0] != done.worker_ids[1]
    assert "reclaimed task" in second.log()
    assert second.terminate() == 0


@pytest.mark.django_db(transaction=True)
def test_sigterm_finishes_the_current_task_then_exits_cleanly(tmp_path, worker_processes):
    log, go = tmp_path / "log", tmp_path / "go"
    result = mark_then_wait.enqueue(log=str(log), release=str(go))
    worker = worker_processes.start()
    wait_until(lambda: _runs(log) == ["run"], what="the run", log=worker.log)
    worker.proc.terminate()
    go.touch()
    assert worker.proc.wait(timeout=30) == 0
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert _runs(log) == ["run", "done"] and not Lease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_sigterm_gives_the_task_back_to_the_queue(tmp_path, worker_processes):
    log = tmp_path / "log"
    result = mark_then_wait.enqueue(log=str(log), release=str(tmp_path / "never"))
    worker = worker_processes.start()
    wait_until(lambda: _runs(log) == ["run"], what="the run", log=worker.log)
    worker.proc.terminate()
    wait_until(lambda: "stop requested" in worker.log(), what="the first signal", log=worker.log)
    assert worker.terminate() == 0
    back = DBTaskResult.objects.get(pk=result.id)
    assert back.status == "READY" and back.worker_ids == [] and not Lease.objects.exists()
