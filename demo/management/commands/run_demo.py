"""`manage.py run_demo` (`make run` through scripts/run.sh): the demo, running, in one terminal.

The web server, the task worker, the periodic sweep, the audit sealer (when the project has it) and,
with AMANE_DEMO_SIMULATION, the line-19 call simulator in Rabat, supervised like in production
(`core.supervisor`), every log under var/log/. Prints the addresses and the logins once, when the
web server answers; Ctrl-C stops everything and exits 0.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.checks import production
from core.env import BASE_DIR, env_int, env_str
from core.serving import MANAGE, background_programs, bind_address, has_command, var_log_dir, wait_for_port, web_argv
from core.supervisor import Program, Supervisor
from demo.banner import banner
from demo.checks import simulation_enabled

STARTUP_TIMEOUT = 60.0


class Command(BaseCommand):
    help = "Run the demo: web server, task worker, periodic sweep and call simulator; Ctrl-C stops it."

    def handle(self, *args: Any, **options: Any) -> None:
        if production():
            raise CommandError("AMANE_ENV=production: the demo never runs in production (use `make serve`).")
        logs = var_log_dir()
        bind = bind_address()
        web = web_argv(
            bind=bind,
            workers=max(1, env_int("AMANE_WEB_WORKERS", 2)),
            access_log=str(logs / "access.log"),
            error_log=str(logs / "server.log"),
            graceful=3,
            quiet=True,
        )
        warnings: list[str] = []
        programs = [Program("web", web, logs / "server.log"), *background_programs(logs, warnings)]
        if simulation_enabled():
            rate = env_str("AMANE_DEMO_CALL_RATE", "2")
            argv = [*MANAGE, "simulate_calls", "--city", "Rabat", "--rate", rate, "-v", "0"]
            programs.append(Program("simulator", argv, logs / "simulate.log"))
        supervisor = Supervisor(programs, stop_timeout=10, say=self.stderr.write, cwd=BASE_DIR)
        threading.Thread(target=self.announce, args=(bind, warnings), daemon=True).start()
        if supervisor.run():
            raise CommandError("the demo could not start: see var/log/server.log and the other logs there.")

    def announce(self, bind: str, warnings: list[str]) -> None:
        """The banner once the server answers (and the queue's health when the project has it)."""
        if not wait_for_port(bind, STARTUP_TIMEOUT):
            self.stderr.write(f"The server did not answer on {bind} within a minute: see var/log/server.log.")
            return
        self.stdout.write(banner(bind))
        for line in warnings:
            self.stdout.write(f"  Note: {line}")
        if has_command("queue_health"):
            try:
                call_command("queue_health")
            except Exception as exc:  # a report, not a reason to stop the demo
                self.stderr.write(f"  (queue health unavailable: {exc})")
        self.stdout.flush()
