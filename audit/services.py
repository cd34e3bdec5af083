"""Appending to the audit chain and verifying it.

`audit_record` must be called inside the service's own transaction: the record commits or rolls
back with the change it describes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from audit.actions import ACTIONS
from audit.models import AuditHead, AuditRecord

GENESIS = "0" * 64


def _canonical(rec: dict[str, Any]) -> bytes:
    return json.dumps(rec, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def _content(
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object": f"{object_type}:{object_id}",
        "before": before,
        "after": after,
    }


def compute_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(content)).hexdigest()


def _jsonable(value: Any) -> Any:
    # Round-trip through the encoder so the stored JSON and the hashed JSON are the same thing.
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


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
    """Append one record to the chain (inside the caller's transaction)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if action not in ACTIONS:
        raise ValueError(f"undeclared audit action {action!r}: declare it in audit/actions.py")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    seq = head.seq + 1
    at = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = getattr(actor, "username", "") or ("system" if actor is None else str(actor))
    before, after = _jsonable(before), _jsonable(after)
    content = _content(seq, at, actor_id, actor_label, action, object_type, object_id, before, after)
    digest = compute_hash(head.hash, content)
    record = AuditRecord.objects.create(
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        prev_hash=head.hash,
        hash=digest,
    )
    AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
    return record


@dataclass
class VerifyProblem:
    seq: int
    kind: str
    detail: str


def audit_verify(*, batch: int = 5000) -> list[VerifyProblem]:
    """Walk the chain; report edited rows (hash mismatch), removed rows (gaps) and a cut tail."""
    problems: list[VerifyProblem] = []
    prev_hash = GENESIS
    expected_seq = 1
    last = 0
    qs = AuditRecord.objects.order_by("seq")
    for rec in qs.iterator(chunk_size=batch):
        if rec.seq != expected_seq:
            problems.append(
                VerifyProblem(expected_seq, "removed", f"records {expected_seq}..{rec.seq - 1} are missing")
            )
            prev_hash = rec.prev_hash  # resynchronise so one removal is reported once
        if rec.prev_hash != prev_hash:
            problems.append(VerifyProblem(rec.seq, "relinked", "previous-hash link does not match the chain"))
        content = _content(
            rec.seq,
            rec.at,
            rec.actor_id,
            rec.actor_label,
            rec.action,
            rec.object_type,
            rec.object_id,
            rec.before,
            rec.after,
        )
        if compute_hash(rec.prev_hash, content) != rec.hash:
            problems.append(
                VerifyProblem(
                    rec.seq,
                    "edited",
                    f"content does not match its hash ({rec.action} {rec.object_type}:{rec.object_id})",
                )
            )
        prev_hash = rec.hash
        expected_seq = rec.seq + 1
        last = rec.seq
    head = AuditHead.objects.filter(id=1).first()
    if head and head.seq != last:
        problems.append(VerifyProblem(last + 1, "removed", f"the chain ends at {last} but its head says {head.seq}"))
    elif head and head.hash != prev_hash:
        problems.append(VerifyProblem(last, "edited", "the last record does not match the chain head"))
    return problems
