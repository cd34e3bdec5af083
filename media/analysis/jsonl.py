"""Reading JSON Lines files (items to analyse, labelled examples, officers' corrections)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def json_lines(path: Path) -> Iterator[tuple[int, Any, str]]:
    """(line number, decoded value, error) for every non-blank line; the error is "" when the line
    is valid JSON, else why it is not (the value is then None)."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), ""
            except json.JSONDecodeError as exc:
                yield number, None, f"not JSON ({exc.msg})"
