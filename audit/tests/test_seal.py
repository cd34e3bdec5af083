"""The sealer: chain order is the order of commit as the sealer sees it, writers never wait on a
shared row, one sealer at a time, checkpoints on their cadence and handed to a third party."""

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from audit.chain import audit_key
from audit.checkpoints import append_checkpoint, checkpoints_path
from audit.models import AuditRecord
from audit.services import audit_record, audit_verify, seal_pending
from audit.services.seal import _take_sealer_lock
from audit.tests.factories import rewrite_chain, sealed, with_key, write_records

ROOT = Path(__file__).resolve().parents[2]


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite admits one writer at a time)")


def write_one(object_id: str) -> AuditRecord:
    """One audited write that fails instead of waiting if anything holds a lock it needs."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '5s'")
        return audit_record(actor=None, action="unit.create", object_type="t", object_id=object_id)


class OpenTransaction(threading.Thread):
    """A thread that does `work` inside a transaction on its own connection and keeps the
    transaction open until `release` is set."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.ready, self.release, self.result, self.error = (
            work,
            threading.Event(),
            threading.Event(),
            None,
            None,
        )

    def run(self):
        try:
            with transaction.atomic():
                self.result = self.work()
                self.ready.set()
                assert self.release.wait(60)
        except Exception as exc:  # reported by the test
            self.error = exc
        finally:
            self.ready.set()
            connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_and_a_late_commit_is_sealed_later():
    """GIVEN a transaction that wrote an audit record and stays open WHEN another one writes and
    commits THEN it does not wait (no shared row is locked); the sealer seals the committed one,
    and the first, committed later with the lower id, gets the next position: no gap, no reorder."""
    needs_postgres()
    slow = OpenTransaction(lambda: audit_record(actor=None, action="unit.create", object_type="t", object_id="slow"))
    slow.start()
    assert slow.ready.wait(30) and slow.error is None
    fast = write_one("fast")  # with the old AuditHead lock this raised after lock_timeout
    assert seal_pending().sealed == 1
    assert AuditRecord.objects.get(pk=fast.pk).position == 1
    slow.release.set()
    slow.join(60)
    assert slow.error is None
    assert seal_pending(checkpoint=True).sealed == 1
    late = AuditRecord.objects.get(pk=slow.result.pk)
    assert late.pk < fast.pk and late.position == 2
    assert audit_verify().problems == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_sealer_at_a_time_and_writers_never_wait_for_it():
    """GIVEN a sealer holding the sealer lock WHEN a service writes THEN it commits at once; a second
    sealer waits for the lock (seen waiting in pg_locks) and seals once it is free."""
    needs_postgres()
    write_records(2)
    holder = OpenTransaction(_take_sealer_lock)
    holder.start()
    assert holder.ready.wait(30) and holder.error is None
    write_one("during sealing")
    second = threading.Thread(target=lambda: (seal_pending(), connections.close_all()), daemon=True)
    second.start()
    waiting = 0
    for _ in range(300):  # until the second sealer is seen queued on the lock
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            waiting = cur.fetchone()[0]
        if waiting:
            break
        time.sleep(0.1)
    assert waiting == 1 and second.is_alive()
    assert not AuditRecord.objects.filter(position__isnull=False).exists()
    holder.release.set()
    holder.join(60)
    second.join(60)
    assert [r.position for r in sealed()] == [1, 2, 3]


def test_rolled_back_transactions_leave_no_sealed_gap(db):
    """GIVEN records written around a service that rolled back (its id is consumed on PostgreSQL)
    THEN positions stay dense and nothing is reported removed."""
    write_records(2)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=None, action="unit.create", object_type="t", object_id="rolled back")
        raise ZeroDivisionError
    write_records(2, prefix="after")
    seal_pending(checkpoint=True)
    records = sealed()
    assert [r.position for r in records] == [1, 2, 3, 4]
    assert "rolled back" not in {r.object_id for r in records}
    if connection.vendor == "postgresql":
        assert records[2].pk - records[1].pk == 2  # the hole in the ids is real
    assert audit_verify().problems == []


def test_checkpoints_every_n_records_or_t_seconds(db, settings):
    settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_SECONDS = 5, 600
    write_records(3)
    assert seal_pending().checkpoint.position == 3  # the first one at once
    write_records(3)
    assert seal_pending().checkpoint is None  # 3 records since, 0 s since
    write_records(2)
    assert seal_pending().checkpoint.position == 8  # 5 records since
    write_records(1)
    assert seal_pending().checkpoint is None
    later = timezone.now() + timedelta(seconds=601)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert seal_pending().checkpoint.position == 9  # 600 s since
        assert seal_pending().checkpoint is None  # nothing new: an idle log signs nothing
    lines = [json.loads(line) for line in checkpoints_path().read_text().splitlines()]
    assert [c["position"] for c in lines] == [3, 8, 9]
    assert append_checkpoint(position=8, head=lines[1]["head"], force=True) is None  # never backwards


