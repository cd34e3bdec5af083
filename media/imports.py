"""Reading a file of exported social posts: a JSON list, JSON Lines, or CSV with the columns text,
url (or link), author, published. Every bad line is reported at once with its line number, in the
reader's language; the caller stores nothing unless the whole file is good."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from media.analysis.pipeline import parse_published
from media.entry import Entry

MAX_BYTES = 5 * 1024 * 1024
MAX_POSTS = 5000
MAX_TEXT = 20_000


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_posts(name: str, data: bytes) -> Parsed:
    """Entries of the file, or every problem found (then `entries` must not be stored)."""
    if len(data) > MAX_BYTES:
        return Parsed(errors=[_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed(errors=[_("The file is not UTF-8 text.")])
    stripped = text.lstrip()
    lower = name.lower()
    if lower.endswith(".csv") or not stripped.startswith(("[", "{")):
        records = _csv_records(text)
    elif stripped.startswith("["):
        records = _json_list_records(text)
    else:
        records = _json_lines_records(text)
    parsed = Parsed()
    for line, record in records:
        if len(parsed.entries) + len(parsed.errors) >= MAX_POSTS:
            parsed.errors.append(_("More than %(n)d posts: split the file.") % {"n": MAX_POSTS})
            break
        outcome = record if isinstance(record, str) else _entry(record)
        if isinstance(outcome, str):
            parsed.errors.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": outcome})
        else:
            parsed.entries.append(outcome)
    if not parsed.entries and not parsed.errors:
        parsed.errors.append(_("The file holds no post."))
    return parsed


Record = tuple[int, Mapping[str, Any] | str]  # (line number, the fields or a problem)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_list_records(text: str) -> Iterator[Record]:
    """The objects of a JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            yield _line_of(text, pos), _("the list is not closed with ].")
            return
        if text[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield exc.lineno, _("not valid JSON.")
            return
        yield _line_of(text, pos), value if isinstance(value, dict) else _("not a JSON object.")
        pos = end


def _json_lines_records(text: str) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield number, _("not valid JSON.")
            continue
        yield number, value if isinstance(value, dict) else _("not a JSON object.")


def _csv_records(text: str) -> Iterator[Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if "text" not in columns:
        yield 1, _("the first line must name the columns, among them text.")
        return
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if None in row:
                yield reader.line_num, _("more values than columns.")
                continue
            yield reader.line_num, {(k or "").strip().lower(): v for k, v in row.items()}
    except csv.Error:
        yield reader.line_num, _("not valid CSV.")


def _text_field(record: Mapping[str, Any], *names: str) -> str | None:
    """The first of `names` present, as text ("" when absent); None when it is not text."""
    for name in names:
        value = record.get(name)
        if value is None:
            continue
        return value.strip() if isinstance(value, str) else None
    return ""


def _entry(record: Mapping[str, Any]) -> Entry | str:
    """The entry, or what is wrong with the record."""
    text, link, author = _text_field(record, "text"), _text_field(record, "url", "link"), _text_field(record, "author")
    if not text:
        return _("the text is missing.")
    if len(text) > MAX_TEXT:
        return _("the text is longer than %(n)d characters.") % {"n": MAX_TEXT}
    if link is None or (link and (not link.lower().startswith(("http://", "https://")) or len(link) > 1000)):
        return _("the link is not an http or https address.")
    if author is None:
        return _("the author is not text.")
    try:
        published = parse_published(record.get("published"))
    except ValueError:
        return _("the publication date is not an ISO 8601 date (2024-09-26 or 2024-09-26T08:15:00+01:00).")
    return Entry(text=text, link=link, author=author[:200], published=published)
