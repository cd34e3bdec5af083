"""The sweep that finds notifications owed without a task (a crash between a commit and its
enqueue, a run that failed for good after crashes) and queues them again, once; and the queue's
health, which counts them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from jobs.tests.factories import run_due_tasks
from portal.models import Notification, NotificationStatus, OutboxMessage
from portal.selectors import SEND_TASK_PATH
from portal.services import notification_requeue_owed
from portal.tasks import send_notification
from portal.tests.factories import filing_post


@pytest.fixture
def owed(org) -> Notification:
    """A complaint filed online whose notification committed but whose task was never queued (the
    on-commit enqueue of this test's transaction never runs: as if the process died there)."""
    assert filing_post(Client()).status_code == 302
    assert not DBTaskResult.objects.exists()
    return Notification.objects.get()


def test_a_notification_left_without_a_task_is_queued_again_and_sent_once(owed, django_capture_on_commit_callbacks):
    assert notification_requeue_owed(grace_seconds=3600) == 0  # still within its grace period
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_owed(grace_seconds=0) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_owed(grace_seconds=0) == 0  # its task is queued now
    assert run_due_tasks() == 1
    sent = Notification.objects.get(pk=owed.pk)
    assert (sent.status, sent.requeues) == (NotificationStatus.SENT, 1)
    assert OutboxMessage.objects.filter(notification=owed).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_owed(grace_seconds=0) == 0  # sent: nothing owed
    assert run_due_tasks() == 0


def test_a_duplicate_task_for_one_attempt_sends_nothing_more(owed):
    send_notification.enqueue(notification_id=owed.pk, attempt=1)
    send_notification.enqueue(notification_id=owed.pk, attempt=1)
    assert run_due_tasks() == 2
    assert list(DBTaskResult.objects.values_list("return_value", flat=True).order_by("return_value")) == [
        "sent",
        "skipped",
    ]
    assert OutboxMessage.objects.count() == 1


def test_a_send_left_in_doubt_is_settled_with_its_own_attempt(owed, settings, django_capture_on_commit_callbacks):
    """A gateway call whose worker died: the sweep queues the same attempt again (same key)."""
    settings.AMANE_NOTIFY_BACKEND = "portal.tests.test_notification_sweep.RecordingGateway"
    RecordingGateway.keys.clear()
    Notification.objects.filter(pk=owed.pk).update(status=NotificationStatus.SENDING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_owed(grace_seconds=0) == 1
    queued = DBTaskResult.objects.get(task_path=SEND_TASK_PATH)
    assert queued.args_kwargs["kwargs"] == {"notification_id": owed.pk, "attempt": 1}
    run_due_tasks()
    assert RecordingGateway.keys == [f"amane-notification-{owed.pk}-1"]
    assert Notification.objects.get(pk=owed.pk).status == NotificationStatus.SENT


def test_the_sweep_gives_up_after_the_policys_attempts(owed, settings, django_capture_on_commit_callbacks):
    settings.AMANE_NOTIFY_MAX_ATTEMPTS = 2
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert notification_requeue_owed(grace_seconds=0) == 1
        DBTaskResult.objects.all().delete()  # each time, its task is lost again
    assert notification_requeue_owed(grace_seconds=0) == 0
    given_up = Notification.objects.get(pk=owed.pk)
    assert (given_up.status, given_up.requeues) == (NotificationStatus.FAILED, 3)


def test_queue_health_counts_the_owed_notifications_and_fails_the_check(owed, settings, capsys):
    settings.AMANE_NOTIFY_SWEEP_GRACE_SECONDS = 0
    with pytest.raises(SystemExit) as exit_status:
        call_command("queue_health")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert "notifications owed without a task 1" in out and "unhealthy" in out


class RecordingGateway:
    keys: list[str] = []

    def send(self, message) -> None:
        RecordingGateway.keys.append(message.idempotency_key)
