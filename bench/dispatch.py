"""Live-board benchmark: delay from the API accepting a line-19 call to the event reaching each open
dispatcher board, under a steady stream of calls, on PostgreSQL with LISTEN/NOTIFY.

    .venv/bin/python bench/dispatch.py [--rate 50] [--duration 60] [--clients 5] [--workers 2] [--threads 16]
                                       [--server asgi|gthread]

Steps: drop and re-create the bench database, migrate it, create a small organisation (the
Casablanca wilaya, its command room, a dispatcher with an API token, patrols on the roster) through
the services, start gunicorn (by default with the ASGI worker `make run` and `make serve` use, where
an open stream holds no thread; `--server gthread` for the former WSGI threads, one held per stream;
AMANE_LIVE_BACKEND=postgres), connect `--clients`
board clients to the server-sent-events stream (raw HTTP, one thread each, recording when each
incident event arrives), then post calls to `POST /api/emergency/calls` on an open-loop schedule of
`--rate` per second for `--duration` seconds (a late answer does not delay the next call). Each call
is matched to its incident event on every client by (incident id, call count). Reports the median and
99th percentile of (event arrival − API answer received), the calls per second accepted, and the
events lost (must be 0). Results go to bench/results/dispatch-<timestamp>.json (gitignored).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The sibling benchmark's database and server helpers.
from intake import (
    free_port,
    migrate,
    percentile,
    recreate_database,
    server_env,
    setup_django,
    start_server,
    stop_server,
    unit_maker,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amane_bench_dispatch"
CASABLANCA = (33.5731, -7.5898)
LAND_LAT, LAND_LON = (33.50, 33.59), (-7.68, -7.48)
CATEGORIES = (
    "violence_in_progress",
    "fight",
    "street_robbery",
    "burglary_in_progress",
    "suspicious_person",
    "traffic_accident_injuries",
)


def log(msg: str) -> None:
    print(f"[dispatch] {msg}", flush=True)


# ---------------------------------------------------------------- fixtures


def create_fixtures(url: str, patrols: int) -> dict[str, Any]:
    """Organisation, dispatcher, token, patrols on the roster, and a login session for the boards."""
    setup_django(url)
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections
    from django.utils import timezone

    from emergency import services
    from emergency.data import load_call_categories
    from emergency.models import CallCategory
    from org.choices import KeyScope, Role, UnitKind
    from org.services import api_key_create, user_create

    load_call_categories()
    unit = unit_maker("Casablanca")

    central = unit(None, UnitKind.CENTRAL, "DGSN", "المديرية العامة للأمن الوطني", "DGSN", 34.0084, -6.8539)
    wilaya = unit(central, UnitKind.WILAYA, "CAS", "ولاية أمن الدار البيضاء", "Wilaya de Casablanca", *CASABLANCA)
    area = unit(wilaya, UnitKind.AREA, "CAS-AN", "منطقة أمن أنفا", "Sûreté d'Anfa", 33.5890, -7.6320)
    unit(area, UnitKind.DISTRICT, "CAS-D1", "دائرة المعاريف", "Arrondissement Maârif", 33.5830, -7.6330)
    room = unit(
        wilaya, UnitKind.COMMAND_ROOM, "CAS-CMD", "قاعة القيادة والتنسيق", "Salle de commandement", 33.5743, -7.5910
    )
    dispatcher = user_create(
        actor=None,
        username="bench.dispatch",
        password=os.urandom(12).hex(),
        unit=room,
        roles=[Role.DISPATCHER],
        first_name="Bench",
        last_name="Dispatch",
    )
    _, token = api_key_create(actor=dispatcher, name="bench", scopes=[KeyScope.API], user=dispatcher)
    rng = random.Random(7)
    now = timezone.now()
    for k in range(patrols):
        p = services.patrol_create(
            actor=None,
            call_sign=f"CAS-B{k:02d}",
            kind="car",
            home_unit=room,
            latitude=CASABLANCA[0] + rng.uniform(-0.05, 0.05),
            longitude=CASABLANCA[1] + rng.uniform(-0.05, 0.05),
        )
        services.roster_assign(
            actor=None, patrol=p, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
        )
        services.patrol_set_status(patrol=p, actor=None, status="available")
    session = SessionStore()
    session[SESSION_KEY] = str(dispatcher.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = dispatcher.get_session_auth_hash()
    session.create()
    categories = [c for c in CATEGORIES if CallCategory.objects.filter(code=c, active=True).exists()]
    categories = categories or list(CallCategory.objects.filter(active=True).values_list("code", flat=True)[:5])
    connections.close_all()
    return {"token": token, "session": session.session_key, "categories": categories}


# ---------------------------------------------------------------- server


def start_asgi_server(url: str, port: int, workers: int, threads: int, logfile: Path) -> subprocess.Popen:
    """gunicorn with the ASGI worker, as core.serving starts it (`threads`: request threads per process)."""
    cmd = [sys.executable, "-m", "gunicorn", "amane.asgi:application", "--worker-class", "core.asgi_worker.Worker"]
    cmd += ["--workers", str(workers), "--graceful-timeout", "5", "--no-control-socket"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--error-logfile", str(logfile)]
    env = {**server_env(url), "AMANE_LIVE_BACKEND": "postgres", "AMANE_WEB_THREADS": str(threads)}
    env["AMANE_STREAMS_PER_USER"] = "0"  # every board client is the same dispatcher
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- board clients


class BoardClient(threading.Thread):
    """One open board: reads the stream and notes when each incident event arrives."""

    def __init__(self, port: int, session: str, k: int):
        super().__init__(name=f"board-{k}", daemon=True)
        self.port, self.session = port, session
        self.arrivals: list[tuple[int, int, float]] = []  # (incident id, call count, perf_counter)
        self.connected = threading.Event()
        self.stop = False
        self.error: str | None = None
        self.conn: http.client.HTTPConnection | None = None

    def run(self) -> None:
        try:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(
                "GET",
                "/emergency/stream/",
                headers={"Cookie": f"sessionid={self.session}", "Accept": "text/event-stream"},
            )
            resp = self.conn.getresponse()
            if resp.status != 200:
                raise RuntimeError(f"stream answered {resp.status}")
            event = None
            while not self.stop:
                line = resp.readline()
                if not line:
                    break
                now = time.perf_counter()
                text = line.decode().rstrip("\n")
                if text.startswith("retry:"):
                    self.connected.set()
                elif text.startswith("event:"):
                    event = text[6:].strip()
                elif text.startswith("data:") and event == "incident":
                    data = json.loads(text[5:])
                    self.arrivals.append((data["id"], data["call_count"], now))
                elif text == "":
                    event = None
        except Exception as exc:
            if not self.stop:
                self.error = repr(exc)
        finally:
            self.connected.set()

    def close(self) -> None:
        self.stop = True
        if self.conn is not None and self.conn.sock is not None:
            with contextlib.suppress(OSError):
                self.conn.sock.shutdown(2)
            self.conn.close()


# ---------------------------------------------------------------- injection


def inject(port: int, token: str, categories: list[str], rate: float, duration: float, senders: int) -> dict:
    """Post rate × duration calls on an open-loop schedule; returns one record per call."""
    total = int(rate * duration)
    tickets = iter(range(total))
    lock = threading.Lock()
    records: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Connection": "keep-alive"}
    t0 = time.perf_counter() + 0.5

    def sender(k: int) -> None:
        rng = random.Random(1000 + k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(tickets, None)
            if i is None:
                break
            due = t0 + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            body = json.dumps(
                {
                    "caller_number": f"06{rng.randrange(10**8):08d}",
                    "language": "ar",
                    "category": rng.choice(categories),
                    "answers": {},
                    "description": "بلاغ اختبار الأداء: شجار قرب محطة الترامواي",
                    "address": "الدار البيضاء",
                    # Inland Casablanca (the city's coast runs north-east; offshore points are refused).
                    "latitude": round(rng.uniform(*LAND_LAT), 6),
                    "longitude": round(rng.uniform(*LAND_LON), 6),
                },
                ensure_ascii=False,
            ).encode()
            sent = time.perf_counter()
            for attempt in (1, 2):
                try:
                    conn.request("POST", "/api/emergency/calls", body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    status = resp.status
                    break
                except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected) as exc:
                    # gunicorn closes a keep-alive connection idle for 2 s: at low rates a sender
                    # finds it closed before its request is read. Reconnect once, like any client.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, data = 0, repr(exc).encode()
                    if attempt == 2:
                        break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    status, data = 0, repr(exc).encode()
                    break
            accepted = time.perf_counter()
            rec = {"i": i, "due": due, "sent": sent, "accepted": accepted, "status": status}
            if status == 201:
                answer = json.loads(data)
                rec["incident_id"] = answer["incident"]["id"]
                rec["call_count"] = answer["incident"]["call_count"]
            else:
                rec["error"] = data[:300].decode(errors="replace")
            mine.append(rec)
        conn.close()
        with lock:
            records.extend(mine)

    pool = [threading.Thread(target=sender, args=(k,), daemon=True) for k in range(senders)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = max(r["accepted"] for r in records) - t0 if records else 0.0
    return {"records": records, "wall_s": wall, "t0": t0}


def match(records: list[dict], client: BoardClient) -> tuple[list[float], list[float], int]:
    """Delay (s) of each accepted call's event on this client, after the answer and after the send."""
    by_incident: dict[int, list[tuple[int, float]]] = {}
    for incident_id, count, at in client.arrivals:
        by_incident.setdefault(incident_id, []).append((count, at))
    after_answer, after_send, lost = [], [], 0
    for r in records:
        if r["status"] != 201:
            continue
        arrivals = [at for count, at in by_incident.get(r["incident_id"], []) if count >= r["call_count"]]
        if not arrivals:
            lost += 1
            continue
        at = min(arrivals)
        after_answer.append(at - r["accepted"])
        after_send.append(at - r["sent"])
    return after_answer, after_send, lost


