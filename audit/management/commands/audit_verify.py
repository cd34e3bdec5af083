"""`manage.py audit_verify`: one line per problem, exit status 1 when there is any."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.checkpoints import checkpoints_path, load_public_key
from audit.services import audit_verify, seal_pending


class Command(BaseCommand):
    help = (
        "Verify the audit chain against the signed checkpoints: edited, removed or reordered records, "
        "a rewritten chain, a cut tail, forged checkpoints, records the sealer left behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints", type=Path, help="checkpoints file (default var/audit/checkpoints.jsonl, or an export)"
        )
        parser.add_argument("--public-key", type=Path, help="PEM public key to check the checkpoints with (pinned)")
        parser.add_argument("--window", type=int, help="seconds a record may wait to be sealed (default from settings)")
        parser.add_argument("--seal", action="store_true", help="seal pending records first (no sealer running)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal"]:
            seal_pending()
        path = options["checkpoints"] or checkpoints_path()
        if options["checkpoints"] and not path.exists():
            raise CommandError(f"no such checkpoints file: {path}")
        key = load_public_key(options["public_key"]) if options["public_key"] else None
        result = audit_verify(checkpoints=path, public_key=key, window_seconds=options["window"])
        for problem in result.problems:
            self.stdout.write(problem.line())
        if result.problems:
            raise CommandError(f"audit chain NOT intact: {len(result.problems)} problem(s)")
        last = result.last_checkpoint
        anchored = f"last checkpoint at position {last.position} ({last.at})" if last else "no checkpoint yet"
        self.stdout.write(
            f"audit chain intact: {result.sealed} records sealed, {result.pending} waiting, "
            f"{result.checkpoints} signed checkpoints in {path}, {anchored}"
        )
