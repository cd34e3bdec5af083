"""`manage.py media_train [--corrections FILE]`: retrain the triage model and make it the current one.

It learns from the officers' stored corrections (media.Correction: each text of the corrected event's
items becomes an example with the corrected label and/or harmful flag, the latest correction winning)
and from an optional JSONL file of corrections (`text` and the corrected `label` and/or `harmful`). A
correction replaces the shipped example with the same text field by field; a new text needs both fields
(the part an officer did not correct is taken from the event as it stands).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from media.analysis.triage import BadExample, read_examples, train
from media.models import Correction


def stored_corrections() -> list[dict[str, Any]]:
    """One line per item text of every corrected event, oldest correction first (so the latest wins)."""
    rows: list[dict[str, Any]] = []
    for fix in Correction.objects.select_related("event").order_by("at", "pk"):
        event = fix.event
        for text in event.items.values_list("text", flat=True):
            rows.append(
                {
                    "text": text,
                    "label": fix.label or event.label,
                    "harmful": fix.harmful if fix.harmful is not None else event.harmful,
                }
            )
    return rows


class Command(BaseCommand):
    help = "Train the media triage model on the labelled examples plus officers' corrections; store it under var/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corrections", type=Path, help="JSONL of corrections: text, label and/or harmful")

    def handle(self, *args: Any, corrections: Path | None, **options: Any) -> None:
        if corrections is not None and not corrections.exists():
            raise CommandError(f"{corrections}: no such file")
        started = time.perf_counter()
        stored = stored_corrections()
        try:
            lines = [json.dumps(row, ensure_ascii=False) for row in stored]
            if corrections is not None:
                read_examples(corrections, partial=True)  # refused here with the file's own line numbers
                lines += [line for line in corrections.read_text(encoding="utf-8").splitlines() if line.strip()]
            with tempfile.TemporaryDirectory() as folder:
                merged = Path(folder) / "corrections.jsonl"
                merged.write_text("\n".join(lines) + "\n", encoding="utf-8")
                _, path = train(merged if lines else None)
        except BadExample as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"trained in {time.perf_counter() - started:.1f} s on {len(stored)} stored corrections: {path}"
        )
