"""What every way in gives the ingestion service: one article or post (a feed's entry, a pasted text, an
imported post)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One article or post to ingest: its text, link, title, author handle and publication time."""

    text: str
    link: str = ""
    title: str = ""
    author: str = ""
    published: datetime | None = None
