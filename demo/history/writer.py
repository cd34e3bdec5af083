"""Writing batches on a second connection while the next one is built, and the progress bar."""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psycopg
from django.db import connection

if TYPE_CHECKING:
    from demo.history.generator import HistoryGenerator


class _Writer(threading.Thread):
    """Writes the batches it is handed on a connection of its own, each batch in one transaction."""

    def __init__(self, generator: HistoryGenerator) -> None:
        super().__init__(name="generate-history-writer", daemon=True)
        self.generator = generator
        self.batches: queue.Queue[dict[str, str] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        s = connection.settings_dict
        self.conn = psycopg.connect(
            dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or None
        )
        self.superuser = generator.superuser

    def put(self, texts: dict[str, str]) -> None:
        if self.error is not None:
            raise RuntimeError("writing the generated history failed") from self.error
        self.batches.put(texts)

    def run(self) -> None:
        while (texts := self.batches.get()) is not None:
            if self.error is not None:
                continue
            try:
                with self.conn.transaction(), self.conn.cursor() as cur:
                    cur.execute("SET LOCAL synchronous_commit = off")
                    if self.superuser:
                        # Rows are consistent by construction: no per-row foreign-key trigger.
                        cur.execute("SET LOCAL session_replication_role = replica")
                    self.generator._copy_batch(cur, texts)
            except BaseException as exc:  # reported to the generating thread
                self.error = exc

    def finish(self) -> None:
        self.batches.put(None)
        self.join()
        self.conn.close()
        if self.error is not None:
            raise RuntimeError("writing the generated history failed") from self.error


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int, float], None]:
    """A one-line progress bar with rate and time left."""
    started = time.monotonic()

    def show(done: int, total: int, now: float) -> None:
        elapsed = max(now - started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / max(total, 1))
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>11,}/{total:,} complaints "
            f"{rate:,.0f}/s, {elapsed:,.0f} s, ~{left:,.0f} s left "
        )
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
