"""The sealer: gives committed records their chain position and chain MAC, then checkpoints the head.

Why the chain order is the sealer's and not the id's: ids come from a sequence when a row is
inserted, but transactions commit later and in any order, and a rolled-back one leaves a hole in the
ids. A sealer that chained by id would either wait for holes that never fill or skip a row that
commits a moment later. So a batch takes the rows that are committed *now* and still unsealed, in id
order (stable), and numbers them from the last sealed position: positions are dense, a rolled-back
row was never visible and leaves no gap, and a row that commits late is simply sealed in a later
batch, after rows with higher ids.

One sealer at a time: a batch takes a transaction-scoped lock that only sealers take (a PostgreSQL
advisory lock; on SQLite the IMMEDIATE write transaction already admits one writer). Writers never
take it, and the batch only updates rows that are already committed, so no writer waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from audit.chain import GENESIS, audit_key, chain_mac
from audit.checkpoints import Checkpoint, append_checkpoint
from audit.models import AuditRecord

# pg_advisory_xact_lock key: "amane.audit.sealer" as a number nobody else uses.
SEALER_LOCK = 0x616D_616E_6561_7564


@dataclass(frozen=True)
class SealResult:
    sealed: int
    position: int
    head: str
    checkpoint: Checkpoint | None


def seal_pending(*, batch: int = 2000, limit: int = 100_000, checkpoint: bool | None = None) -> SealResult:
    """Seal what is committed and unsealed (up to `limit` records, `batch` per transaction), then
    write a signed checkpoint when one is due (`checkpoint=True` forces one if the chain grew,
    `False` writes none).

    Call it outside any transaction in production (the sealer command does): the checkpoint must
    name a committed head. Tests call it inside theirs, with a checkpoints file of their own.
    """
    key = audit_key()
    sealed = 0
    position, head = _head()
    while sealed < limit and _has_pending():
        count, position, head = _seal_batch(key, min(batch, limit - sealed))
        sealed += count
        if count == 0:
            break
    return SealResult(sealed, position, head, append_checkpoint(position=position, head=head, force=checkpoint))


def _head() -> tuple[int, str]:
    """The last sealed position and its chain MAC (GENESIS before the first record)."""
    last = AuditRecord.objects.filter(position__isnull=False).order_by("-position").values_list("position", "mac")
    row = last.first()
    return (row[0], row[1]) if row and row[0] is not None else (0, GENESIS)


def _has_pending() -> bool:
    # Outside the batch's transaction: an idle sealer never takes SQLite's write lock.
    return AuditRecord.objects.filter(position__isnull=True).exists()


def _seal_batch(key: bytes, size: int) -> tuple[int, int, str]:
    with transaction.atomic():
        _take_sealer_lock()
        position, head = _head()
        pending = list(
            AuditRecord.objects.filter(position__isnull=True).order_by("id").values_list("id", "entry_mac")[:size]
        )
        rows: list[tuple[int, str, str, int]] = []
        for record_id, entry in pending:
            position += 1
            try:
                mac = chain_mac(key, head, position, entry)
            except ValueError:
                # A row inserted behind the application's back with a malformed entry MAC: sealed
                # all the same (the chain records what was there), and audit_verify reports it.
                mac = chain_mac(key, head, position, GENESIS)
            rows.append((position, head, mac, record_id))
            head = mac
        if rows:
            _write_seals(rows)
    return len(rows), position, head


def _take_sealer_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])


def _write_seals(rows: list[tuple[int, str, str, int]]) -> None:
    quote = connection.ops.quote_name
    table = quote(AuditRecord._meta.db_table)
    # `position IS NULL`: a row is sealed once; one statement, pipelined by psycopg's executemany.
    statement = (
        f"UPDATE {table} SET {quote('position')} = %s, {quote('prev_mac')} = %s, {quote('mac')} = %s "  # noqa: S608
        f"WHERE {quote('id')} = %s AND {quote('position')} IS NULL"
    )
    with connection.cursor() as cur:
        cur.executemany(statement, rows)
