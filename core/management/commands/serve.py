"""`manage.py serve` (`make serve`, `scripts/serve.sh`): the production entry point.

Refuses unless AMANE_ENV=production and every system check passes, deployment checks included, at
warning level (the production checks name each variable to fix: demo identity provider, demo
accounts, simulator, outbox, DEBUG, cookies, HSTS, proxy, keys). Then migrates, collects the static
files, shows the task queue's health when the project has `queue_health`, and supervises the web
server, the task worker(s), the periodic sweep and the audit sealer (`core.supervisor`) until
SIGTERM. Logs go to stdout, one line per event prefixed with the program's name, or to files under
AMANE_LOG_DIR when that is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.checks import production
from core.env import BASE_DIR, env_int, env_str
from core.serving import background_programs, bind_address, has_command, web_argv
from core.supervisor import Program, Supervisor


class Command(BaseCommand):
    help = "Production: check, migrate, collect static files, then run and supervise every process."

    def handle(self, *args: Any, **options: Any) -> None:
        if not production():
            raise CommandError(
                "AMANE_ENV is not 'production': refused. `make run` is the demo; production sets "
                "AMANE_ENV=production and the variables listed in README.md, section Production."
            )
        self.step("checks (deployment, warnings refused)")
        call_command("check", deploy=True, fail_level="WARNING")
        self.step("migrations")
        call_command("migrate", interactive=False, verbosity=0)
        self.step("static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        if has_command("queue_health"):
            call_command("queue_health")
        log_dir = Path(env_str("AMANE_LOG_DIR", "")) if env_str("AMANE_LOG_DIR", "") else None
        warnings: list[str] = []
        programs = [self.web(log_dir), *background_programs(log_dir, warnings)]
        for line in warnings:
            self.stderr.write(f"serve: {line}")
        graceful = env_int("AMANE_WEB_GRACEFUL_SECONDS", 20)
        self.step(f"starting {', '.join(p.name for p in programs)} on {bind_address()}")
        status = Supervisor(programs, stop_timeout=graceful + 10, say=self.say, cwd=BASE_DIR).run()
        if status:
            raise CommandError("a process could not start (its output is above): stopped.")
        self.step("stopped")

    def web(self, log_dir: Path | None) -> Program:
        argv = web_argv(
            bind=bind_address(),
            workers=max(1, env_int("AMANE_WEB_WORKERS", 2)),
            access_log=str(log_dir / "access.log") if log_dir else "-",
            error_log=str(log_dir / "server.log") if log_dir else "-",
            graceful=env_int("AMANE_WEB_GRACEFUL_SECONDS", 20),
        )
        return Program("web", argv, log_dir / "web.log" if log_dir else None)

    def step(self, text: str) -> None:
        self.say(f"serve: {text}")

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
