"""`manage.py analytics_rebuild`: recompute every rollup from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from analytics.services import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the indicators' rollups from the records (complaints, line 19, readiness, survey)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rollups_rebuild(actor=None)
        for name, value in counts.items():
            self.stdout.write(f"{name}: {value}")
