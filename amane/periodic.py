"""Periodic sweeps, declared in one place. `manage.py run_periodic` enqueues each on its interval;
the task workers (`manage.py db_worker`) run them."""

from __future__ import annotations

from django.conf import settings

# (dotted path of a django_tasks task, interval in seconds)
PERIODIC_TASKS: list[tuple[str, int]] = [
    ("cases.tasks.sweep_deadlines", settings.PERIODIC_INTERVAL_SECONDS),
]
