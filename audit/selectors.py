"""Reads of the audit log (for the reports built on it; the chain itself is `services.audit_verify`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from audit.models import AuditRecord

# What counts as a read of personal data in the reports of the unit chief and the Inspectorate.
PERSONAL_DATA_ACTIONS = ("personal_data.read", "personal_data.lookup", "attachment.read")


def personal_data_reads(actor_ids: Iterable[int] | None, *, since: datetime, until: datetime) -> QuerySet[AuditRecord]:
    """Reads of personal data by these staff members (None: by anyone) in the period, newest first."""
    qs = AuditRecord.objects.filter(action__in=PERSONAL_DATA_ACTIONS, at__gte=since, at__lt=until)
    if actor_ids is not None:
        qs = qs.filter(actor_id__in=list(actor_ids))
    return qs.order_by("-at")
