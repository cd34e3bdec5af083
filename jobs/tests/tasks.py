"""Tasks for the worker tests, importable by a worker subprocess (`jobs.tests.tasks.<name>`)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from jobs.policy import retry


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


@retry(max_attempts=3, base_delay=0)
@task()
def mark_then_wait(log: str, release: str, timeout: float = 120) -> str:
    """Write one line to `log` per run, then wait until the file `release` exists (so that a test
    can kill or stop the worker while the task runs)."""
    _append(log, "run")
    deadline = time.monotonic() + timeout
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(release)
        time.sleep(0.05)
    _append(log, "done")
    return "done"


@retry(max_attempts=2, base_delay=0)
@task()
def always_fails(log: str) -> None:
    _append(log, "run")
    raise ValueError("refused")


@task()
def once_only(log: str) -> None:
    """No policy declared: a failed or lost run is not run again."""
    _append(log, "run")
    raise ValueError("refused")
