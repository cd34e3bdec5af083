"""Observers of complaint events, registered by other apps in their AppConfig.ready().

`cases` cannot import the apps built on top of it (imports go one way), yet some of them must act
when a complaint moves — the portal notifies the citizen. Listeners run after the transaction
commits, never inside it: a failing listener cannot undo or block a transition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransitionEvent:
    """A complaint moved (`transition` names the workflow's transition), or was registered
    (`transition` "created", from any channel)."""

    case_id: int
    transition: str
    from_state: str
    to_state: str
    actor_id: int | None
    # Whether the complainant agreed at intake to be told of progress and left a contact, when the
    # emitter knows it (intake does): a listener need not read the complaint back to learn there is
    # nobody to tell. None: unknown, look it up.
    complainant_contact: bool | None = None


_listeners: list[Callable[[TransitionEvent], None]] = []


def on_transition(listener: Callable[[TransitionEvent], None]) -> Callable[[TransitionEvent], None]:
    """Register a listener (usable as a decorator). Registering twice is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def notify_transition(event: TransitionEvent) -> None:
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:  # a listener's failure must never reach the officer who acted
            logger.exception("transition listener %r failed for case %s", listener, event.case_id)