def test_sealer_command_seals_and_signs(db):
    write_records(4)
    call_command("audit_sealer", "--once")
    assert [r.position for r in sealed()] == [1, 2, 3, 4]
    assert json.loads(checkpoints_path().read_text())["position"] == 4


def test_third_party_copy_catches_a_rewrite_by_someone_holding_both_keys(db, tmp_path, monkeypatch, capsys):
    """GIVEN checkpoints exported to a third party with the public key WHEN an attacker holding the
    HMAC key and the server's var/ rewrites the chain, replaces the signing key and re-signs a new
    checkpoints file THEN the local verification passes, and the third party's copy does not."""
    write_records(6)
    seal_pending(checkpoint=True)
    export, pinned = tmp_path / "export.jsonl", tmp_path / "amane-audit.pem"
    call_command("audit_checkpoints", "export", "--output", str(export))
    call_command("audit_checkpoints", "public-key")
    pinned.write_text(capsys.readouterr().out)
    header = json.loads(export.read_text().splitlines()[0])
    assert header["public_key"] == pinned.read_text() and len(export.read_text().splitlines()) == 2

    def edit(rec):
        if rec.position == 2:
            rec.actor_label = "nobody"

    rewrite_chain(**with_key(audit_key()), edit=edit)
    monkeypatch.setenv("AMANE_AUDIT_SIGNING_KEY", "the attacker's own signing key")
    checkpoints_path().unlink()
    seal_pending(checkpoint=True)
    assert audit_verify().problems == []  # everything local is the attacker's
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit_verify", "--checkpoints", str(export), "--public-key", str(pinned))
    assert "position 6: rewritten: differs from the signed checkpoint of" in capsys.readouterr().out


def test_export_since_a_position(db, settings):
    settings.AUDIT_CHECKPOINT_RECORDS = 1
    for _ in range(3):
        write_records(2)
        seal_pending()
    buffer = io.StringIO()
    call_command("audit_checkpoints", "export", "--since", "2", stdout=buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert "public_key" in lines[0] and [c["position"] for c in lines[1:]] == [4, 6]


def test_a_line_appended_by_someone_else_does_not_stop_the_checkpoints(db):
    """GIVEN an attacker's line claiming a huge position at the end of the file THEN the sealer
    still signs its next checkpoint, and verification names the stranger."""
    write_records(2)
    seal_pending(checkpoint=True)
    with open(checkpoints_path(), "a") as fh:
        fh.write(
            json.dumps(
                {
                    "origin": "amane",
                    "position": 10**9,
                    "head": "00" * 32,
                    "at": "2026-01-01T00:00:00+00:00",
                    "mac_key": "x",
                    "key_id": "y",
                    "sig": "AAAA",
                }
            )
            + "\n"
        )
    write_records(1)
    assert seal_pending(checkpoint=True).checkpoint.position == 3
    assert [p.kind for p in audit_verify().problems] == ["forged"]


def test_numbers_survive_the_database_json(db):
    """jsonb spells numbers its own way (1e16 → 10000000000000000, -0.0 → 0): MACs still match."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action="unit.create",
            object_type="t",
            object_id="n",
            after={"big": 1e16, "zero": -0.0, "half": 0.5, "tiny": 1e-07, "list": [2.0, 3]},
        )
    seal_pending(checkpoint=True)
    assert audit_verify().problems == []


@pytest.mark.django_db(transaction=True)
def test_sealer_process_seals_what_services_commit_and_stops_on_sigterm(tmp_path, settings):
    """GIVEN `manage.py audit_sealer` running as its own process WHEN services commit records THEN
    they get sealed without anyone calling seal_pending, and SIGTERM ends the process cleanly."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    # A checkpoint whenever the chain grew, so the last one names the last record.
    env = {
        **os.environ,
        "AMANE_DATABASE_URL": url,
        "AMANE_AUDIT_DIR": str(settings.AUDIT_DIR),
        "AMANE_AUDIT_CHECKPOINT_SECONDS": "0",
    }
    sealer = subprocess.Popen(
        [sys.executable, "manage.py", "audit_sealer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        write_records(3)
        for _ in range(600):  # until sealed (the sealer's pause is 250 ms)
            if not AuditRecord.objects.filter(position__isnull=True).exists():
                break
            time.sleep(0.05)
        assert [r.position for r in sealed()] == [1, 2, 3]
    finally:
        sealer.send_signal(signal.SIGTERM)
        out, _ = sealer.communicate(timeout=30)
    assert sealer.returncode == 0, out
    assert json.loads(checkpoints_path().read_text().splitlines()[-1])["position"] == 3
