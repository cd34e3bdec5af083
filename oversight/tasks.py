"""Background work of the oversight app: the grievance deadline sweep."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.periodic import periodic
from jobs.policy import retry
from oversight.services import grievances_sweep


@periodic(every=lambda: settings.PERIODIC_INTERVAL_SECONDS)
@retry(max_attempts=3, base_delay=30)
@task()
def sweep_grievances() -> dict[str, int]:
    """Mark grievances not routed or answered in time and escalate them; idempotent."""
    return grievances_sweep()
