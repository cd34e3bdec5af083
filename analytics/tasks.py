"""Background work of the analytics app: keeping the rollups current."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks import task

from analytics import rollups
from core.periodic import periodic


@periodic(every=lambda: settings.PERIODIC_INTERVAL_SECONDS)
@task()
def refresh_rollups() -> dict[str, Any]:
    """Bring the indicators' rollups up to date with the records (idempotent, any number of times)."""
    return rollups.refresh()
