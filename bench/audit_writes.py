"""Audited writes per second on PostgreSQL with 1, 2, 4 and 8 concurrent writers: does the audit
serialise writes?

    .venv/bin/python bench/audit_writes.py [--seconds 5] [--hold-ms 0,2] [--writers 1,2,4,8] [--root DIR]

Each writer is a thread with its own connection running, in a loop, what every service does: a
transaction with one `audit_record` followed by the rest of the service's work, simulated by
`pg_sleep(hold)` (the time the transaction stays open after its audit record: other inserts, the
commit). With a global lock taken by `audit_record` (the old `AuditHead` row), the rate cannot pass
1 / (hold + commit) whatever the number of writers; without one, it grows with the writers until the
cores or the disk give out. `--root` runs the same measurement against another checkout (for
example the code before the sealer: `git archive <commit> | tar -x -C /tmp/old`).

The database named by `AMANE_BENCH_AUDIT_DATABASE_URL` (default
`postgres://postgres@127.0.0.1:5432/amane_bench_audit`) is dropped and re-created. Results go to
`bench/results/audit-writes-<timestamp>.json`. With code that has a sealer, one `seal_pending` then
seals the backlog the writers left, and its rate is reported (the sealer must outrun the writers).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

HERE = Path(__file__).resolve().parent.parent
RESULTS = HERE / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amane_bench_audit"


def log(msg: str) -> None:
    print(f"[audit-writes] {msg}", flush=True)


def prepare(url: str, root: Path) -> None:
    """A fresh database migrated by the code under test, and Django set up on it in this process."""
    dbname = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    env = {**os.environ, "AMANE_DATABASE_URL": url, "AMANE_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "amane.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=root, env=env, check=True)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("AMANE_", "DJANGO_"))})
    sys.path.insert(0, str(root))
    import django

    django.setup()


def measure(writers: int, seconds: float, hold_s: float) -> dict[str, Any]:
    """Audited transactions committed per second by `writers` threads during `seconds`."""
    from django.db import connection, connections, transaction

    from audit.services import audit_record

    stop = threading.Event()
    start = threading.Barrier(writers + 1)
    counts: list[int] = []
    errors: list[str] = []

    def writer(k: int) -> None:
        done = 0
        try:
            start.wait()
            while not stop.is_set():
                with transaction.atomic():
                    audit_record(actor=None, action="unit.create", object_type="bench", object_id=f"{k}-{done}")
                    if hold_s:
                        with connection.cursor() as cur:
                            cur.execute("SELECT pg_sleep(%s)", [hold_s])
                done += 1
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            counts.append(done)
            connections.close_all()

    pool = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(writers)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(errors[:3])
    return {"writers": writers, "hold_ms": hold_s * 1000, "commits": sum(counts), "per_s": round(sum(counts) / wall, 1)}


def seal_backlog() -> dict[str, Any] | None:
    """How fast one sealer seals the backlog the writers left (code with a sealer only)."""
    from audit import services

    seal_pending = getattr(services, "seal_pending", None)
    if seal_pending is None:
        return None
    t0 = time.perf_counter()
    result = seal_pending(limit=10**9, checkpoint=True)
    seconds = time.perf_counter() - t0
    return {"sealed": result.sealed, "seconds": round(seconds, 2), "per_s": round(result.sealed / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement (default 5)")
    parser.add_argument("--hold-ms", default="0,2", help="ms the transaction stays open after audit_record")
    parser.add_argument("--writers", default="1,2,4,8", help="concurrent writers to try")
    parser.add_argument("--root", type=Path, default=HERE, help="checkout whose audit_record is measured")
    parser.add_argument(
        "--database-url", default=os.environ.get("AMANE_BENCH_AUDIT_DATABASE_URL", DEFAULT_URL), help="re-created"
    )
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    os.environ["AMANE_AUDIT_DIR"] = str(RESULTS / f"audit-writes-{stamp}")  # the new database's own checkpoints
    log(f"code under test: {args.root}; database {args.database_url}")
    prepare(args.database_url, args.root.resolve())
    load_before = os.getloadavg()
    rows = []
    for hold in (float(h) / 1000 for h in args.hold_ms.split(",")):
        for writers in (int(w) for w in args.writers.split(",")):
            rows.append(measure(writers, args.seconds, hold))
            r = rows[-1]
            log(f"hold {r['hold_ms']:.0f} ms, {writers} writer(s): {r['per_s']:>8.1f} audited commits/s")
    sealing = seal_backlog()
    if sealing:
        log(f"sealer: {sealing['sealed']} records sealed in {sealing['seconds']} s ({sealing['per_s']}/s, one process)")
    summary = {
        "benchmark": "audit-writes",
        "at": stamp,
        "root": str(args.root),
        "git": subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=args.root, capture_output=True, text=True
        ).stdout.strip(),
        "rows": rows,
        "sealing": sealing,
        "load_average": {"before": load_before, "end": os.getloadavg()},
        "cores": os.cpu_count(),
    }
    out = RESULTS / f"audit-writes-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    log(f"load average before / after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
