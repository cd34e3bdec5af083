"""Indicators benchmark on whatever the database holds: rollup rebuild, dashboard p95 (national and a
district), the cost of keeping the rollups current during intake, and DuckDB over a Parquet export
of the complaints as the reference for the national aggregate.

    flock /tmp/amane-heavy.lock .venv/bin/python bench/analytics.py [--database URL] [--cases 2000]
        [--requests 30] [--intake 300] [--batch 50] [--no-rebuild]

The database (`--database`, else AMANE_BENCH_ANALYTICS_DATABASE_URL, default
postgres://postgres:postgres@127.0.0.1:5432/amane_bench_analytics) is migrated; when it has no
organisation, `load_demo --cases N` fills it (through the services). With a national-scale history
(`manage.py generate_history`, from the scale branch, once merged) run it against that database
instead: nothing here depends on how the data was made.

Steps, each timed:
1. `rollups.rebuild()` (skipped with --no-rebuild: the rollups are then as the periodic task left them).
2. The national dashboard (a chief of the central unit) and the busiest district's, rendered in
   process through Django's test client (middleware, view, template), --requests times after two
   warm-ups: p50, p95, max.
3. Intake: --intake complaints through `complaint_register` without refreshing, then as many with
   `rollups.refresh()` after every --batch (as the periodic task would): complaints/s both ways.
4. The national "received per month" of the last twelve months: from the rollups (our selector)
   and from DuckDB over a Parquet file of (local day, sensitivity) of every complaint; both times,
   and whether they are equal. DuckDB is optional (`pip install duckdb`); without it the step is
   skipped.
Prints a summary and writes bench/results/analytics-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres:postgres@127.0.0.1:5432/amane_bench_analytics"


def log(msg: str) -> None:
    print(f"[analytics] {msg}", flush=True)


def setup(url: str) -> None:
    os.environ["AMANE_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amane.settings")
    if url.startswith("postgres"):
        import psycopg

        base, _slash, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    settings.AMANE_REQUIRE_2FA = False  # the bench measures the dashboards, not the sign-in

    call_command("migrate", verbosity=0)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def quantiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "max_ms": ordered[-1] * 1000}


def bench_user(username: str, unit: Any, role: str) -> Any:
    from org.models import User
    from org.services import user_create

    user = User.objects.filter(username=username).first()
    secret = "bench-pass-1234"  # noqa: S105  (a bench account on a bench database)
    return user or user_create(actor=None, username=username, password=secret, unit=unit, roles=[role])


def dashboards(requests: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client

    from analytics.models import ComplaintDay
    from org.choices import Role, UnitKind
    from org.models import Unit

    central = Unit.objects.filter(kind=UnitKind.CENTRAL).first()
    busiest = (
        ComplaintDay.objects.filter(unit__kind=UnitKind.DISTRICT)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    district = (
        Unit.objects.get(pk=busiest["unit_id"]) if busiest else Unit.objects.filter(kind=UnitKind.DISTRICT).first()
    )
    out: dict[str, Any] = {}
    for name, unit in (("national", central), ("district", district)):
        client = Client()
        client.force_login(bench_user(f"bench.{name}", unit, Role.UNIT_CHIEF))
        for _ in range(2):
            answer = client.get("/analytics/")
            assert answer.status_code == 200, (answer.status_code, answer.get("Location"))
        samples = [timed(lambda c=client: c.get("/analytics/"))[1] for _ in range(requests)]
        out[name] = {"unit": unit.code, **quantiles(samples)}
        log(f"{name} dashboard ({unit.code}): p50 {out[name]['p50_ms']:.0f} ms, p95 {out[name]['p95_ms']:.0f} ms")
    return out


def intake(count: int, batch: int) -> dict[str, Any]:
    from analytics import rollups
    from cases.models import Category
    from cases.services import ComplainantInput, IntakeInput, complaint_register
    from org.choices import Role, UnitKind
    from org.models import Unit

    district = Unit.objects.filter(kind=UnitKind.DISTRICT).exclude(latitude=None).order_by("pk").first()
    desk = bench_user("bench.desk", district, Role.FRONT_DESK)
    category = Category.objects.get(code="theft")

    def one(i: int) -> None:
        complaint_register(
            actor=desk,
            data=IntakeInput(
                channel="counter",
                category=category,
                description=f"bench complaint {i}",
                complainant=ComplainantInput(anonymous=True),
                latitude=district.latitude,
                longitude=district.longitude,
                routing_reason="bench",
            ),
        )

    rollups.refresh()
    _none, plain = timed(lambda: [one(i) for i in range(count)])

    def with_refresh() -> None:
        for start in range(0, count, batch):
            for i in range(start, min(start + batch, count)):
                one(i)
            rollups.refresh()

    _none, kept = timed(with_refresh)
    out = {
        "complaints": count,
        "batch": batch,
        "plain_per_s": count / plain,
        "with_refresh_per_s": count / kept,
        "ratio": plain / kept,
    }
    log(f"intake: {out['plain_per_s']:.1f}/s plain, {out['with_refresh_per_s']:.1f}/s with refresh every {batch}")
    return out


def reference(url: str) -> dict[str, Any]:
    from django.db import connection

    from analytics.periods import current_month, trailing_months
    from analytics.selectors import trend
    from org.choices import UnitKind
    from org.models import Unit, User

    months = trailing_months(current_month(), 12)
    director = User.objects.get(username="bench.national")
    central = Unit.objects.get(kind=UnitKind.CENTRAL)
    ours, ours_s = timed(lambda: trend(director, central, months)["received"])
    try:
        import duckdb
    except ImportError:
        log("duckdb not installed: reference skipped")
        return {"rollups_s": ours_s, "duckdb": None}
    folder = Path(tempfile.mkdtemp(prefix="amane-duckdb-"))
    csv_path, parquet = folder / "cases.csv", folder / "cases.parquet"
    t0 = time.perf_counter()
    with connection.cursor() as cur, csv_path.open("w") as out:
        if connection.vendor == "postgresql":
            sql = "COPY (SELECT (created_at AT TIME ZONE %s)::date AS day, sensitivity FROM cases_case) TO STDOUT"
            with cur.cursor.copy(sql.replace("%s", "'Africa/Casablanca'") + " WITH CSV") as copy:
                for chunk in copy:
                    out.write(bytes(chunk).decode())
        else:
            from django.utils import timezone

            from cases.models import Case

            for at, sens in Case.objects.values_list("created_at", "sensitivity").iterator():
                out.write(f"{timezone.localtime(at).date()},{sens}\n")
    duck = duckdb.connect()
    duck.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', columns={{'day': 'DATE', 'sensitivity': 'VARCHAR'}}))"
        f" TO '{parquet}' (FORMAT parquet)"
    )
    export_s = time.perf_counter() - t0
    query = (
        f"SELECT strftime(day, '%Y-%m') AS m, count(*) FROM '{parquet}' "
        f"WHERE sensitivity IN ('normal', 'protected') "
        f"AND day >= DATE '{months[0].start}' AND day < DATE '{months[-1].end}' "
        "GROUP BY m"
    )
    rows, duck_s = timed(lambda: dict(duck.execute(query).fetchall()))
    theirs = [rows.get(m.key, 0) for m in months]
    out = {
        "months": [m.key for m in months],
        "rollups": ours,
        "duckdb": theirs,
        "equal": ours == theirs,
        "rollups_s": ours_s,
        "duckdb_query_s": duck_s,
        "export_s": export_s,
        "parquet_bytes": parquet.stat().st_size,
    }
    log(
        f"national received per month: rollups {ours_s * 1000:.1f} ms, "
        f"DuckDB {duck_s * 1000:.1f} ms, equal={out['equal']}"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=os.environ.get("AMANE_BENCH_ANALYTICS_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--cases", type=int, default=2000, help="load_demo size when the database is empty")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--intake", type=int, default=300)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args()
    setup(args.database)

    from django.core.management import call_command

    from analytics import rollups
    from cases.models import Case
    from org.models import Unit

    if not Unit.objects.exists():
        log(f"empty database: load_demo --cases {args.cases}")
        call_command("load_demo", cases=args.cases, history=0, verbosity=0)  # its figures stay comparable
    result: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(),
        "machine": platform.node(),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "cases": Case.objects.count(),
    }
    log(f"{result['cases']} complaints in the database")
    if not args.no_rebuild:
        counts, seconds = timed(rollups.rebuild)
        result["rebuild"] = {"seconds": seconds, **counts}
        log(f"rebuild: {seconds:.1f} s {counts}")
    result["dashboards"] = dashboards(args.requests)
    result["intake"] = intake(args.intake, args.batch)
    result["reference"] = reference(args.database)
    result["load_after"] = os.getloadavg()
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"analytics-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    log(f"written {path}")


if __name__ == "__main__":
    main()
