"""Reads of the media watch, scoped to the reader: a wilaya's communication cell sees the events
placed in its wilaya; the central cell sees every event, the unplaced ones included."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from media.choices import CommuniqueState
from media.models import Communique, Event, FactRequest, Item, Source, Verification
from org import access
from org.choices import Role, UnitKind
from org.models import User
from org.selectors import wilaya_of


@dataclass(frozen=True, slots=True)
class Watch:
    """Where the reader watches: `path` is the materialised path prefix of their wilaya ("" nationwide)."""

    path: str
    national: bool


def watch_for(user: User) -> Watch | None:
    """The reader's media-watch area, or None when they may not watch the media at all."""
    unit = user.unit if getattr(user, "is_authenticated", False) else None
    scopes = access.scopes_for(list(user.roles or []), access.MEDIA_WATCH) if unit is not None else set()
    if unit is None or not scopes:
        return None
    wilaya = None if unit.kind == UnitKind.CENTRAL else wilaya_of(unit)
    if wilaya is None or access.NATIONAL in scopes:
        # The central directorate's cell (a unit under the central unit, in no wilaya) watches nationwide.
        return Watch(path="", national=True)
    return Watch(path=wilaya.path, national=False)


def events_for(user: User) -> QuerySet[Event]:
    watch = watch_for(user)
    if watch is None:
        return Event.objects.none()
    events = Event.objects.all()
    return events if watch.national else events.filter(unit__path__startswith=watch.path)


def items_for(user: User) -> QuerySet[Item]:
    watch = watch_for(user)
    if watch is None:
        return Item.objects.none()
    items = Item.objects.select_related("source")
    return items if watch.national else items.filter(event__unit__path__startswith=watch.path)


def sources_for(user: User) -> QuerySet[Source]:
    """Sources are shared by every cell (an outlet is not a wilaya's); only watchers see them."""
    return Source.objects.all() if watch_for(user) is not None else Source.objects.none()


def fact_requests_for(user: User) -> QuerySet[FactRequest]:
    """Requests for facts addressed to the reader's unit or a unit below it (chiefs answer them)."""
    unit = user.unit if getattr(user, "is_authenticated", False) else None
    if unit is None or not access.scopes_for(list(user.roles or []), access.MEDIA_FACTS):
        return FactRequest.objects.none()
    return FactRequest.objects.select_related("event", "unit").filter(unit__path__startswith=unit.path)


def verifications_for(user: User) -> QuerySet[Verification]:
    return Verification.objects.select_related("event", "assignee").filter(event__in=events_for(user))


def cell_officers(user: User) -> list[User]:
    """The communication officers of the reader's cell (who a verification may be assigned to);
    a cell is a handful of people, so the role is checked here rather than in a JSON lookup."""
    if watch_for(user) is None:
        return []
    staff = User.objects.filter(unit=user.unit, is_active=True).order_by("username")
    return [u for u in staff if u.has_role(Role.COMMUNICATION)]


def communiques_for(user: User) -> QuerySet[Communique]:
    """The communiqués a cell works on: those about its events, and those its own officers drafted
    without an event (statements, the annual communiqué). The central cell sees every one."""
    watch = watch_for(user)
    if watch is None:
        return Communique.objects.none()
    qs = Communique.objects.select_related("event")
    if watch.national:
        return qs
    return qs.filter(Q(event__in=events_for(user)) | Q(event__isnull=True, drafted_by__unit=user.unit))


def published_communiques() -> QuerySet[Communique]:
    """What anyone may read, newest first."""
    return Communique.objects.filter(state=CommuniqueState.PUBLISHED).order_by("-published_at", "-pk")


def item_pasted(user: User, pk: int | None) -> Item | None:
    """The item the reader pasted last (its id kept in their own session): shown to them wherever it is
    placed, since they wrote it in; its event only when `events_for` holds it."""
    if pk is None or watch_for(user) is None:
        return None
    return Item.objects.select_related("event").filter(pk=pk, source__kind="paste").first()


def may_approve_annual(user: User) -> bool:
    """The director: a chief of the central directorate itself (not of a unit below it)."""
    unit = user.unit if getattr(user, "is_authenticated", False) else None
    return unit is not None and unit.kind == UnitKind.CENTRAL and user.has_role(Role.UNIT_CHIEF)


def annual_drafts_to_approve(user: User) -> QuerySet[Communique]:
    """The annual communiqués drafted by the central cell and waiting for the director."""
    if not may_approve_annual(user):
        return Communique.objects.none()
    return Communique.objects.filter(kind="annual", state=CommuniqueState.DRAFT).order_by("-drafted_at", "-pk")
