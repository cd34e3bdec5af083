"""Every write of the media watch, by sub-domain: `ingest` (items into events), `sources` (feeds
polled on their schedule), `desk` (triage corrections, complaints, line-19 interventions, requests for
facts) and `communiques` (verifications, drafts, publication). Each is one transaction with its audit
record; callers import from `media.services`."""

from media.services.communiques import (
    CommuniqueText,
    communique_approve,
    communique_draft,
    communique_edit,
    communique_publish,
    rebuttal_draft,
    rebuttal_text,
    verification_conclude,
    verification_open,
)
from media.services.desk import (
    ComplaintInput,
    event_correct,
    event_open_complaint,
    event_open_intervention,
    fact_answer,
    fact_request,
)
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
    "CommuniqueText",
    "ComplaintInput",
    "Entry",
    "IngestResult",
    "PollResult",
    "backoff",
    "communique_approve",
    "communique_draft",
    "communique_edit",
    "communique_publish",
    "due_sources",
    "event_correct",
    "event_open_complaint",
    "event_open_intervention",
    "event_refresh",
    "fact_answer",
    "fact_request",
    "ingest",
    "link_key",
    "officer_source",
    "poll_due",
    "rebuttal_draft",
    "rebuttal_text",
    "source_create",
    "source_poll",
    "source_update",
    "verification_conclude",
    "verification_open",
]
