"""`audit_record`: append one record, inside the caller's transaction, without any shared lock."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from audit.actions import ACTIONS
from audit.chain import audit_key, entry_mac, jsonable, new_nonce, record_content
from audit.models import AuditRecord
from core.inserts import insert


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record (inside the caller's transaction): a plain INSERT with its entry MAC.

    No row is locked and nothing is read, so concurrent writers never wait for each other here; the
    sealer gives the record its chain position after the transaction commits.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if action not in ACTIONS:
        raise ValueError(f"undeclared audit action {action!r}: declare it in audit/actions.py")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": getattr(actor, "username", "") or ("system" if actor is None else str(actor)),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": jsonable(before),
        "after": jsonable(after),
        "nonce": new_nonce(),
    }
    return insert(AuditRecord(**fields, entry_mac=entry_mac(audit_key(), record_content(**fields))))
