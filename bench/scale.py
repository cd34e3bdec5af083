"""National-scale benchmark: the staff pages and API routes of complaints over a 10-million history.

    .venv/bin/python bench/scale.py [--cases 10000000] [--requests 30] [--workers 2]

Reuses the database named by `AMANE_BENCH_SCALE_DATABASE_URL` (default
`postgres://postgres@127.0.0.1:5432/amane_scale`) when it already holds at least `--cases` generated
complaints; otherwise re-creates it, migrates it and runs `manage.py generate_history --cases N`
(the demo organisation, then the history with COPY). It then migrates (new indexes), picks a district
front-desk officer and the Casablanca wilaya chief of the demo, gives each a login session and an
API key, starts gunicorn as `make serve` does (`--workers` sync workers, AMANE_DEBUG=0), and measures
over real HTTP, one request at a time, `--requests` requests per point:

- the desk officer's queue, first page and a deep page (a cursor 5,000 rows down, page 200);
- the wilaya chief's queue, first page and the same deep page;
- the API list for the chief, first page and a deep cursor (12,500 rows down, page 500);
- the overdue filter of the chief's queue; search by full reference (a different one each time);
- the chief's case page (a different complaint each time); the intake suggestions lookup.

Prints p50 / p95 / max per point against the 200 ms target, and writes
bench/results/scale-<timestamp>.json with the load averages.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import (
    RESULTS,
    ROOT,
    free_port,
    percentile,
    recreate_database,
    server_env,
    setup_django,
    start_server,
    stop_server,
    wait_until_up,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amane_scale"
TARGET_MS = 200
DEEP_ROWS = 5_000  # page 200 of 25
DEEP_API_ROWS = 12_500  # page 500 of 25


def log(msg: str) -> None:
    print(f"[scale {datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


def generated_cases(url: str) -> int:
    """How many generated complaints the database holds (0 if it does not exist or is empty)."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_case'").fetchone()
            return int(row[0]) if row and row[0] > 0 else 0
    except psycopg.OperationalError:
        return 0


