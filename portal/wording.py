"""Plain words for citizens: what each step of the workflow means to the person who complained.

Staff labels ("Qualified", "Instructions received") are the police's vocabulary; these sentences are
what the tracking page and the notifications say. Nothing here names an officer or quotes a note.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.choices import Outcome, Sensitivity, State

PUBLIC_STATE: dict[str, Promise] = {
    State.RECEIVED: _("Received, waiting to be examined"),
    State.QUALIFIED: _("Examined and accepted, being handled"),
    State.UNDER_INVESTIGATION: _("Under investigation"),
    State.AWAITING_COMPLAINANT: _("Waiting for information from you"),
    State.REFERRED: _("With the public prosecutor"),
    State.INSTRUCTIONS_RECEIVED: _("Being handled on the public prosecutor's instructions"),
    State.CLOSED: _("Closed"),
}

# Steps of the timeline, by transition name ("created" is the filing itself).
PUBLIC_STEP: dict[str, Promise] = {
    "created": _("Your complaint was received"),
    "qualify": _("Your complaint was examined and accepted for handling"),
    "investigate": _("An investigation was opened"),
    "request_information": _("The police asked you for more information"),
    "information_received": _("Your information was received and the investigation continues"),
    "refer": _("The file was referred to the public prosecutor"),
    "record_instructions": _("The public prosecutor's instructions were received"),
    "close": _("Your complaint was closed"),
    "reopen": _("Your complaint was reopened"),
    "citizen_reopen": _("Your complaint was reopened at your request"),
    "transfer": _("Your complaint was sent to the competent unit"),
}

PUBLIC_OUTCOME: dict[str, Promise] = {
    Outcome.SOLVED: _("the matter was resolved"),
    Outcome.REFERRED_COMPETENT: _("it was passed to the competent authority"),
    Outcome.UNFOUNDED: _("the facts could not be established"),
    Outcome.WITHDRAWN: _("the complaint was withdrawn"),
}

# Steps worth a message to the citizen, by transition name.
NOTIFIED_STEPS = frozenset({"created", "qualify", "refer", "close", "reopen", "citizen_reopen"})

NEUTRAL_CATEGORY = _("Complaint")


def public_category(category) -> str:
    """A sensitive category is never named in public: a lost phone or receipt must not tell."""
    return category.name if category.sensitivity == Sensitivity.NORMAL else str(NEUTRAL_CATEGORY)
