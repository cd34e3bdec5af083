"""CPU per API intake in one process: POST /api/cases through the whole WSGI stack (middleware,
django-ninja, the service) on PostgreSQL, without gunicorn or client threads.

    .venv/bin/python bench/intake_profile.py [--n 1000] [--setup] [--profile] [--database-url URL]

`--setup` drops and re-creates the database and its fixtures as bench/intake.py does; without it
the database of an earlier `--setup` is reused (its token in var/intake_profile_token). Prints the
process CPU time and the wall time per request (on a busy machine the tenth percentile moves least),
and the CPU of the PostgreSQL backend per request; `--profile` adds the top of a cProfile run.
Use it to compare two versions of the code under the same conditions (A/B), not as a rate.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import intake  # bench/intake.py: database, fixtures, request bodies

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amane_intake_profile"


def environ(body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/cases",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_CONNECTION": "keep-alive",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def backend_cpu(pid: int) -> float:
    """CPU seconds the PostgreSQL backend `pid` used so far (when the server runs on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", default="", help="write the cProfile statistics to this file")
    parser.add_argument("--queries", action="store_true", help="print the statements of one request")
    parser.add_argument("--database-url", default=os.environ.get("AMANE_PROFILE_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    token_file = Path(os.environ.get("AMANE_VAR_DIR", intake.ROOT / "var")) / "intake_profile_token"
    if args.setup:
        intake.recreate_database(args.database_url)
        intake.migrate(args.database_url)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(intake.create_fixtures(args.database_url))
    else:
        intake.setup_django(args.database_url)
    token = token_file.read_text().strip()

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    app = WSGIHandler()
    rng = random.Random(7)

    def one() -> None:
        status: list[str] = []
        chunks = app(environ(intake.body(rng), token), lambda s, h, *a: status.append(s))
        b"".join(chunks)
        chunks.close()
        assert status[0].startswith("201"), status

    for _ in range(args.warmup):
        one()
    if args.queries:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            one()
        for q in captured.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:160]}")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    pg0 = backend_cpu(backend)
    # CPU time, not wall time: waiting on PostgreSQL is not this process's cost.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu, wall = [], []
    for _ in range(args.n):
        c0, w0 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        one()
        if profiler:
            profiler.disable()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    pg = (backend_cpu(backend) - pg0) / args.n
    print(
        f"{args.n} intakes: PostgreSQL backend CPU {pg * 1000:.3f} ms/request; "
        f"CPU {statistics.mean(cpu) * 1000:.3f} ms/request (median {statistics.median(cpu) * 1000:.3f}, "
        f"tenth percentile {sorted(cpu)[len(cpu) // 10] * 1000:.3f}), "
        f"wall {statistics.mean(wall) * 1000:.3f} ms/request (median {statistics.median(wall) * 1000:.3f})"
    )
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
