"""Enqueue the periodic tasks (declared with `core.periodic.periodic` in each app) on their intervals."""

import time

from django.core.management.base import BaseCommand

from core.periodic import schedule


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of every app on their intervals (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once and exit.")

    def handle(self, *args, once=False, **options):
        jobs = schedule()
        next_run = {job.name: 0.0 for job in jobs}
        while True:
            now = time.monotonic()
            for job in jobs:
                if now >= next_run[job.name]:
                    job.task.enqueue()
                    next_run[job.name] = now + max(int(job.every()), 1)
            if once:
                return
            time.sleep(max(1.0, min(next_run.values(), default=now + 60) - time.monotonic()))
