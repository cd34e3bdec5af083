"""`manage.py queue_health`: the task queue in one line, then what is wrong if anything.

Exit status: 0 healthy, 1 unhealthy, 2 the database does not answer (for monitoring probes).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db.utils import DatabaseError

from jobs.health import queue_health


class Command(BaseCommand):
    help = "Print the task queue's health; exit 1 when unhealthy, 2 when the database is unreachable."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing; only the exit status.")

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        try:
            health = queue_health()
        except DatabaseError as exc:
            if not quiet:
                self.stderr.write(f"queue: database unreachable or not migrated ({exc})")
            sys.exit(2)
        problems = health.problems()
        if not quiet:
            self.stdout.write(f"{health.summary()}: {'unhealthy' if problems else 'healthy'}")
            for problem in problems:
                self.stdout.write(f"  ! {problem}")
        if problems:
            sys.exit(1)
