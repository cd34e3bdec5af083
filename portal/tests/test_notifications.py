"""Notifications: a transition the citizen should know about enqueues one task, which sends one
message in the citizen's language; a failing backend is retried a bounded number of times and
never breaks the transition."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.choices import State
from cases.models import Case
from cases.services import TransitionInput, case_transition
from cases.tests.factories import CLOSING_REPORT, qualification
from core import crypto
from portal.models import Notification, NotificationAttempt, NotificationStatus, OnlineFiling, OutboxMessage
from portal.tests.factories import filing_post, run_tasks

FAILURES: list[str] = []


class FailingBackend:
    """A gateway that is down: every send raises."""

    def send(self, message) -> None:
        FAILURES.append(message.body)
        raise ConnectionError("SMS gateway unreachable")


class FlakyBackend:
    """Fails once, then works (and stores in the outbox)."""

    calls = 0

    def send(self, message) -> None:
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise TimeoutError("gateway timeout")
        from portal.notifications import OutboxBackend

        OutboxBackend().send(message)


@pytest.fixture
def filed(org, django_capture_on_commit_callbacks):
    def make(language="ar", contact="sms", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            assert filing_post(Client(), language=language, contact_channel=contact, **fields).status_code == 302
        return Case.objects.order_by("-id").first()

    return make


def test_filing_and_qualification_each_send_one_message_in_the_citizens_language(
    org, filed, django_capture_on_commit_callbacks
):
    case = filed(language="fr")
    assert run_tasks() == 1
    case_qs = OutboxMessage.objects.order_by("id")
    assert case_qs.count() == 1
    received = case_qs.get()
    assert crypto.decrypt(received.recipient_enc) == "+212612345678"
    assert case.reference in received.body and received.language == "fr"
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case=case, actor=org.investigator, transition="qualify", data=TransitionInput(offence=qualification())
        )
    assert Notification.objects.filter(event="qualify").count() == 1
    assert run_tasks() == 1
    qualified = case_qs.last()
    assert qualified.pk != received.pk and case.reference in qualified.body
    assert "plainte" in qualified.body.lower()  # French
    # Steps a citizen need not hear about send nothing.
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, actor=org.investigator, transition="investigate")
    assert run_tasks() == 0
    assert case_qs.count() == 2


def test_no_contact_means_no_message(org, filed):
    filed(contact="none", phone="")
    assert run_tasks() == 0
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_failing_backend_retries_bounded_and_never_breaks_the_transition(
    org, filed, settings, django_capture_on_commit_callbacks
):
    case = filed()
    settings.AMANE_NOTIFY_BACKEND = "portal.tests.test_notifications.FailingBackend"
    settings.AMANE_NOTIFY_MAX_ATTEMPTS = 3
    FAILURES.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = case_transition(
            case=case, actor=org.investigator, transition="qualify", data=TransitionInput(offence=qualification())
        )
    assert moved.state == State.QUALIFIED
    run_tasks()
    assert Case.objects.get(pk=case.pk).state == State.QUALIFIED  # never undone
    for notification in Notification.objects.all():
        assert notification.status == NotificationStatus.FAILED
        assert notification.attempts == 3
        assert list(notification.attempt_log.values_list("number", "ok")) == [(1, False), (2, False), (3, False)]
    assert len(FAILURES) == 6  # two notifications (received, qualified), three attempts each
    assert not OutboxMessage.objects.exists()


def test_a_retry_succeeds_after_a_transient_failure(org, filed, settings):
    settings.AMANE_NOTIFY_BACKEND = "portal.tests.test_notifications.FlakyBackend"
    FlakyBackend.calls = 0
    filed()
    run_tasks()
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SENT and notification.attempts == 2
    assert NotificationAttempt.objects.filter(ok=False).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_closing_sends_the_survey_link(org, filed, django_capture_on_commit_callbacks):
    case = filed(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case=case,
            actor=org.investigator,
            transition="close",
            data=TransitionInput(outcome="unfounded", report=CLOSING_REPORT),
        )
    run_tasks()
    closing = OutboxMessage.objects.order_by("id").last()
    assert "/survey/" in closing.body and case.reference in closing.body


def test_outbox_is_an_administrators_tool_with_masked_addresses(org, filed, client):
    """GIVEN a citizen notified by SMS WHEN staff open the outbox THEN anonymous users go to the
    login page, a chief or a patrol officer gets 403, and the administrator sees the message with
    the number masked and no survey link."""
    from org.choices import Role
    from org.services import user_create
    from org.tests.factories import PASSWORD

    filed()
    run_tasks()
    assert client.get("/outbox/").status_code == 302  # to the staff login
    client.login(username="chief", password=PASSWORD)
    assert client.get("/outbox/").status_code == 403
    admin = user_create(actor=None, username="admin", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    page = client.get("/outbox/").content.decode()
    assert "+2126•••••678" in page
    assert "612345678" not in page and "/survey/" not in page


def test_onlinefiling_phone_is_encrypted(org, filed):
    filed()
    assert "612345678" not in OnlineFiling.objects.get().phone_enc
