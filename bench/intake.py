"""Intake benchmark: complaints accepted per second through the HTTP API on PostgreSQL, against raw
inserts of the same rows with plain psycopg.

    .venv/bin/python bench/intake.py [--n 2000] [--threads 8] [--workers 2]

Steps: drop and re-create the bench database, migrate it, create a small organisation, a
front-desk officer and an API token through the services, start gunicorn (AMANE_DEBUG=0, `--workers`
sync workers) and the audit sealer, drive POST /api/cases from a pool of keep-alive client threads,
wait for the sealer to seal the last record and verify the chain, then insert the same rows (case,
complainant, timeline event, audit record) with psycopg, one transaction per complaint, from the same
number of threads. Prints a summary and writes it to bench/results/intake-<timestamp>.json.

Audited writes take no shared lock (the sealer orders and chains them afterwards), so the API rate
should grow with `--workers` as long as cores allow; compare `--workers 2` with `--workers 4`.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import signal
import socket
import statistics
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
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amane_bench"
RABAT = (34.0235, -6.8340)  # Hassan, Rabat
# Acceptance of the national-scale issue (docs/performance.md): the API within a quarter of raw
# inserts of the same rows, and no intake slower than 100 ms at the 99th percentile.
RATIO_TARGET = 0.25
P99_TARGET_MS = 100
TABLES = ("cases_case", "cases_complainant", "cases_caseevent", "audit_auditrecord")


def log(msg: str) -> None:
    print(f"[intake] {msg}", flush=True)


# ---------------------------------------------------------------- database and fixtures


def recreate_database(url: str) -> None:
    dbname = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AMANE_DATABASE_URL=url,
        AMANE_DEBUG="0",
        AMANE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="amane.settings",
    )
    return env


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=server_env(url), check=True
    )


def setup_django(url: str) -> None:
    """Configure Django in this process against the benchmark database (for the fixtures)."""
    os.environ.update({k: v for k, v in server_env(url).items() if k.startswith(("AMANE_", "DJANGO_"))})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def unit_maker(city: str):
    """A shorthand for org.services.unit_create with the benchmark's city."""
    from org.services import unit_create

    def unit(parent, kind, code, ar, fr, lat, lon):
        return unit_create(
            actor=None,
            parent=parent,
            kind=kind,
            code=code,
            name_ar=ar,
            name_fr=fr,
            city=city,
            latitude=lat,
            longitude=lon,
        )

    return unit


