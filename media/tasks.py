"""Background work of the media watch: polling the outlets' feeds whose time has come."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic
from media.services import poll_due


@periodic(every=lambda: 60)
@task()
def poll_feeds() -> dict[str, int]:
    """Poll every active feed that is due (each source keeps its own schedule and backoff)."""
    results = poll_due()
    return {
        "polled": len(results),
        "failed": sum(1 for r in results if r.error),
        "stored": sum(r.stored for r in results),
    }
