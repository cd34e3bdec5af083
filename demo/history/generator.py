"""The generator: draws complaints day by day over the years and streams them to PostgreSQL with COPY,
secondary indexes dropped and rebuilt around a large load, the sealer held off while generated audit
records take the next positions of the chain."""

from __future__ import annotations

import io
import math
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS, audit_key
from audit.checkpoints import append_checkpoint
from audit.models import AuditRecord
from audit.services import seal_pending
from audit.services.seal import SEALER_LOCK
from cases.models import ReferenceCounter
from demo.history.calls import CallRows
from demo.history.cases import CaseRows
from demo.history.columns import (
    AUDIT_COLUMNS,
    CASE_COLUMNS,
    CHUNK,
    COMPLAINANT_COLUMNS,
    EVENT_COLUMNS,
    TABLES,
    Stats,
)
from demo.history.timeline import moments
from demo.history.writer import _Writer

# The secondary indexes dropped during a load, noted until they are recreated (see _drop_indexes).
DROPPED_LEDGER = "generate_history_dropped_index"


class HistoryGenerator(CaseRows, CallRows):
    """Generate `cases` complaints over `years` years ending now, into the current database."""

    def __init__(
        self,
        *,
        cases: int,
        seed: int = 2026,
        years: int | None = None,
        audit: str = "create",
        rebuild_indexes: bool | None = None,
        progress: Callable[[int, int, float], None] | None = None,
    ) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_history writes with PostgreSQL COPY: run it against PostgreSQL.")
        self.total = cases
        self.rng = random.Random(seed)
        # A reference number has six digits: keep every (wilaya, year) under a million.
        self.years = years or max(1, math.ceil(cases / 2_500_000))
        self.audit = audit
        self.rebuild_indexes = cases >= 200_000 if rebuild_indexes is None else rebuild_indexes
        self.progress = progress
        self.now = timezone.now().astimezone(UTC).replace(microsecond=0)
        self.key = audit_key()
        self.stats = Stats()
        self._ref_base: dict[tuple[str, int], int] = {}

    # ------------------------------------------------------------ set-up

    def _ids(self) -> None:
        with connection.cursor() as cur:
            self.next_id: dict[str, int] = {}
            for name, table in TABLES.items():
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model table names)
                self.next_id[name] = cur.fetchone()[0] + 1
        self.counters = {(r.prefix, r.year): r.last for r in ReferenceCounter.objects.all()}
        self._reconcile_counters()

    def _reconcile_counters(self) -> None:
        """Continue after the references actually stored. A run killed with its connection (a
        PostgreSQL restart) kept the batches it had committed but could not save its counters; one
        scan of the references (seconds at ten million) makes the next run follow them."""
        with connection.cursor() as cur:
            parts = "substr(reference, 1, 3), substr(reference, 5, 4)::int"
            number = "max(substr(reference, 10, 6)::int)"
            sql = f"SELECT {parts}, {number} FROM {TABLES['case']} WHERE reference ~ %s GROUP BY 1, 2"  # noqa: S608
            cur.execute(sql, ["^[A-Z]{3}-[0-9]{4}-[0-9]{6}-"])
            for prefix, year, last in cur.fetchall():
                if last > self.counters.get((prefix, year), 0):
                    self.counters[(prefix, year)] = last

    # ------------------------------------------------------------ time

    def _moments(self) -> Iterator[datetime]:
        """The creation time of every complaint over the years ending today, oldest first."""
        end = self.now.replace(hour=0, minute=0, second=0)
        n_days = 365 * self.years
        return moments(self.rng, end - timedelta(days=n_days - 1), n_days, self.total, self.now)

    # ------------------------------------------------------------ writing

    def _secondary_indexes(self) -> list[tuple[str, str]]:
        """(name, definition) of the indexes of the loaded tables that no constraint owns."""
        with connection.cursor() as cur:
            cur.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [list(TABLES.values())],
            )
            return list(cur.fetchall())

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the secondary indexes for the load, their definitions noted first in a ledger table in
        the same transaction: a run killed with its connection leaves them for the next run to recreate."""
        dropped = self._secondary_indexes()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {DROPPED_LEDGER} (name text PRIMARY KEY, definition text)")
            for name, definition in dropped:
                cur.execute(
                    f"INSERT INTO {DROPPED_LEDGER} VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",  # noqa: S608 (constant)
                    [name, definition],
                )
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        return dropped

    def _restore_indexes(self) -> None:
        """Recreate the indexes noted in the ledger (this run's, or an interrupted run's), then drop it."""
        with connection.cursor() as cur:
            cur.execute("SELECT to_regclass(%s) IS NOT NULL", [DROPPED_LEDGER])
            if not cur.fetchone()[0]:
                return
            if connection.in_atomic_block:  # a test's transaction: no index is built with checks pending
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"SELECT definition FROM {DROPPED_LEDGER}")  # noqa: S608 (constant)
            for (definition,) in cur.fetchall():
                cur.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            cur.execute(f"DROP TABLE {DROPPED_LEDGER}")

    def run(self) -> Stats:
        started = time.monotonic()
        # Nothing pending may be sealed after our rows with positions taken before them.
        seal_pending(limit=10**9, checkpoint=False)
        self.load_reference_data()
        self._ids()
        last = AuditRecord.objects.filter(position__isnull=False).order_by("-position").values_list("position", "mac")
        row = last.first()
        self.position, self.head = (row[0] or 0, row[1]) if row else (0, GENESIS)  # position is set: filtered
        dropped: list[tuple[str, str]] = []
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            self.superuser = bool(cur.fetchone()[0])
            # The sealer waits while generated records take the next positions.
            cur.execute("SELECT pg_advisory_lock(%s)", [SEALER_LOCK])
        try:
            self._restore_indexes()  # what an interrupted run left dropped
            if self.rebuild_indexes:
                dropped = self._drop_indexes()
            self._write_all()
            index_started = time.monotonic()
            with connection.cursor() as cur:
                cur.execute("SET maintenance_work_mem = '512MB'")
            self._restore_indexes()
            dropped = []
            with connection.cursor() as cur:
                # VACUUM (outside a transaction) also sets the visibility map, without which the
                # capped counts could not be index-only scans; inside one (the tests), ANALYZE.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for table in TABLES.values():
                    cur.execute(f"{verb} {table}")
            self.stats.index_seconds = time.monotonic() - index_started
        finally:
            if dropped:  # a failure half-way still gets its indexes back
                self._restore_indexes()
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", [SEALER_LOCK])
        if self.stats.audit:
            append_checkpoint(position=self.position, head=self.head, force=True)
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def _write_all(self) -> None:
        done = 0
        buffers = {name: io.StringIO() for name in TABLES}
        pending = 0
        # Outside a transaction, a second connection writes one batch while this one builds the
        # next (psycopg waits for the server without holding the GIL): about twice as fast.
        # Inside one (the tests), batches are written in it, in turn.
        writer = None if connection.in_atomic_block else _Writer(self)
        if writer is not None:
            writer.start()

        def flush() -> None:
            nonlocal pending, buffers
            texts = {name: buffers[name].getvalue() for name in TABLES}
            self.stats.events += texts["event"].count("\n")
            self.stats.audit += texts["audit"].count("\n")
            if writer is not None:
                writer.put(texts)
            else:
                with connection.cursor() as cur:
                    self._copy_batch(cur.cursor, texts)
            buffers = {name: io.StringIO() for name in TABLES}
            pending = 0

        try:
            for created in self._moments():
                self._generate(buffers, created)
                pending += 1
                done += 1
                if pending >= CHUNK:
                    flush()
                    if self.progress:
                        self.progress(done, self.total, time.monotonic())
            flush()
        finally:
            if writer is not None:
                writer.finish()
            # Whatever was written (all, or what an interruption left) keeps its numbers and ids:
            # the next intake continues after them.
            self._save_ids()
        if self.progress:
            self.progress(done, self.total, time.monotonic())
        self.stats.cases = done
        self.stats.complainants = done

    def _copy_batch(self, cur: Any, texts: dict[str, str]) -> None:
        for name, columns in (
            ("case", CASE_COLUMNS),
            ("complainant", COMPLAINANT_COLUMNS),
            ("event", EVENT_COLUMNS),
            ("audit", AUDIT_COLUMNS),
        ):
            if texts[name]:
                cols = ", ".join(connection.ops.quote_name(c) for c in columns)
                with cur.copy(f"COPY {TABLES[name]} ({cols}) FROM STDIN") as copy:
                    copy.write(texts[name])

    def _save_ids(self) -> None:
        """The reference counters and id sequences, past what was written."""
        with connection.cursor() as cur:
            self._save_counters(cur)
            for table in TABLES.values():
                cur.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 (model table names)
                last = cur.fetchone()[0]
                if last:
                    cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])

    def _save_counters(self, cur: Any) -> None:
        table = ReferenceCounter._meta.db_table
        cur.executemany(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, %s) "  # noqa: S608 (model table name)
            "ON CONFLICT (prefix, year) DO UPDATE SET last = GREATEST(EXCLUDED.last, " + table + ".last)",
            [(p, y, last) for (p, y), last in self.counters.items()],
        )