def create_fixtures(url: str) -> str:
    """A small organisation, a front-desk officer and their API token, through the services."""
    setup_django(url)
    from django.db import connections

    from org.choices import KeyScope, Role, UnitKind
    from org.services import api_key_create, user_create

    unit = unit_maker("Rabat")

    central = unit(None, UnitKind.CENTRAL, "DGSN", "المديرية العامة للأمن الوطني", "DGSN", 34.0084, -6.8539)
    unit(central, UnitKind.INSPECTORATE, "IGSN", "المفتشية العامة", "Inspection générale", 34.0095, -6.8480)
    wilaya = unit(central, UnitKind.WILAYA, "RBT", "ولاية أمن الرباط", "Wilaya de sûreté de Rabat", 34.0209, -6.8416)
    area = unit(wilaya, UnitKind.AREA, "RBT-RB", "منطقة أمن الرباط", "Préfecture de police de Rabat", 34.015, -6.835)
    hassan = unit(area, UnitKind.DISTRICT, "RBT-RB-D1", "الدائرة الأمنية حسان", "Arrondissement Hassan", *RABAT)
    unit(area, UnitKind.DISTRICT, "RBT-RB-D2", "الدائرة الأمنية أكدال", "Arrondissement Agdal", 33.993, -6.852)
    desk = user_create(
        actor=None,
        username="bench.desk",
        password=os.urandom(12).hex(),
        unit=hassan,
        roles=[Role.FRONT_DESK],
        first_name="Bench",
        last_name="Desk",
    )
    _, raw = api_key_create(actor=desk, name="bench", scopes=[KeyScope.API], user=desk)
    connections.close_all()
    return raw


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    url: str,
    port: int,
    workers: int,
    logfile: Path,
    *,
    threads: int = 0,
    env: dict[str, str] | None = None,
    asgi: bool = False,
) -> subprocess.Popen:
    """gunicorn on loopback: sync workers, gthread workers when `threads` is given (streams), or
    with `asgi` the production server (`make serve`: the ASGI worker of core.asgi_worker, keep-alive,
    AMANE_WEB_THREADS request threads per process, no access log)."""
    if asgi:
        cmd = [sys.executable, "-m", "gunicorn", "amane.asgi:application", "--worker-class", "core.asgi_worker.Worker"]
        cmd += ["--workers", str(workers), "--graceful-timeout", "5", "--no-control-socket"]
    else:
        cmd = [sys.executable, "-m", "gunicorn", "amane.wsgi:application", "--workers", str(workers)]
    if threads and not asgi:
        cmd += ["--worker-class", "gthread", "--threads", str(threads), "--graceful-timeout", "5"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--error-logfile", str(logfile)]
    full_env = {**server_env(url), **(env or {})}
    return subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_up(
    proc: subprocess.Popen, port: int, token: str, timeout: float = 60, path: str = "/api/categories"
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def stop_server(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- audit sealer


def start_sealer(url: str, env: dict[str, str], logfile: Path) -> subprocess.Popen:
    """`manage.py audit_sealer`, as `make run` and production run it next to the web server."""
    with open(logfile, "ab") as log_fh:
        return subprocess.Popen(
            [sys.executable, "manage.py", "audit_sealer"],
            cwd=ROOT,
            env={**server_env(url), **env},
            stdout=log_fh,
            stderr=subprocess.STDOUT,
        )


class Backlog(threading.Thread):
    """Samples the records waiting for the sealer while the API is driven (the sealer keeping up)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.samples = url, threading.Event(), []

    def pending(self, conn: psycopg.Connection) -> int:
        return conn.execute("SELECT count(*) FROM audit_auditrecord WHERE position IS NULL").fetchone()[0]

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.2):
                self.samples.append(self.pending(conn))

    def drain(self, timeout: float = 120) -> float:
        """Seconds from now until every record is sealed."""
        t0 = time.perf_counter()
        with psycopg.connect(self.url, autocommit=True) as conn:
            while self.pending(conn):
                if time.perf_counter() - t0 > timeout:
                    raise RuntimeError("the sealer did not catch up")
                time.sleep(0.02)
        return time.perf_counter() - t0


def verify_chain(url: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=ROOT,
        env={**server_env(url), **env},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"audit_verify failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


# ---------------------------------------------------------------- API load


FIRST = ("Youssef", "Khadija", "Hamza", "Salma", "Othmane", "Imane", "Anas", "Nadia")
LAST = ("Amrani", "Bouzidi", "Daoudi", "Fikri", "Jabri", "Naciri", "Tahiri", "Zouiten")


def body(rng: random.Random) -> bytes:
    return json.dumps(
        {
            "channel": "counter",
            "category": "theft",
            "description": "سرقة هاتف محمول من طرف شخص على متن دراجة نارية قرب شارع محمد الخامس.",
            "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "cnie": f"BE{rng.randrange(100000, 1000000)}",
            "phone": f"+2126{rng.randrange(10**8):08d}",
            "language": "ar",
            "address": "شارع محمد الخامس، حسان، الرباط",
            "latitude": round(RABAT[0] + rng.uniform(-0.004, 0.004), 6),
            "longitude": round(RABAT[1] + rng.uniform(-0.004, 0.004), 6),
        },
        ensure_ascii=False,
    ).encode()


def drive_api(port: int, token: str, n: int, threads: int, seed: int) -> dict[str, Any]:
    """POST n complaints from `threads` clients; returns wall time, latencies and statuses."""
    tickets = iter(range(n))
    ticket_lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures: list[str] = []
    result_lock = threading.Lock()
    start = threading.Barrier(threads + 1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Connection": "keep-alive"}

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        codes: dict[int, int] = {}
        bad: list[str] = []
        start.wait()
        while True:
            with ticket_lock:
                if next(tickets, None) is None:
                    break
            payload = body(rng)
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/cases", body=payload, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()  # reconnect on the next request
                status, data = 0, repr(exc).encode()
            mine.append(time.perf_counter() - t0)
            codes[status] = codes.get(status, 0) + 1
            if status != 201 and len(bad) < 3:
                bad.append(f"{status}: {data[:300]!r}")
        conn.close()
        with result_lock:
            latencies.extend(mine)
            for c, m in codes.items():
                statuses[c] = statuses.get(c, 0) + m
            failures.extend(bad)

    pool = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "latencies": latencies, "statuses": statuses, "failures": failures}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# ---------------------------------------------------------------- raw inserts


def fetch_template(url: str) -> dict[str, dict[str, Any]]:
    """One complaint as the API wrote it: its row in each of the four tables."""
    with psycopg.connect(url) as conn:
        cur = conn.cursor(row_factory=dict_row)
        case = cur.execute("SELECT * FROM cases_case ORDER BY id DESC LIMIT 1").fetchone()
        assert case is not None, "the API phase wrote no case"
        complainant = cur.execute("SELECT * FROM cases_complainant WHERE case_id = %s", [case["id"]]).fetchone()
        event = cur.execute(
            "SELECT * FROM cases_caseevent WHERE case_id = %s AND kind = 'created'", [case["id"]]
        ).fetchone()
        audit = cur.execute(
            "SELECT * FROM audit_auditrecord WHERE object_type = 'cases.case' AND object_id = %s AND action = %s",
            [str(case["id"]), "case.create"],
        ).fetchone()
    assert complainant and event and audit, "template rows not found"
    # The raw insert writes what audit_record writes: an unsealed row (the sealer is stopped by then).
    audit.update(position=None, prev_mac="", mac="")
    return {"case": case, "complainant": complainant, "event": event, "audit": audit}


def insert_sql(table: str, columns: list[str], returning: bool = False) -> sql.Composed:
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    return query + sql.SQL(" RETURNING id") if returning else query


def adapt(row: dict[str, Any]) -> dict[str, Any]:
    return {k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in row.items() if k != "id"}


def drive_raw(url: str, template: dict[str, Any], n: int, threads: int) -> dict[str, Any]:
    case_t, comp_t, event_t, audit_t = (
        adapt(template["case"]),
        adapt(template["complainant"]),
        adapt(template["event"]),
        adapt(template["audit"]),
    )
    q_case = insert_sql("cases_case", list(case_t), returning=True)
    q_comp = insert_sql("cases_complainant", list(comp_t))
    q_event = insert_sql("cases_caseevent", list(event_t))
    q_audit = insert_sql("audit_auditrecord", list(audit_t))
    numbers = itertools.count(1)
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)
    errors: list[str] = []

    def worker() -> None:
        try:
            with psycopg.connect(url) as conn:
                start.wait()
                while True:
                    with lock:
                        number = next(numbers)
                    if number > n:
                        break
                    with conn.transaction():
                        case_id = conn.execute(
                            q_case, [*{**case_t, "reference": f"RAW-2026-{number:06d}-A"}.values()]
                        ).fetchone()[0]
                        conn.execute(q_comp, [*{**comp_t, "case_id": case_id}.values()])
                        conn.execute(q_event, [*{**event_t, "case_id": case_id}.values()])
                        audit_row = {**audit_t, "nonce": os.urandom(12).hex(), "object_id": str(case_id)}
                        conn.execute(q_audit, [*audit_row.values()])
        except Exception as exc:  # reported by the caller
            errors.append(repr(exc))
            if not start.broken:
                start.abort()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"raw inserts failed: {errors[:3]}")
    return {"wall_s": wall}


def count_rows(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0] for t in TABLES
        }


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="timed complaints (default 2000)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed complaints first (default 100)")
    parser.add_argument("--threads", type=int, default=8, help="client threads / raw insert threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--server",
        choices=("sync", "asgi"),
        default="sync",
        help="gunicorn's sync workers (default, the earlier figures) or the production ASGI worker (keep-alive)",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("AMANE_BENCH_DATABASE_URL", DEFAULT_URL), help="dropped and re-created"
    )
    args = parser.parse_args()
    url = args.database_url
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    log(f"database {url}: re-create and migrate")
    recreate_database(url)
    migrate(url)
    token = create_fixtures(url)

    port = free_port()
    server_log = RESULTS / f"gunicorn-{stamp}.log"
    # A checkpoints folder of this run's own: the database is new, old checkpoints would not match it.
    audit_env = {"AMANE_AUDIT_DIR": str(RESULTS / f"audit-{stamp}")}
    proc = sealer = None
    backlog = Backlog(url)
    load_before = os.getloadavg()
    try:
        log(f"gunicorn, {args.workers} {args.server} workers on 127.0.0.1:{port}, and the audit sealer")
        proc = start_server(url, port, args.workers, server_log, env=audit_env, asgi=args.server == "asgi")
        sealer = start_sealer(url, audit_env, RESULTS / f"sealer-{stamp}.log")
        wait_until_up(proc, port, token)

        log(f"API: warm-up {args.warmup}, then {args.n} complaints from {args.threads} threads")
        warm = drive_api(port, token, args.warmup, args.threads, seed=1)
        assert warm["statuses"] == {201: args.warmup}, (warm["statuses"], warm["failures"])
        backlog.start()
        api = drive_api(port, token, args.n, args.threads, seed=2)
        backlog.stop.set()
        load_api = os.getloadavg()
        drain_s = backlog.drain()
    finally:
        backlog.stop.set()
        stop_server(proc)
        stop_server(sealer)
    chain = verify_chain(url, audit_env)
    log(chain)
    accepted = api["statuses"].get(201, 0)
    assert accepted == args.n, f"not every request was accepted: {api['statuses']} {api['failures']}"
    rows_after_api = count_rows(url)
    assert rows_after_api["cases_case"] == args.warmup + args.n, rows_after_api
    api_rate = accepted / api["wall_s"]

    log(f"raw psycopg: {args.n} complaints (4 rows each) from {args.threads} threads")
    template = fetch_template(url)
    raw = drive_raw(url, template, args.n, args.threads)
    rows_after_raw = count_rows(url)
    assert all(rows_after_raw[t] - rows_after_api[t] == args.n for t in TABLES), (rows_after_api, rows_after_raw)
    raw_rate = args.n / raw["wall_s"]

    with psycopg.connect(url) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    lat = api["latencies"]
    summary = {
        "benchmark": "intake",
        "at": stamp,
        "requests": args.n,
        "warmup": args.warmup,
        "client_threads": args.threads,
        "gunicorn_workers": args.workers,
        "server": args.server,
        "api": {
            "accepted": accepted,
            "wall_s": round(api["wall_s"], 3),
            "accepted_per_s": round(api_rate, 1),
            "latency_ms_p50": round(statistics.median(lat) * 1000, 1),
            "latency_ms_p90": round(percentile(lat, 0.90) * 1000, 1),
            "latency_ms_p99": round(percentile(lat, 0.99) * 1000, 1),
            "latency_ms_max": round(max(lat) * 1000, 1),
        },
        "raw": {
            "complaints": args.n,
            "rows": args.n * len(TABLES),
            "wall_s": round(raw["wall_s"], 3),
            "complaints_per_s": round(raw_rate, 1),
            "rows_per_s": round(raw_rate * len(TABLES), 1),
        },
        "ratio_api_over_raw": round(api_rate / raw_rate, 3),
        "targets": {"ratio_api_over_raw_min": RATIO_TARGET, "latency_ms_p99_max": P99_TARGET_MS},
        "audit": {
            "sealer_backlog_max": max(backlog.samples, default=0),
            "sealer_backlog_median": statistics.median(backlog.samples) if backlog.samples else 0,
            "sealed_all_after_api_s": round(drain_s, 3),
            "verify": chain,
        },
        "load_average": {"before": load_before, "after_api": load_api, "end": os.getloadavg()},
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": pg_version,
            "note": "client threads, gunicorn and PostgreSQL share the same machine",
        },
    }
    out = RESULTS / f"intake-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    a, r = summary["api"], summary["raw"]
    print()
    print(f"  intake benchmark ({os.cpu_count()} cores, PostgreSQL {pg_version}, gunicorn {args.workers} workers)")
    print(
        f"  API   {a['accepted_per_s']:>8.1f} complaints/s   p50 {a['latency_ms_p50']} ms   "
        f"p99 {a['latency_ms_p99']} ms   ({accepted} x 201, {args.threads} client threads)"
    )
    print(
        f"  raw   {r['complaints_per_s']:>8.1f} complaints/s   ({r['rows_per_s']} rows/s, 4 rows per complaint, "
        f"{args.threads} connections)"
    )
    ratio_ok, p99_ok = summary["ratio_api_over_raw"] >= RATIO_TARGET, a["latency_ms_p99"] < P99_TARGET_MS
    print(
        f"  ratio API / raw: {summary['ratio_api_over_raw']} "
        f"(target >= {RATIO_TARGET}: {'met' if ratio_ok else 'NOT met'}); "
        f"p99 {a['latency_ms_p99']} ms (target < {P99_TARGET_MS} ms: {'met' if p99_ok else 'NOT met'})"
    )
    au = summary["audit"]
    print(
        f"  audit sealer: backlog max {au['sealer_backlog_max']} records (median {au['sealer_backlog_median']}), "
        f"all sealed {au['sealed_all_after_api_s']} s after the last answer"
    )
    print(f"  load average before / after the API phase: {load_before[0]:.2f} / {load_api[0]:.2f}")
    print(f"  written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
