"""Background work of the analytics app: keeping the rollups current."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks import task

from analytics import rollups
from analytics.review.services import roadmap_sweep
from core.periodic import periodic


@periodic(every=lambda: settings.PERIODIC_INTERVAL_SECONDS)
@task()
def refresh_rollups() -> dict[str, Any]:
    """Bring the indicators' rollups up to date with the records (idempotent, any number of times)."""
    return rollups.refresh()


@periodic(every=lambda: 6 * 3600)
@task()
def roadmap_alerts() -> dict[str, Any]:
    """Alert the chiefs when a unit missed the interim target of the quarter just over (idempotent;
    a few times a day is enough: quarters end four times a year)."""
    return roadmap_sweep()
