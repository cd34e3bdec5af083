"""Real server processes for the tests that need one (streams under the ASGI server, the production
entry point), pointed at the test database, as bench/ does with gunicorn. No test lives here."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from core.serving import web_argv

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The test database (already created and migrated by pytest-django) as AMANE_DATABASE_URL."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def server_env(**extra: str) -> dict[str, str]:
    """The environment of a server process: the test database, the test process's keys (sessions
    and encrypted fields made here must be readable there), nothing inherited from AMANE_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMANE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        AMANE_DATABASE_URL=database_url(),
        AMANE_SECRET_KEY=settings.SECRET_KEY,
        AMANE_DATA_KEY=settings.DATA_KEY,
        AMANE_AUDIT_KEY=settings.AUDIT_KEY,
        AMANE_VAR_DIR=str(settings.VAR_DIR),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def wait_for_http(port: int, proc: subprocess.Popen, timeout: float = 60.0, path: str = "/login/") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


def stop(proc: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM, then the exit status (SIGKILL after `timeout`: the test then fails on the status)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@contextmanager
def web_server(log: Path, *, workers: int = 1, threads: int = 4, **env: str) -> Iterator[int]:
    """gunicorn with the ASGI worker, as `make run` / `make serve` start it; yields its port."""
    port = free_port()
    argv = web_argv(
        bind=f"127.0.0.1:{port}", workers=workers, access_log=str(log), error_log=str(log), graceful=5, quiet=True
    )
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=server_env(AMANE_WEB_THREADS=str(threads), **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(port, proc)
        yield port
    finally:
        stop(proc)


def run_entry_point(script: str, timeout: float = 120.0, **env: Any) -> subprocess.CompletedProcess[str]:
    """Run a script of scripts/ to its end (for one that refuses to start)."""
    return subprocess.run(
        [str(ROOT / "scripts" / script)],
        cwd=ROOT,
        env=server_env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
