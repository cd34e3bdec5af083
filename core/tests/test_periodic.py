from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cases.models import Case, Escalation
from core.checks import check_debug_with_public_hosts

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_periodic_sweep_runs_through_the_task_backend(reference_data):
    from cases.models import Category
    from cases.services import ComplainantInput, IntakeInput, complaint_register
    from org.tests.factories import build_org

    org = build_org()
    long_ago = timezone.now() - timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=long_ago):
        case = complaint_register(
            actor=org.desk,
            data=IntakeInput(
                channel="counter",
                category=Category.objects.get(code="theft"),
                description="x",
                complainant=ComplainantInput(anonymous=True),
                latitude=34.0236,
                longitude=-6.8341,
            ),
        )
    with override_settings(TASKS=IMMEDIATE):  # django_tasks reloads its backends on setting_changed
        call_command("run_periodic", once=True)
    assert Case.objects.get(pk=case.pk).overdue
    assert Escalation.objects.filter(case=case, level=1).exists()


@override_settings(DEBUG=True, ALLOWED_HOSTS=["amane.police.ma"])
def test_debug_with_public_host_is_refused():
    errors = check_debug_with_public_hosts(None)
    assert [e.id for e in errors] == ["amane.E001"]


@override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost"])
def test_debug_on_localhost_is_fine():
    assert check_debug_with_public_hosts(None) == []


@pytest.mark.django_db(transaction=True)
def test_database_backend_queue_is_drained_by_db_worker():
    """The production path: run_periodic enqueues a row, db_worker --batch executes it."""
    from django_tasks_db.models import DBTaskResult

    call_command("run_periodic", once=True)
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"cases.tasks.sweep_deadlines", "portal.tasks.requeue_owed_notifications"} <= paths
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_schedule_is_collected_from_the_apps_without_core_naming_them():
    from core.periodic import schedule

    names = [job.name for job in schedule()]
    assert "cases.tasks.sweep_deadlines" in names
    assert all(job.every() >= 1 for job in schedule())