def manage(url: str, *args: str) -> None:
    env = {**server_env(url), "AMANE_LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fixtures(url: str) -> dict[str, Any]:
    """Sessions and API keys of a district desk officer and the Casablanca wilaya chief, and the
    cursors, references and places the requests use."""
    setup_django(url)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    from cases import selectors
    from cases.paging import Cursor
    from org.choices import KeyScope, Role, UnitKind
    from org.models import Unit, User
    from org.services import api_key_create
    from org.sessions import stamp

    wilaya = Unit.objects.get(code="CAS", kind=UnitKind.WILAYA)
    chief = next(u for u in User.objects.filter(unit=wilaya, is_active=True) if Role.UNIT_CHIEF in u.roles)
    district = Unit.objects.filter(code__startswith="CAS-", kind=UnitKind.DISTRICT).order_by("code").first()
    desk = next(
        u for u in User.objects.filter(unit=district, is_active=True).order_by("id") if Role.FRONT_DESK in u.roles
    )

    def session(user: User) -> str:
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        stamp(s, user)
        s.create()
        return s.session_key or ""

    def cursor_at(user: User, rows: int, **filters: Any) -> str:
        qs = selectors.case_list(user, selectors.CaseFilters(**filters))
        row = qs.values_list("created_at", "id")[rows - 1 : rows].first()
        if row is None:  # a shorter list: half-way down it
            half = qs.count() // 2
            row = qs.values_list("created_at", "id")[half : half + 1].first()
        return Cursor(row[0], row[1]).encode() if row else ""

    _key, chief_token = api_key_create(actor=chief, name="bench scale", scopes=[KeyScope.API], user=chief)
    _key, desk_token = api_key_create(actor=desk, name="bench scale", scopes=[KeyScope.API], user=desk)
    open_cases = selectors.case_list(chief, selectors.CaseFilters(state="open"))
    references = list(open_cases.values_list("reference", flat=True)[200:260])
    out = {
        "chief": {"username": chief.username, "session": session(chief), "token": chief_token},
        "desk": {"username": desk.username, "unit": district.code, "session": session(desk), "token": desk_token},
        "desk_deep": cursor_at(desk, DEEP_ROWS, state="open"),
        "chief_deep": cursor_at(chief, DEEP_ROWS, state="open"),
        "api_deep": cursor_at(chief, DEEP_API_ROWS),
        "references": references,
        "place": (district.latitude, district.longitude),
    }
    connections.close_all()
    return out


class Http:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> tuple[int, float]:
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - started


def measure(n: int, call: Callable[[int], tuple[int, float]]) -> dict[str, Any]:
    call(0)  # one untimed request: the worker's first query of this shape
    times, statuses = [], {}
    for i in range(n):
        status, seconds = call(i)
        statuses[status] = statuses.get(status, 0) + 1
        times.append(seconds)
    return {
        "requests": n,
        "statuses": statuses,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="complaints to generate or reuse (10 million)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per point (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("AMANE_BENCH_SCALE_DATABASE_URL", DEFAULT_URL),
        help="reused when it holds the history, else re-created",
    )
    args = parser.parse_args()
    url = args.database_url
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    have = generated_cases(url)
    generated_s = None
    if have < args.cases * 0.95:
        log(f"{conninfo_to_dict(url)['dbname']} holds {have:,} complaints: re-create and generate {args.cases:,}")
        recreate_database(url)
        manage(url, "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        manage(url, "generate_history", "--cases", str(args.cases))
        generated_s = round(time.monotonic() - started, 1)
    else:
        log(f"reusing {conninfo_to_dict(url)['dbname']}: about {have:,} complaints")
        manage(url, "migrate", "--noinput", "-v", "0")
    with psycopg.connect(url) as conn:
        total = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_case'").fetchone()[0]
        events = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_caseevent'").fetchone()[0]
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    fx = fixtures(url)
    log(f"desk officer {fx['desk']['username']} ({fx['desk']['unit']}), wilaya chief {fx['chief']['username']}")

    port = free_port()
    # The bench signs chiefs in without their second factor (a session made here, as force_login).
    env = {"AMANE_REQUIRE_2FA": "0"}
    proc = start_server(url, port, args.workers, RESULTS / f"gunicorn-scale-{stamp}.log", env=env)
    results: dict[str, Any] = {}
    load_before = os.getloadavg()
    try:
        wait_until_up(proc, port, fx["chief"]["token"])
        client = Http(port)
        n = args.requests

        def page(who: str, path: str) -> Callable[[int], tuple[int, float]]:
            headers = {"Cookie": f"sessionid={fx[who]['session']}"}
            return lambda _i: client.request("GET", path, headers)

        def api(who: str, path: str) -> Callable[[int], tuple[int, float]]:
            headers = {"Authorization": f"Bearer {fx[who]['token']}"}
            return lambda _i: client.request("GET", path, headers)

        refs = fx["references"] or [""]
        chief_cookie = {"Cookie": f"sessionid={fx['chief']['session']}"}
        points: dict[str, Callable[[int], tuple[int, float]]] = {
            "desk_queue_first": page("desk", "/cases/queue/"),
            "desk_queue_deep": page("desk", f"/cases/queue/?state=open&cursor={fx['desk_deep']}"),
            "chief_queue_first": page("chief", "/cases/queue/"),
            "chief_queue_deep": page("chief", f"/cases/queue/?state=open&cursor={fx['chief_deep']}"),
            "api_list_first": api("chief", "/api/cases"),
            "api_list_deep": api("chief", f"/api/cases?cursor={fx['api_deep']}"),
            "chief_overdue": page("chief", "/cases/queue/?overdue=1"),
            "search_reference": lambda i: client.request("GET", f"/cases/queue/?q={refs[i % len(refs)]}", chief_cookie),
            "chief_case_page": lambda i: client.request("GET", f"/cases/{refs[i % len(refs)]}/", chief_cookie),
            "suggestions": lambda i: client.request(
                "POST",
                "/api/cases/suggestions",
                {"Authorization": f"Bearer {fx['desk']['token']}", "Content-Type": "application/json"},
                json.dumps(
                    {"cnie": f"BE{100000 + i}", "latitude": fx["place"][0], "longitude": fx["place"][1]}
                ).encode(),
            ),
        }
        for name, call in points.items():
            results[name] = measure(n, call)
            r = results[name]
            log(
                f"{name:<20} p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms  max {r['max_ms']:>7} ms  {r['statuses']}"
            )
    finally:
        stop_server(proc)
    summary = {
        "benchmark": "scale",
        "at": stamp,
        "complaints": total,
        "timeline_events": events,
        "generated_in_s": generated_s,
        "gunicorn_workers": args.workers,
        "requests_per_point": args.requests,
        "target_p95_ms": TARGET_MS,
        "points": results,
        "met": {k: v["p95_ms"] < TARGET_MS and set(v["statuses"]) == {200} for k, v in results.items()},
        "load_average": {"before": load_before, "end": os.getloadavg()},
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": pg_version,
            "note": "one client, gunicorn and PostgreSQL share the same machine",
        },
    }
    out = RESULTS / f"scale-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print()
    print(f"  scale benchmark: {total:,} complaints, {events:,} timeline events, gunicorn {args.workers} workers")
    for name, r in results.items():
        mark = "ok " if summary["met"][name] else "MISS"
        print(f"  {mark} {name:<20} p50 {r['p50_ms']:>7} ms   p95 {r['p95_ms']:>7} ms   (target p95 < {TARGET_MS} ms)")
    print(f"  load average before / end: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"  written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
