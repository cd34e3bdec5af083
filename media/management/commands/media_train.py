"""`manage.py media_train [--corrections FILE]`: retrain the triage model and make it the current one.

Corrections are JSONL lines with `text` and the corrected `label` and/or `harmful`; a correction replaces the
shipped example with the same text field by field, a new text (both fields required) is added. Phase 2 feeds
the officers' stored corrections through the same file format.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from media.analysis.triage import BadExample, train


class Command(BaseCommand):
    help = "Train the media triage model on the labelled examples (plus corrections) and store it under var/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corrections", type=Path, help="JSONL of corrections: text, label and/or harmful")

    def handle(self, *args: Any, corrections: Path | None, **options: Any) -> None:
        if corrections is not None and not corrections.exists():
            raise CommandError(f"{corrections}: no such file")
        started = time.perf_counter()
        try:
            _, path = train(corrections)
        except BadExample as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"trained in {time.perf_counter() - started:.1f} s: {path}")
