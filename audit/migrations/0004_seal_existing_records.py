"""Seal the records written under the old SHA-256 chain into the keyed chain, in their old order.

The old chain is verified first: sealing it as it stands would launder any tampering into a chain
that verifies. A broken old chain stops the migration unless AMANE_AUDIT_ACCEPT_BROKEN_CHAIN=1 (the
operator has looked at the problems, printed here, and accepts them as the new starting point).

It uses `audit.chain`, whose format is a contract with every sealed record anyway.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

from audit.chain import GENESIS, audit_key, chain_mac, entry_mac, new_nonce, stored_content
from core.env import env_bool

BATCH = 2000
SEAL_FIELDS = ["nonce", "entry_mac", "position", "prev_mac", "mac"]


def _old_hash(prev_hash, rec):
    content = {
        "seq": rec.seq,
        "at": rec.at.isoformat(timespec="microseconds"),
        "actor": rec.actor_id,
        "actor_label": rec.actor_label,
        "action": rec.action,
        "object": f"{rec.object_type}:{rec.object_id}",
        "before": rec.before,
        "after": rec.after,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(prev_hash.encode() + canonical.encode()).hexdigest()


def _old_problems(AuditRecord, AuditHead):
    problems, prev, expected = [], GENESIS, 1
    for rec in AuditRecord.objects.order_by("seq").iterator(chunk_size=BATCH):
        if rec.seq != expected:
            problems.append(f"records {expected}..{rec.seq - 1} missing")
        elif rec.prev_hash != prev:
            problems.append(f"record {rec.seq} relinked")
        if _old_hash(rec.prev_hash, rec) != rec.hash:
            problems.append(f"record {rec.seq} edited")
        prev, expected = rec.hash, rec.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq, head.hash) != (expected - 1, prev):
        problems.append(f"chain ends at {expected - 1} but its head says {head.seq}")
    return problems


def seal_existing(apps, schema_editor):
    AuditRecord = apps.get_model("audit", "AuditRecord")
    problems = _old_problems(AuditRecord, apps.get_model("audit", "AuditHead"))
    if problems:
        listing = "\n  ".join(problems[:50])
        if not env_bool("AMANE_AUDIT_ACCEPT_BROKEN_CHAIN", False):
            raise RuntimeError(
                f"the old audit chain is broken; not sealing it:\n  {listing}\n"
                "Set AMANE_AUDIT_ACCEPT_BROKEN_CHAIN=1 to seal it as it stands."
            )
        print(f"\n  sealing a broken old audit chain as it stands:\n  {listing}")  # noqa: T201
    key, position, head, batch = audit_key(), 0, GENESIS, []
    for rec in AuditRecord.objects.order_by("seq").iterator(chunk_size=BATCH):
        rec.nonce = new_nonce()
        rec.entry_mac = entry_mac(key, stored_content(rec))
        position += 1
        rec.position, rec.prev_mac = position, head
        rec.mac = head = chain_mac(key, head, position, rec.entry_mac)
        batch.append(rec)
        if len(batch) >= BATCH:
            AuditRecord.objects.bulk_update(batch, SEAL_FIELDS)
            batch = []
    AuditRecord.objects.bulk_update(batch, SEAL_FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_keyed_chain_fields'),
    ]

    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
