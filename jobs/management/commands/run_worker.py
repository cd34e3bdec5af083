"""`manage.py run_worker`: the supervised task worker (leases, retries, reconnection, clean stop).

Takes the options of django_tasks_db's `db_worker` (which keeps working for whoever calls it, but
without leases: see jobs/worker.py). `--reload` is ignored: reloading kills a task in mid-run.
"""

from __future__ import annotations

import logging
import os
import socket
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from jobs.worker import LeasedWorker


def default_worker_id() -> str:
    """host-pid-random: unique across the fleet, and says where to look when a lease lapses."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Command(db_worker.Command):
    help = "Run the supervised background worker: leases, retry policies, reconnection, clean stop."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id(), reload=False)

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        jobs_logger = logging.getLogger("jobs")
        jobs_logger.setLevel(logging.getLogger("django_tasks_db").level)
        if not jobs_logger.hasHandlers():
            jobs_logger.addHandler(logging.StreamHandler(self.stdout))
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()  # a caller in the same process (call_command) gets its Ctrl-C back
