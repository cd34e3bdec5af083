"""Settings of the live-updates layer, read from AMANE_* environment variables with safe defaults.

Each value may also be overridden by a Django setting of the same name (tests use pytest-django's
`settings` fixture, e.g. `settings.AMANE_LIVE_BACKEND = "memory"`), so they are read at call time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from core.env import env_int, env_str

BACKENDS = ("memory", "database", "postgres")


def _get(name: str, default):
    return getattr(settings, name, default)


def backend_name() -> str:
    """`memory`, `database` or `postgres`; empty (the default) picks by the database engine."""
    name = str(_get("AMANE_LIVE_BACKEND", env_str("AMANE_LIVE_BACKEND", ""))).strip().lower()
    if name in BACKENDS:
        return name
    return "postgres" if connections["default"].vendor == "postgresql" else "database"


def poll_seconds() -> float:
    """How often the `database` backend's listener reads new events (one query per process)."""
    return max(10, int(_get("AMANE_LIVE_POLL_MS", env_int("AMANE_LIVE_POLL_MS", 150)))) / 1000


def retention_seconds() -> int:
    """How long published events are kept for replay (Last-Event-ID) before being pruned."""
    return int(_get("AMANE_LIVE_RETENTION_SECONDS", env_int("AMANE_LIVE_RETENTION_SECONDS", 600)))


def heartbeat_seconds() -> float:
    """Seconds between two keep-alive comments on an idle stream."""
    return float(_get("AMANE_LIVE_HEARTBEAT_SECONDS", env_int("AMANE_LIVE_HEARTBEAT_SECONDS", 15)))


def retry_ms() -> int:
    """Reconnection delay suggested to the browser (`retry:` line of the stream)."""
    return int(_get("AMANE_LIVE_RETRY_MS", env_int("AMANE_LIVE_RETRY_MS", 2000)))


def queue_size() -> int:
    """Events buffered per subscriber; a client that falls further behind is disconnected."""
    return int(_get("AMANE_LIVE_QUEUE_SIZE", env_int("AMANE_LIVE_QUEUE_SIZE", 2000)))


def channel() -> str:
    """PostgreSQL NOTIFY channel of the `postgres` backend."""
    return str(_get("AMANE_LIVE_CHANNEL", env_str("AMANE_LIVE_CHANNEL", "amane_live")))


def streams_per_user() -> int:
    """Open event streams one user may hold at once, all processes together (0: no cap)."""
    return int(_get("AMANE_STREAMS_PER_USER", env_int("AMANE_STREAMS_PER_USER", 5)))


def recheck_seconds() -> float:
    """Seconds between two re-checks of an open stream's session and roles (at most a minute)."""
    seconds = float(_get("AMANE_STREAM_RECHECK_SECONDS", env_int("AMANE_STREAM_RECHECK_SECONDS", 60)))
    return min(60.0, max(0.2, seconds))  # 0 would re-check in a loop


def check_threads() -> int:
    """Threads a web process lends to the re-checks of its open streams (they touch the database)."""
    return max(1, int(_get("AMANE_STREAM_CHECK_THREADS", env_int("AMANE_STREAM_CHECK_THREADS", 2))))
