"""The grievance workflow, declared once as data and enforced by `services.grievance_transition`.

The answer goes draft → reviewed → approved by the head → sent; the liaison closes the grievance
as answered (after sending), or as redirected / outside the remit at any time. Who may: a liaison
(Role.OVERSIGHT); approving is the head's — a liaison who is also a unit chief — and nobody
reviews or approves their own draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.choices import GrievanceState as S

OPEN = frozenset(s for s in S.values if s != S.CLOSED)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    head_only: bool = False
    required: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "assign_inquiry", _("Assign the inquiry"), frozenset({S.RECEIVED, S.INQUIRY}), S.INQUIRY, required=("unit",)
        ),
        Transition(
            "draft",
            _("Draft the answer"),
            frozenset({S.INQUIRY, S.DRAFTED, S.REVIEWED}),
            S.DRAFTED,
            required=("answer_text",),
        ),
        Transition("review", _("Mark the answer reviewed"), frozenset({S.DRAFTED}), S.REVIEWED),
        Transition("approve", _("Approve the answer"), frozenset({S.REVIEWED}), S.APPROVED, head_only=True),
        Transition("send", _("Record the answer sent"), frozenset({S.APPROVED}), S.SENT),
        Transition("close", pgettext_lazy("grievance", "Close"), frozenset({S.SENT}), S.CLOSED, required=("closure",)),
        Transition(
            "close_unanswered",
            _("Close without an answer of ours"),
            frozenset(OPEN - {S.SENT}),
            S.CLOSED,
            required=("closure", "note"),
        ),
    )
}

FIELD_LABELS = {
    "unit": _("Unit"),
    "answer_text": _("Answer"),
    "closure": _("Closed as"),
    "note": _("Note"),
}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
