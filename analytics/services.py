"""Writes of the analytics app: the rollups are derived data, rebuilt on demand with an audit trace."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from analytics import rollups
from audit.services import audit_record
from org.models import User


@transaction.atomic
def rollups_rebuild(*, actor: User | None) -> dict[str, Any]:
    """Recompute every rollup from the records; the counts go to the audit log."""
    counts = rollups.rebuild()
    audit_record(actor=actor, action="analytics.rollups_rebuild", obj=None, after=counts)
    return counts
