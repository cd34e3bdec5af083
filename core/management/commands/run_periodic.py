import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from amane.periodic import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of amane/periodic.py on their intervals (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once and exit.")

    def handle(self, *args, once=False, **options):
        next_run = dict.fromkeys((path for path, _ in PERIODIC_TASKS), 0.0)
        while True:
            now = time.monotonic()
            for path, interval in PERIODIC_TASKS:
                if now >= next_run[path]:
                    import_string(path).enqueue()
                    next_run[path] = now + interval
            if once:
                return
            time.sleep(max(1.0, min(next_run.values()) - time.monotonic()))
