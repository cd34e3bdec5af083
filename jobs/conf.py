"""Settings of the background workers, read from AMANE_* environment variables with safe defaults.

Each value can also be set on django.conf.settings under the same name (tests use pytest-django's
`settings` fixture); the functions below read settings first, then the environment default.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.env import env_int

# Seconds a running task's lease lasts without a heartbeat; the worker renews it every third of
# that. A task whose worker died is reclaimed this long after the last heartbeat.
AMANE_TASK_LEASE_SECONDS = env_int("AMANE_TASK_LEASE_SECONDS", 60)
# A RUNNING task without any lease (started by the library's plain `db_worker`, which keeps none)
# is reclaimed only after this many seconds, since nothing tells whether its worker still lives.
AMANE_TASK_ORPHAN_SECONDS = env_int("AMANE_TASK_ORPHAN_SECONDS", 3600)
# Seconds between two reclaim passes of one worker (each pass is one indexed query when idle).
AMANE_TASK_RECLAIM_EVERY_SECONDS = env_int("AMANE_TASK_RECLAIM_EVERY_SECONDS", 5)
# The longest pause of a worker waiting for its database to come back (the pause doubles from
# half a second up to this).
AMANE_TASK_MAX_BACKOFF_SECONDS = env_int("AMANE_TASK_MAX_BACKOFF_SECONDS", 30)
# queue_health reports the queue unhealthy past these: the oldest due task waits longer than this,
# or more tasks than this failed for good in the last hour.
AMANE_QUEUE_MAX_WAIT_SECONDS = env_int("AMANE_QUEUE_MAX_WAIT_SECONDS", 300)
AMANE_QUEUE_MAX_FAILED_PER_HOUR = env_int("AMANE_QUEUE_MAX_FAILED_PER_HOUR", 5)


def _get(name: str) -> Any:
    return getattr(settings, name, globals()[name])


def lease_seconds() -> float:
    return max(float(_get("AMANE_TASK_LEASE_SECONDS")), 1.0)


def orphan_seconds() -> float:
    return max(float(_get("AMANE_TASK_ORPHAN_SECONDS")), lease_seconds())


def reclaim_every_seconds() -> float:
    return max(float(_get("AMANE_TASK_RECLAIM_EVERY_SECONDS")), 0.0)


def max_backoff_seconds() -> float:
    return max(float(_get("AMANE_TASK_MAX_BACKOFF_SECONDS")), 0.5)


def queue_max_wait_seconds() -> int:
    return int(_get("AMANE_QUEUE_MAX_WAIT_SECONDS"))


def queue_max_failed_per_hour() -> int:
    return int(_get("AMANE_QUEUE_MAX_FAILED_PER_HOUR"))
