"""Background work of the portal: sending notifications (Django Tasks API, database backend).

django_tasks has no automatic retry: `services.notification_send` re-enqueues the next attempt
itself, with a delay (run_after) and a bounded attempt counter (AMANE_NOTIFY_MAX_ATTEMPTS).
"""

from __future__ import annotations

from django_tasks import task

from portal.services import notification_send


@task()
def send_notification(notification_id: int, attempt: int = 1) -> str:
    """Send one notification (ids only: the task loads what it needs)."""
    return notification_send(notification_id=notification_id, attempt=attempt)
