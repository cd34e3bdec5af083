"""`manage.py generate_history --cases N [--seed S]`: a synthetic national history, for load tests.

Writes complaints, complainants, their timelines and audit records with PostgreSQL COPY (see
`demo/history/`); 10 million complaints take well under an hour. Loads the demo organisation
first when the database has none. PostgreSQL only; refused in production.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core.checks import production
from demo import data
from demo.history import HistoryGenerator, progress_bar
from org.models import Unit


class Command(BaseCommand):
    help = "Generate a synthetic history of complaints with COPY (PostgreSQL only, never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="Complaints to generate.")
        parser.add_argument("--calls", type=int, default=0, help="Line-19 calls to generate (default none).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same history).")
        parser.add_argument("--years", type=int, default=None, help="Years of history (default: N / 2.5 million).")
        parser.add_argument(
            "--audit",
            choices=("all", "create", "none"),
            default="create",
            help="Audit records for registrations only (default), for every act (about five times slower), or none.",
        )
        parser.add_argument(
            "--rebuild-indexes",
            action="store_true",
            default=None,
            help="Drop the secondary indexes during the load and rebuild them after (default from 200,000 on).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **o: Any) -> None:
        if production():
            raise CommandError("AMANE_ENV=production: synthetic history never goes in production.")
        if connection.vendor != "postgresql":
            raise CommandError("generate_history writes with PostgreSQL COPY: point AMANE_DATABASE_URL at PostgreSQL.")
        if o["cases"] < 0 or o["calls"] < 0:
            raise CommandError("--cases and --calls must be zero or more.")
        if not Unit.objects.filter(code=data.CENTRAL.code).exists():
            call_command("load_demo", cases=0, history=0, no_line19=o["calls"] == 0, verbosity=o["verbosity"])
        generator = HistoryGenerator(
            cases=o["cases"],
            seed=o["seed"],
            years=o["years"],
            audit=o["audit"],
            rebuild_indexes=o["rebuild_indexes"],
            progress=None if o["no_progress"] or o["verbosity"] == 0 else progress_bar(self.stderr._out),
        )
        stats = generator.run()
        calls = generator.generate_calls(o["calls"]) if o["calls"] else 0
        self.stdout.write(
            f"generated {stats.cases:,} complaints, {stats.events:,} timeline events, {stats.audit:,} audit records"
            f"{f', {calls:,} line-19 calls' if o['calls'] else ''} in {stats.seconds:,.0f} s "
            f"(indexes and statistics {stats.index_seconds:,.0f} s)"
        )
