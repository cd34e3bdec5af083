"""What the desk's services share: the event the actor may act on, and the first-answer clock."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from core.errors import NotFound
from media.choices import ActionKind, EventState, Label
from media.models import Action, Event
from media.selectors import events_for
from org.models import User


def event_for_action(actor: User, event: Event | int) -> Event:
    """The event locked for update, if the actor's cell watches it; else NotFound (alike for
    missing and forbidden)."""
    pk = event.pk if isinstance(event, Event) else event
    found = events_for(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such event."))
    return found


def record_action(event: Event, kind: str, actor: User, now: datetime, reference: str = "") -> Action:
    """The action's trace on the event; the first answer to a citizens' demand (any action but a
    triage correction, which answers nobody) stops its clock (Event.first_answer_at), and a new
    event becomes followed up."""
    fields = []
    answers = kind != ActionKind.CORRECTION
    if answers and event.label == Label.DEMAND and event.first_answer_at is None:
        event.first_answer_at = now
        fields.append("first_answer_at")
    if event.state == EventState.NEW:
        event.state = EventState.FOLLOWED
        fields.append("state")
    if fields:
        event.save(update_fields=fields)
    return Action.objects.create(event=event, kind=kind, reference=reference[:40], by=actor, at=now)
