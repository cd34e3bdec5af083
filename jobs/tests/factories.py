"""Builders of the worker tests: run due tasks in this process, or start real worker processes on
the test database and wait for what they do."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.test import TestCase

ROOT = Path(__file__).resolve().parents[2]
HEAVY_LOCK = "/tmp/amane-heavy.lock"  # noqa: S108  (the machine's shared lock, by convention)


def run_due_tasks(limit: int = 50) -> int:
    """Run the due tasks in this process with the worker's own code (leases, retry policies),
    without its loop, which closes the test's connection. Returns how many ran."""
    from jobs.leases import claim_next, ready_tasks
    from jobs.worker import LeasedWorker

    worker = LeasedWorker(
        heartbeat=False,
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process-test",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        # Built each time: `ready()` compares run_after with the time the queryset is built.
        tasks = ready_tasks(backend_name="default", queue_names=["*"], excluded_queue_names=[])
        result = claim_next(tasks=tasks, worker_id=worker.worker_id)
        if result is None:
            return ran
        # A task's follow-ups are enqueued on commit; a test's transaction never commits, so its
        # on-commit callbacks are run here as a commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
        ran += 1
    return ran


def database_url() -> str:
    """The test database (pytest-django's) as an AMANE_DATABASE_URL for a subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`manage.py run_worker` in its own process on the test database, its output in a log file."""

    def __init__(self, log_dir: Path, name: str = "worker", **env: str) -> None:
        self.log_path = log_dir / f"{name}.log"
        full_env = dict(os.environ)
        full_env.update(
            AMANE_DATABASE_URL=database_url(),
            AMANE_TASK_LEASE_SECONDS="2",
            AMANE_TASK_RECLAIM_EVERY_SECONDS="0",
            AMANE_TASK_MAX_BACKOFF_SECONDS="2",
            AMANE_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="amane.settings",
        )
        full_env.update(env)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
                cwd=ROOT,
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: the worker dies on the spot, as in a crash or an OOM kill."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, and wait for the exit status."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=10)


class WorkerProcesses:
    """The worker processes of one test (the `worker_processes` fixture stops them all)."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[WorkerProcess] = []

    def start(self, name: str = "worker", **env: str) -> WorkerProcess:
        worker = WorkerProcess(self.log_dir, name, **env)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


def wait_until(
    check: Callable[[], object], *, timeout: float = 60, what: str = "", log: Callable[[], str] | None = None
) -> object:
    """Poll `check` until it answers something true; fail with `what` (and a worker's log) on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n--- worker log ---\n{log()}" if log else ""))


def _ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        status = Path(f"/proc/{pid}/status").read_text()
        pid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
    return pids


def _lock_holders(path: str) -> set[int]:
    inode = os.stat(path).st_ino
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            holders.add(int(parts[4]))
    return holders


@contextlib.contextmanager
def heavy_lock() -> Iterator[None]:
    """Hold the machine's heavy-job lock (the test disturbs everyone's PostgreSQL): already held
    when the run was started under `flock /tmp/amane-heavy.lock ...`, else taken here, waiting
    for another heavy job to finish first."""
    Path(HEAVY_LOCK).touch(exist_ok=True)
    if _lock_holders(HEAVY_LOCK) & _ancestors():
        yield
        return
    with open(HEAVY_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
