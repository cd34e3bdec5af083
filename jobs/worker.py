"""The supervised task worker behind `manage.py run_worker`.

django_tasks_db's `Worker` runs tasks but keeps no lease (a task whose worker dies stays RUNNING
for ever) and lets any database error other than "locked" end the process. `LeasedWorker` keeps
the library's constructor, signal wiring and task bookkeeping and replaces its loop:

- a task is claimed with a lease in one transaction; a thread renews the lease while it runs;
- every few seconds the loop reclaims the tasks of dead workers (jobs.leases.reclaim);
- a task that raises is queued again or failed by its retry policy (jobs.policy), not just failed;
- a lost database (OperationalError / InterfaceError, e.g. PostgreSQL restarting) closes the
  connections, waits with a doubling pause, reconnects and goes on; back online, the worker gives
  the task it was running back to the queue at once instead of waiting for its lease to expire;
- SIGTERM / SIGINT: finish the current task, then exit 0; a second signal releases the task back
  to the queue (READY, not counted as an attempt) and exits.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any
from uuid import UUID

from django.db import InterfaceError, OperationalError, close_old_connections, connection, connections
from django.db.utils import DatabaseError
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from jobs import conf, leases

logger = logging.getLogger("jobs.worker")


class ForcedStop(BaseException):
    """Raised in the running task by a second stop signal (BaseException: tasks that catch
    `Exception` do not swallow it)."""


class Heartbeat:
    """Renews one task's lease from a daemon thread (with its own database connection) until
    stopped. Errors are logged and retried: a lease that lapses only means the task may run again,
    and tasks with a retry policy are idempotent."""

    def __init__(self, *, task_id: UUID, worker_id: str, every: float) -> None:
        self.task_id = task_id
        self.worker_id = worker_id
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{task_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 1)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not leases.renew(task_id=self.task_id, worker_id=self.worker_id):
                        logger.warning("lease of task %s is no longer ours: another worker took it", self.task_id)
                        return
                except DatabaseError as exc:
                    logger.warning("could not renew the lease of task %s: %s", self.task_id, exc)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


class LeasedWorker(Worker):
    """django_tasks_db's Worker with leases, retry policies, reconnection and a clean stop."""

    def __init__(self, *, heartbeat: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = heartbeat
        self._wake = threading.Event()
        self._failures = 0
        self._lost_database = False
        self._next_reclaim = 0.0

    # ------------------------------------------------------------ signals

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """First signal: stop after the current task. Second: give the task back and stop now."""
        if self.running:
            logger.warning("stop requested: finishing the current task, then exiting (again to stop now)")
            self.running = False
            self._wake.set()
            return
        raise ForcedStop("stopped by a second signal")

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        autodiscover_modules("tasks")  # every task's retry policy is declared before the first reclaim
        logger.info("worker %s started on queues %s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            self._wake.wait(random.random())  # noqa: S311  (spreads a fleet's first queries, not a secret)
        with contextlib.suppress(ForcedStop):  # the task it interrupted, if any, is back in the queue
            self._loop()
        logger.info("worker %s stopped", self.worker_id)

    def _loop(self) -> None:
        while self.running:
            try:
                ran = self._step()
            except (OperationalError, InterfaceError) as exc:
                self._database_lost(exc)
                continue
            if (self.batch and not ran) or (self.max_tasks is not None and self._run_tasks >= self.max_tasks):
                return
            if self.running and not ran:
                self._wake.wait(self.interval)

    def _step(self) -> bool:
        """One turn: reclaim what is due, claim one task, run it. True when a task ran."""
        close_old_connections()
        if self._lost_database:
            back = leases.reclaim(worker_id=self.worker_id)
            logger.warning(
                "database back after %s failed tries; interrupted tasks: %s queued again, %s failed",
                self._failures,
                back.requeued,
                back.failed,
            )
            self._lost_database, self._failures = False, 0
        now = time.monotonic()
        if now >= self._next_reclaim:
            leases.reclaim()
            self._next_reclaim = now + conf.reclaim_every_seconds()
        tasks = leases.ready_tasks(
            backend_name=self.backend_name,
            queue_names=self.queue_names,
            excluded_queue_names=self.excluded_queue_names,
        )
        result = leases.claim_next(tasks=tasks, worker_id=self.worker_id)
        if result is None:
            return False
        self.run_task(result)
        return True

    def _database_lost(self, exc: Exception) -> None:
        """Close every connection and wait, doubling the pause each time (capped)."""
        self._failures += 1
        self._lost_database = True
        pause = min(0.5 * 2 ** (self._failures - 1), conf.max_backoff_seconds())
        logger.warning("database unavailable (%s); try %s again in %.1fs", exc, self._failures, pause)
        for alias in connections:
            try:
                connections[alias].close()
            except DatabaseError:  # closing a broken connection may itself complain
                logger.debug("closing connection %s failed", alias, exc_info=True)
        self._wake.wait(pause)

    # ------------------------------------------------------------ one task

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed task under its lease. A database error while recording the outcome
        propagates (the loop reconnects, then gives the task back)."""
        self.running_task = True
        try:
            with self._lease(db_task_result):
                self._execute(db_task_result)
        except ForcedStop:
            leases.release(result=db_task_result, worker_id=self.worker_id)
            logger.warning("task %s given back to the queue", db_task_result.id)
            raise
        finally:
            self.running_task = False
            self._run_tasks += 1
        leases.finish(task_id=db_task_result.id, worker_id=self.worker_id)

    @contextmanager
    def _lease(self, db_task_result: DBTaskResult) -> Iterator[None]:
        if not self.heartbeat:
            yield
            return
        beat = Heartbeat(task_id=db_task_result.id, worker_id=self.worker_id, every=conf.lease_seconds() / 3)
        beat.start()
        try:
            yield
        finally:
            beat.stop()

    def _execute(self, db_task_result: DBTaskResult) -> None:
        """The library's run_task, with the task's retry policy applied to a failed run."""
        try:
            task = db_task_result.task
            backend = type(task.get_backend())
            task_started.send(sender=backend, task_result=db_task_result.task_result)
            args, kwargs = db_task_result.args_kwargs["args"], db_task_result.args_kwargs["kwargs"]
            if task.takes_context:
                value = task.call(TaskContext(task_result=db_task_result.task_result), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
            db_task_result.set_successful(value)
        except (ForcedStop, OperationalError, InterfaceError):
            raise  # not the task's fault: the loop handles them
        except Exception as exc:
            logger.warning("task %s (%s) raised %r", db_task_result.id, db_task_result.task_path, exc)
            if leases.requeue_or_fail(result=db_task_result, error=exc):
                return
        try:
            task_finished.send(sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result)
        except ImportError:  # the task's code is gone; its result is recorded all the same
            logger.exception("task %s finished but its code cannot be imported", db_task_result.id)
