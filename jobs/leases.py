"""The queue's bookkeeping around django_tasks_db: claim with a lease, renew, finish, release,
and reclaim the tasks of dead workers under each task's retry policy.

Times of leases are the database's (`Now()`), so that workers on several machines agree on
expiry whatever their clocks; `run_after` stays in application time, as the library sets it.

What this relies on in django_tasks_db (0.13): `DBTaskResult` and its fields `status`,
`worker_ids`, `started_at`, `run_after`, `task_path`, `exception_class_path`, `traceback`; its
queryset's `ready()` and `get_locked()`; its methods `claim()` and `set_failed()`; and
`utils.exclusive_transaction`. Nothing of the library is patched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from traceback import format_exception
from uuid import UUID

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction

from jobs import conf
from jobs.models import Lease
from jobs.policy import policy_for

logger = logging.getLogger(__name__)

# At most this many reclaims in one pass: a pass stays short even after a mass crash.
RECLAIM_BATCH = 100


class LeaseExpired(Exception):
    """Recorded as the error of a task whose worker stopped renewing its lease (it died)."""


class WorkerStopped(Exception):
    """Recorded as the error of a task its own worker gave back after losing its database."""


@dataclass(frozen=True)
class Reclaimed:
    requeued: int = 0
    failed: int = 0


def _expiry() -> ExpressionWrapper:
    return ExpressionWrapper(Now() + Value(timedelta(seconds=conf.lease_seconds())), output_field=DateTimeField())


def ready_tasks(*, backend_name: str, queue_names: list[str], excluded_queue_names: list[str]) -> DBTaskResultQuerySet:
    """Due READY tasks of the given queues ("*" for all), in the library's own order."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    if "*" not in queue_names:
        tasks = tasks.filter(queue_name__in=queue_names)
    if excluded_queue_names:
        tasks = tasks.exclude(queue_name__in=excluded_queue_names)
    return tasks


def claim_next(*, tasks: DBTaskResultQuerySet, worker_id: str) -> DBTaskResult | None:
    """Claim the next task with a lease, in one transaction: there is never a task RUNNING under
    this worker without its lease (a crash right after the commit is reclaimed like any other)."""
    with exclusive_transaction(tasks.db):
        result = tasks.get_locked()
        if result is None:
            return None
        result.claim(worker_id)
        Lease.objects.create(
            task_result=result, worker_id=worker_id, claimed_at=Now(), renewed_at=Now(), expires_at=_expiry()
        )
    return result


def renew(*, task_id: UUID, worker_id: str) -> bool:
    """Push the lease's expiry forward; False when the lease is no longer this worker's (another
    worker reclaimed the task after this one stalled for longer than a lease)."""
    return bool(Lease.objects.filter(pk=task_id, worker_id=worker_id).update(renewed_at=Now(), expires_at=_expiry()))


def finish(*, task_id: UUID, worker_id: str) -> None:
    """The task's result is recorded: this worker's lease goes (not one another worker took after
    this one stalled past its lease)."""
    Lease.objects.filter(pk=task_id, worker_id=worker_id).delete()


def release(*, result: DBTaskResult, worker_id: str) -> None:
    """Give a task back untouched (its worker is told to stop at once): READY again, and this
    interrupted run does not count against the task's retry policy."""
    with transaction.atomic(using=result._state.db):
        workers = list(result.worker_ids)
        if workers and workers[-1] == worker_id:
            workers.pop()
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, lease__worker_id=worker_id).update(
            status=TaskResultStatus.READY, worker_ids=workers
        )
        Lease.objects.filter(pk=result.pk, worker_id=worker_id).delete()


def requeue_or_fail(*, result: DBTaskResult, error: BaseException) -> bool:
    """Apply the task's retry policy after a run that did not finish well: READY again after the
    policy's delay (the error kept for the operator), or FAILED for good. True when requeued."""
    policy = policy_for(result.task_path)
    attempts = len(result.worker_ids)
    if attempts >= policy.attempts():
        result.set_failed(error)
        return False
    result.status = TaskResultStatus.READY
    result.run_after = timezone.now() + timedelta(seconds=policy.delay(attempts))
    result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    result.traceback = "".join(format_exception(error))
    result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
    return True


def _reclaimable(worker_id: str | None) -> QuerySet:
    running = DBTaskResult.objects.running()
    if worker_id is not None:
        return running.filter(lease__worker_id=worker_id)
    orphaned_before = timezone.now() - timedelta(seconds=conf.orphan_seconds())
    return running.filter(Q(lease__expires_at__lt=Now()) | Q(lease__isnull=True, started_at__lt=orphaned_before))


def reclaim(*, worker_id: str | None = None) -> Reclaimed:
    """Take back the tasks whose lease expired (their worker died), or with `worker_id` every task
    that worker holds (it lost its database in the middle of them and runs none of them now).

    Each task is re-checked under its row lock, so two workers reclaiming at once never both
    requeue one task.
    """
    candidates = _reclaimable(worker_id)
    requeued = failed = 0
    for task_id in list(candidates.values_list("id", flat=True)[:RECLAIM_BATCH]):
        with exclusive_transaction(candidates.db):
            # Locked by primary key alone: PostgreSQL refuses FOR UPDATE across the outer join
            # with the lease; the condition is checked again right after, under the lock.
            result = DBTaskResult.objects.select_for_update(skip_locked=True).filter(pk=task_id).first()
            if result is None or not _reclaimable(worker_id).filter(pk=task_id).exists():
                continue
            holder = Lease.objects.filter(pk=task_id).values_list("worker_id", flat=True).first() or "?"
            if worker_id is None:
                error: Exception = LeaseExpired(f"worker {holder} stopped renewing its lease")
            else:
                error = WorkerStopped(f"worker {holder} lost its database during the task")
            if requeue_or_fail(result=result, error=error):
                requeued += 1
            else:
                failed += 1
            Lease.objects.filter(pk=task_id).delete()
            logger.warning("reclaimed task %s (%s) from %s: %s", task_id, result.task_path, holder, result.status)
    if worker_id is None:
        # Leases left by a worker that died after recording its result but before dropping them.
        Lease.objects.exclude(task_result__status=TaskResultStatus.RUNNING).delete()
    return Reclaimed(requeued=requeued, failed=failed)
