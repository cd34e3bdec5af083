"""What a running Amane is made of, for both entry points (`manage.py serve`, `manage.py run_demo`).

- the web server: gunicorn with the ASGI worker (`core.asgi_worker.Worker`, see `core.asgi`),
  AMANE_WEB_WORKERS processes of AMANE_WEB_THREADS request threads each;
- the task worker(s): `manage.py run_worker` when that command exists (the supervised worker with
  lease reclaim), else django-tasks' `db_worker`; AMANE_TASK_WORKERS of them;
- the periodic sweep: `manage.py run_periodic`;
- the audit sealer: `manage.py audit_sealer`, when that command exists.

Commands that other parts of the project add later are looked up by name, so an entry point never
starts a command that is not there (it says so instead).
"""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from core.env import BASE_DIR, env_int, env_str
from core.supervisor import Program

MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


def has_command(name: str) -> bool:
    return name in get_commands()


def bind_address() -> str:
    """AMANE_BIND: host:port the web server listens on."""
    return env_str("AMANE_BIND", "127.0.0.1:8000")


def web_argv(
    *, bind: str, workers: int, access_log: str, error_log: str, graceful: int, quiet: bool = False
) -> list[str]:
    """gunicorn with the ASGI worker. `quiet`: the application's own log lines (Django's warnings)
    go to the error log rather than to the terminal."""
    argv = [sys.executable, "-m", "gunicorn", "amane.asgi:application", "--worker-class", "core.asgi_worker.Worker"]
    argv += ["--workers", str(workers), "--bind", bind, "--graceful-timeout", str(graceful)]
    # The control socket has one default path per machine: two servers on one machine would fight for it.
    argv += ["--no-control-socket", "--access-logfile", access_log, "--error-logfile", error_log]
    return argv + (["--capture-output"] if quiet else [])


def task_worker_command() -> list[str]:
    return ["run_worker"] if has_command("run_worker") else ["db_worker"]


def background_programs(log_dir: Path | None, warn: list[str]) -> list[Program]:
    """The task worker(s), the periodic sweep and the audit sealer. A command missing from this
    version is skipped with a line in `warn`."""

    def log(name: str) -> Path | None:
        return None if log_dir is None else log_dir / f"{name}.log"

    workers = max(1, env_int("AMANE_TASK_WORKERS", 1))
    programs = [
        Program(f"worker-{k + 1}" if workers > 1 else "worker", MANAGE + task_worker_command(), log("worker"))
        for k in range(workers)
    ]
    programs.append(Program("periodic", [*MANAGE, "run_periodic"], log("periodic")))
    if has_command("audit_sealer"):
        programs.append(Program("audit-sealer", [*MANAGE, "audit_sealer"], log("audit")))
    else:
        warn.append("manage.py audit_sealer is not in this version: the audit sealer is not started.")
    return programs


def wait_for_port(bind: str, timeout: float) -> bool:
    """True once something accepts connections at `bind` (host:port), False after `timeout` s."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104 (the address a server binds, not one we listen on)
        host = "127.0.0.1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def var_log_dir() -> Path:
    return Path(settings.VAR_DIR) / "log"
