"""`manage.py audit_checkpoints`: hand the signed checkpoints and the public key to a third party.

manage.py audit_checkpoints export [--since POSITION] [--output FILE]   (JSON Lines; key first)
manage.py audit_checkpoints public-key                                  (PEM, to pin)
manage.py audit_checkpoints now                                         (seal and sign a checkpoint now)
"""

from __future__ import annotations

import itertools
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.checkpoints import export_lines, public_key_pem, signing_key
from audit.services import seal_pending


class Command(BaseCommand):
    help = "Export the signed audit checkpoints with the public key, print the public key, or checkpoint now."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("export", help="checkpoints past --since, the public key on the first line")
        out.add_argument("--since", type=int, default=0, help="only checkpoints after this chain position")
        out.add_argument("--output", type=Path, help="file to write (default: standard output)")
        sub.add_parser("public-key", help="the Ed25519 public key, PEM")
        sub.add_parser("now", help="seal pending records and sign a checkpoint of the head now")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "public-key":
            key = signing_key(create=False)
            if key is None:
                raise CommandError("no audit signing key here (AMANE_AUDIT_SIGNING_KEY or var/audit_signing_key)")
            self.stdout.write(public_key_pem(key.public_key()), ending="")
        elif action == "now":
            result = seal_pending(checkpoint=True)
            cp = result.checkpoint
            self.stdout.write(f"checkpoint at position {cp.position}" if cp else "nothing new to checkpoint")
        else:
            self._export(options["since"], options["output"])

    def _export(self, since: int, output: Path | None) -> None:
        lines = export_lines(since=since)
        try:
            header = next(lines)  # the key comes first: a missing key fails before any output
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        count = 0
        with open(output, "w", encoding="utf-8") if output else nullcontext(None) as fh:
            for line in itertools.chain([header], lines):
                if fh is None:
                    self.stdout.write(line)
                else:
                    fh.write(line + "\n")
                count += 1
        self.stderr.write(f"{count - 1} checkpoint(s) exported")
