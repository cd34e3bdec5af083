"""Every write of the media desk, by sub-domain: `desk` (triage corrections, complaints, line-19
interventions, requests for facts) and `communiques` (verifications, drafts, publication). Callers
import from `media.services`."""

from media.services.communiques import (
    CommuniqueText,
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

__all__ = [
    "CommuniqueText",
    "ComplaintInput",
    "communique_draft",
    "communique_edit",
    "communique_publish",
    "event_correct",
    "event_open_complaint",
    "event_open_intervention",
    "fact_answer",
    "fact_request",
    "rebuttal_draft",
    "rebuttal_text",
    "verification_conclude",
    "verification_open",
]
