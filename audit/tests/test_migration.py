"""Records written under the old SHA-256 chain are sealed into the keyed chain, in their old order,
and only if the old chain was intact (migration 0004)."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.chain import GENESIS
from audit.services import audit_verify, seal_pending
from audit.tests.factories import sealed

OLD, NEW = ("audit", "0002_initial"), ("audit", "0005_drop_sha256_chain")
old_hash = importlib.import_module("audit.migrations.0004_seal_existing_records")._old_hash


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def write_old_chain(apps, n, *, tamper_at=None):
    """n records as the old code chained them: dense seq, sha256 over the previous hash, a head row.
    Their ids run backwards so that the old order (seq) differs from the id order."""
    record, head_model = apps.get_model("audit", "AuditRecord"), apps.get_model("audit", "AuditHead")
    prev, start = GENESIS, timezone.now() - timedelta(days=3)
    for seq in range(1, n + 1):
        rec = record(
            id=1000 - seq,
            seq=seq,
            at=start + timedelta(minutes=seq),
            actor_label="system",
            action="unit.create",
            object_type="org.unit",
            object_id=str(seq),
            after={"code": f"U{seq}"},
            prev_hash=prev,
        )
        rec.hash = prev = old_hash(prev, rec)
        if seq == tamper_at:
            rec.object_id = "tampered"
        rec.save()
    head_model.objects.create(id=1, seq=n, hash=prev)


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(OLD)
    yield apps
    migrate(NEW)


def test_old_chain_is_sealed_in_its_old_order(old_schema):
    write_old_chain(old_schema, 5)
    migrate(NEW)
    records = sealed()
    assert [(r.position, r.object_id) for r in records] == [(p, str(p)) for p in range(1, 6)]
    assert records[0].pk > records[-1].pk  # the old order, not the id order
    seal_pending(checkpoint=True)  # the sealer's first pass signs the migrated head
    assert audit_verify().problems == []


def test_broken_old_chain_is_not_laundered(old_schema, monkeypatch):
    write_old_chain(old_schema, 4, tamper_at=2)
    with pytest.raises(RuntimeError, match="record 2 edited"):
        migrate(NEW)
    monkeypatch.setenv("AMANE_AUDIT_ACCEPT_BROKEN_CHAIN", "1")
    migrate(NEW)
    assert [r.object_id for r in sealed()] == ["1", "tampered", "3", "4"]