def ms(values: list[float], q: float | None = None) -> float | None:
    if not values:
        return None
    v = statistics.median(values) if q is None else percentile(values, q)
    return round(v * 1000, 1)


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="calls per second injected (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of injection (default 60)")
    parser.add_argument("--clients", type=int, default=5, help="board clients on the stream (default 5)")
    parser.add_argument("--senders", type=int, default=24, help="threads posting calls on the schedule (default 24)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=16, help="request threads per gunicorn worker (default 16)")
    parser.add_argument("--server", choices=("asgi", "gthread"), default="asgi", help="worker kind (default asgi)")
    parser.add_argument("--patrols", type=int, default=20, help="patrols on the roster (default 20)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("AMANE_BENCH_DISPATCH_DATABASE_URL", DEFAULT_URL),
        help="dropped and re-created",
    )
    args = parser.parse_args()
    url = args.database_url
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    log(f"database {url}: re-create and migrate")
    recreate_database(url)
    migrate(url)
    fx = create_fixtures(url, args.patrols)

    port = free_port()
    server_log = RESULTS / f"gunicorn-dispatch-{stamp}.log"
    proc = None
    clients: list[BoardClient] = []
    try:
        log(f"gunicorn: {args.workers} {args.server} workers x {args.threads} threads on 127.0.0.1:{port}, postgres")
        if args.server == "asgi":
            proc = start_asgi_server(url, port, args.workers, args.threads, server_log)
        else:
            env = {"AMANE_LIVE_BACKEND": "postgres", "AMANE_STREAMS_PER_USER": "0"}
            proc = start_server(url, port, args.workers, server_log, threads=args.threads, env=env)
        wait_until_up(proc, port, fx["token"], path="/api/emergency/patrols")
        clients = [BoardClient(port, fx["session"], k) for k in range(args.clients)]
        for c in clients:
            c.start()
        for c in clients:
            c.connected.wait(30)
            if c.error:
                raise RuntimeError(f"board client failed: {c.error}")
        log(f"{len(clients)} boards connected; injecting {args.rate:g} calls/s for {args.duration:g} s")
        result = inject(port, fx["token"], fx["categories"], args.rate, args.duration, args.senders)
        records = result["records"]
        accepted = [r for r in records if r["status"] == 201]
        # Let the last events arrive: stop waiting as soon as every client has every call.
        deadline = time.perf_counter() + 15
        while time.perf_counter() < deadline and any(match(accepted, c)[2] for c in clients):
            time.sleep(0.2)
    finally:
        for c in clients:
            c.close()
        stop_server(proc)

    statuses: dict[str, int] = {}
    for r in records:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    per_client = []
    all_answer: list[float] = []
    all_send: list[float] = []
    lost_total = 0
    for c in clients:
        after_answer, after_send, lost = match(accepted, c)
        all_answer += after_answer
        all_send += after_send
        lost_total += lost
        per_client.append(
            {
                "events_received": len(c.arrivals),
                "matched": len(after_answer),
                "lost": lost,
                "delay_ms_p50": ms(after_answer),
                "delay_ms_p99": ms(after_answer, 0.99),
                "error": c.error,
            }
        )
    lateness = [max(0.0, r["sent"] - r["due"]) for r in records]
    latency = [r["accepted"] - r["sent"] for r in accepted]
    with psycopg.connect(url) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
        incidents = conn.execute("SELECT count(*) FROM emergency_incident").fetchone()[0]
    summary = {
        "benchmark": "dispatch",
        "at": stamp,
        "config": {
            "rate_per_s": args.rate,
            "duration_s": args.duration,
            "board_clients": args.clients,
            "senders": args.senders,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "server": args.server,
            "live_backend": "postgres",
            "patrols": args.patrols,
        },
        "calls": {
            "offered": len(records),
            "accepted": len(accepted),
            "statuses": statuses,
            "incidents_created": incidents,
            "accepted_per_s": round(len(accepted) / result["wall_s"], 1) if result["wall_s"] else None,
            "wall_s": round(result["wall_s"], 2),
            "api_latency_ms_p50": ms(latency),
            "api_latency_ms_p99": ms(latency, 0.99),
            "send_lateness_ms_p99": ms(lateness, 0.99),
            "errors": [r.get("error") for r in records if r["status"] != 201][:3],
        },
        "board": {
            "delay_ms_p50": ms(all_answer),
            "delay_ms_p99": ms(all_answer, 0.99),
            "delay_ms_max": ms([max(all_answer)]) if all_answer else None,
            "delay_from_send_ms_p50": ms(all_send),
            "delay_from_send_ms_p99": ms(all_send, 0.99),
            "share_before_answer": round(sum(1 for d in all_answer if d < 0) / len(all_answer), 3)
            if all_answer
            else None,
            "events_lost": lost_total,
            "per_client": per_client,
        },
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": pg_version,
            "note": "injector, board clients, gunicorn and PostgreSQL share the same machine",
        },
    }
    out = RESULTS / f"dispatch-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    c, b = summary["calls"], summary["board"]
    print()
    print(
        f"  dispatch benchmark ({os.cpu_count()} cores, PostgreSQL {pg_version}, "
        f"{args.workers}x{args.threads} {args.server})"
    )
    print(
        f"  calls    {c['accepted']}/{c['offered']} accepted, {c['accepted_per_s']} /s "
        f"(target {args.rate:g}/s), API p50 {c['api_latency_ms_p50']} ms p99 {c['api_latency_ms_p99']} ms"
    )
    print(
        f"  boards   {args.clients} clients: API answer -> event p50 {b['delay_ms_p50']} ms, "
        f"p99 {b['delay_ms_p99']} ms (from send: p50 {b['delay_from_send_ms_p50']} ms, "
        f"p99 {b['delay_from_send_ms_p99']} ms); events lost {b['events_lost']}"
    )
    print(f"  written to {out.relative_to(ROOT)}")
    return 0 if lost_total == 0 and c["accepted"] == c["offered"] else 1


if __name__ == "__main__":
    sys.exit(main())
