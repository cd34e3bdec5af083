"""`manage.py media_analyse FILE.jsonl`: language, date, places, event and triage of each item, one JSON line out.

Input: one JSON object per line with `text` (required), optional `url` and `published` (ISO 8601). A bad line
(not JSON, no text, a bad date) is skipped and reported on stderr with its line number, and the command exits
with status 1 at the end; `--strict` stops at the first bad line instead. Each output line carries `line`, the
input line number it answers, so skipped lines cannot shift the answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from media.analysis.jsonl import json_lines
from media.analysis.pipeline import Analyser, Item, parse_published


def read_items(path: Path, *, strict: bool) -> tuple[list[tuple[int, Item]], list[str]]:
    """(line number, item) for every good line, and one message per bad line."""
    items: list[tuple[int, Item]] = []
    errors: list[str] = []
    for number, row, error in json_lines(path):
        try:
            if error:
                raise ValueError(error)
            if not isinstance(row, dict):
                raise ValueError("expected a JSON object")
            text, url = row.get("text"), row.get("url")
            if not isinstance(text, str) or not text.strip():
                raise ValueError("'text' is required and must be a non-empty string")
            if url is not None and not isinstance(url, str):
                raise ValueError("'url' must be a string")
            items.append((number, Item(text=text, url=url, published=parse_published(row.get("published")))))
        except ValueError as exc:
            message = f"{path}: line {number}: {exc}"
            if strict:
                raise CommandError(message) from exc
            errors.append(message)
    return items, errors


class Command(BaseCommand):
    help = "Analyse media items (JSONL: text, url, published) and print one JSON line per item."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="JSONL file of items ('-' reads standard input)")
        parser.add_argument("--strict", action="store_true", help="stop at the first bad line")

    def handle(self, *args: Any, file: Path, strict: bool, **options: Any) -> None:
        path = Path("/dev/stdin") if str(file) == "-" else file
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        items, errors = read_items(path, strict=strict)
        results = Analyser().analyse(item for _, item in items)
        for (number, _), result in zip(items, results, strict=True):
            self.stdout.write(json.dumps({"line": number, **result.as_json()}, ensure_ascii=False))
        for message in errors:
            self.stderr.write(message)
        if errors:
            sys.exit(1)
