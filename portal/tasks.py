"""Background work of the portal: sending notifications (Django Tasks API, database backend).

django_tasks has no retry of its own. The sending task declares its policy (`jobs.policy.retry`,
the same `conf.NOTIFY_RETRY` the service follows): a run that crashed or lost its worker is run
again by the workers (jobs/worker.py), and a refusal of the gateway is retried by
`services.notification_send` itself, which enqueues the next attempt with a delay. A periodic sweep
re-queues the notifications a crash left without any task.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.periodic import periodic
from jobs.health import health_probe
from jobs.policy import retry
from portal import conf
from portal.selectors import notifications_owed_without_task
from portal.services import notification_requeue_owed, notification_send


@retry(conf.NOTIFY_RETRY)
@task()
def send_notification(notification_id: int, attempt: int = 1) -> str:
    """Send one notification (ids only: the task loads what it needs)."""
    return notification_send(notification_id=notification_id, attempt=attempt)


@periodic(every=lambda: settings.PERIODIC_INTERVAL_SECONDS)
@retry(max_attempts=3, base_delay=30)
@task()
def requeue_owed_notifications() -> int:
    """Queue again the notifications a crash left without a task; safe to run any number of times."""
    return notification_requeue_owed()


@health_probe("notifications owed without a task")
def notifications_owed() -> int:
    return len(notifications_owed_without_task(grace_seconds=conf.notify_sweep_grace_seconds()))
