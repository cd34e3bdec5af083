"""State changes of the media watch (each one transaction with its audit record)."""

from media.services.ingest import Entry, IngestResult, event_refresh, ingest, link_key
from media.services.sources import (
    PollResult,
    backoff,
    due_sources,
    officer_source,
    poll_due,
    source_create,
    source_poll,
    source_update,
)

__all__ = [
    "Entry",
    "IngestResult",
    "PollResult",
    "backoff",
    "due_sources",
    "event_refresh",
    "ingest",
    "link_key",
    "officer_source",
    "poll_due",
    "source_create",
    "source_poll",
    "source_update",
]
