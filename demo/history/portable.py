"""The generated rows written through the ORM instead of COPY: the same text rows (COPY's text
format, `columns`) turned into model instances and bulk-inserted, on SQLite as on PostgreSQL. For
the few thousand rows of the demo's past (`load_demo --history`), not for national volumes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

NULL = "\\N"
_ESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
_ESCAPED = re.compile(r"\\[\\tnr]")
BATCH = 500


def cells(line: str, columns: list[str]) -> dict[str, str | None]:
    """One row of COPY's text format: tab-separated, `\\N` for NULL, backslash escapes."""
    values = line.split("\t")
    return {
        c: None if v == NULL else _ESCAPED.sub(lambda m: _ESCAPES[m.group()], v)
        for c, v in zip(columns, values, strict=True)
    }


def _python(field: Any, value: str | None) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(value)
    return field.to_python(value)


def instances(model: type[models.Model], columns: list[str], text: str) -> Iterator[models.Model]:
    fields = [model._meta.get_field(c) for c in columns]  # a column is a field's name or its attname
    for line in text.split("\n"):
        if line:
            row = cells(line, columns)
            yield model(**{f.attname: _python(f, row[c]) for f, c in zip(fields, columns, strict=True)})


def write(model: type[models.Model], columns: list[str], text: str) -> int:
    """Insert the rows of `text` (ids included); returns how many."""
    objs = list(instances(model, columns, text))
    model.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)


def reset_sequences(*written: type[models.Model]) -> None:
    """The next id of each table after the rows written with their ids (PostgreSQL's sequences;
    SQLite's AUTOINCREMENT follows by itself, the statement list is then empty)."""
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(written)):
            cur.execute(sql)
