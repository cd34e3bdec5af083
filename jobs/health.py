"""The task queue's health in a few numbers, for `manage.py queue_health` and for monitoring.

Apps add their own counts with `@health_probe("label")` in their `tasks.py` (the portal counts the
notifications owed without a task), as they declare periodic sweeps with `@periodic`: this module
imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Min
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from jobs import conf

# label -> a count that should be zero when all is well
_PROBES: dict[str, Callable[[], int]] = {}


def health_probe(label: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """Declare a count that queue_health reports, and that makes the queue unhealthy when not 0."""

    def register(probe: Callable[[], int]) -> Callable[[], int]:
        _PROBES[label] = probe
        return probe

    return register


@dataclass(frozen=True)
class QueueHealth:
    ready: int
    running: int
    expired: int  # running tasks whose lease lapsed: their worker died and none reclaimed them yet
    failed_last_hour: int
    oldest_wait_seconds: float  # how long the longest-waiting due task has been due
    probes: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """Why the queue is unhealthy, in words; empty when healthy."""
        found = []
        if self.oldest_wait_seconds > conf.queue_max_wait_seconds():
            found.append(
                f"a due task has waited {self.oldest_wait_seconds:.0f}s (limit {conf.queue_max_wait_seconds()}s):"
                " no worker, or too few"
            )
        if self.expired:
            found.append(f"{self.expired} running task(s) with an expired lease: is any worker running?")
        if self.failed_last_hour > conf.queue_max_failed_per_hour():
            found.append(f"{self.failed_last_hour} task(s) failed in the last hour")
        found.extend(f"{label}: {count}" for label, count in self.probes.items() if count)
        return found

    def summary(self) -> str:
        probes = "".join(f", {label} {count}" for label, count in self.probes.items())
        return (
            f"tasks: ready {self.ready} (oldest waits {self.oldest_wait_seconds:.0f}s), running {self.running}"
            f" ({self.expired} with an expired lease), failed in the last hour {self.failed_last_hour}{probes}"
        )


def _oldest_wait_seconds(now: datetime) -> float:
    """A due task is due since it was enqueued (no run_after) or since its run_after."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    since = [
        ready.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"],
        ready.filter(run_after__lte=now).aggregate(t=Min("run_after"))["t"],
    ]
    return max([(now - t).total_seconds() for t in since if t is not None], default=0.0)


def queue_health() -> QueueHealth:
    """Count the queue (a handful of indexed queries) and run every app's probe."""
    autodiscover_modules("tasks")
    now = timezone.now()
    running = DBTaskResult.objects.running()
    return QueueHealth(
        ready=DBTaskResult.objects.ready().count(),
        running=running.count(),
        expired=running.filter(lease__expires_at__lt=Now()).count(),
        failed_last_hour=DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(hours=1)).count(),
        oldest_wait_seconds=_oldest_wait_seconds(now),
        probes={label: int(probe()) for label, probe in sorted(_PROBES.items())},
    )
