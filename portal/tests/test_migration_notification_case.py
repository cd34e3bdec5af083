"""Notifications written before they named their case get it from their online filing (portal
migrations 0004 and 0005), on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# org back before its English unit names too: rows are written as the code of that time wrote them
# (name_en has a Python default, not a database one).
OLD = [
    ("portal", "0003_notification_sending_requeues"),
    ("cases", "0006_idempotency_first_answer"),
    ("org", "0005_accounts_security"),
]
NEW = [("portal", "0005_notification_case_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = migrate(OLD)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_old_notifications_get_their_case(old_apps):
    now = timezone.now()
    unit = old_apps.get_model("org", "Unit").objects.create(
        kind="district", code="RBT-X1", name_ar="دائرة", name_fr="District", city="Rabat"
    )
    category = old_apps.get_model("cases", "Category").objects.create(
        code="theft-old", name_ar="سرقة", name_fr="Vol", name_en="Theft", first_action_hours=24, closure_days=30
    )
    case = old_apps.get_model("cases", "Case").objects.create(
        reference="RBT-2026-000001-A",
        tracking_code_enc="x",
        tracking_code_hash="x",
        channel="online",
        category=category,
        description="وقائع",
        assigned_unit=unit,
        created_at=now,
        updated_at=now,
        state_entered_at=now,
        clock_budget=3600,
    )
    filing = old_apps.get_model("portal", "OnlineFiling").objects.create(
        case=case, contact_channel="sms", created_at=now
    )
    old_apps.get_model("portal", "Notification").objects.create(
        filing=filing, event="created", channel="sms", language="ar", created_at=now
    )
    new_apps = migrate(NEW)
    notification = new_apps.get_model("portal", "Notification").objects.get()
    assert notification.case_id == case.pk and notification.filing_id == filing.pk
