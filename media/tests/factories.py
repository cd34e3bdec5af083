"""Builders of the media desk's tests: communication cells in the test organisation, and an event
made of two items (one Arabic, one French, the same story) from a pasted source. Items and events
are written directly: ingestion and grouping belong to the ingest side, not to the desk."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from media.choices import Label, SourceKind
from media.models import Event, Item, Source
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.services import unit_create, user_create
from org.tests.factories import PASSWORD, Org

HEADLINE = "إشاعة اختطاف أطفال قرب مدرسة بحي حسان بالرباط"
TEXT_AR = "تداولت صفحات على مواقع التواصل خبر اختطاف أطفال قرب مدرسة بحي حسان بالرباط يوم الاثنين 26 شتنبر 2022."
TEXT_FR = (
    "Des pages relaient l'enlèvement d'enfants près d'une école du quartier Hassan à Rabat, le lundi 26 septembre."
)


def _cell(parent: Unit, code: str) -> Unit:
    return unit_create(
        actor=None,
        parent=parent,
        kind=UnitKind.COMMUNICATION,
        code=code,
        name_ar="خلية التواصل",
        name_fr="Cellule de communication",
        city="Rabat",
        latitude=parent.latitude,
        longitude=parent.longitude,
    )


def _officer(name: str, unit: Unit) -> User:
    return user_create(actor=None, username=name, password=PASSWORD, unit=unit, roles=[Role.COMMUNICATION])


def media_org(o: Org) -> Org:
    """Add the Rabat cell (two officers), the Casablanca cell and the central cell to `o`."""
    o.com_cell = _cell(o.wilaya, "RBT-COM")
    o.com = _officer("com.rabat", o.com_cell)
    o.com2 = _officer("com.rabat.2", o.com_cell)
    o.com_casa = _officer("com.casa", _cell(o.wilaya2, "CAS-COM"))
    o.com_central = _officer("com.dgsn", _cell(o.central, "DGSN-COM"))
    return o


def source() -> Source:
    found, _created = Source.objects.get_or_create(name="لصق", kind=SourceKind.PASTE)
    return found


def make_event(
    unit: Unit | None,
    *,
    headline: str = HEADLINE,
    label: str = Label.CLAIM,
    first_seen: datetime | None = None,
    harmful: bool = False,
) -> Event:
    """An event placed at `unit` with its two items, Arabic and French."""
    seen = first_seen or timezone.now() - timedelta(hours=3)
    event = Event.objects.create(
        headline=headline,
        first_seen=seen,
        last_seen=seen + timedelta(hours=1),
        event_date=seen.date(),
        place_name="حسان، الرباط",
        lat=34.0236 if unit is not None else None,
        lon=-6.8341 if unit is not None else None,
        unit=unit,
        label=label,
        confidence=0.71,
        harmful=harmful,
        items_count=2,
        outlets_count=2,
    )
    src = source()
    for n, (text, lang) in enumerate(((TEXT_AR, "ar"), (TEXT_FR, "fr"))):
        Item.objects.create(
            source=src,
            event=event,
            link=f"https://example.ma/{event.pk}/{n}",
            link_key=f"example.ma/{event.pk}/{n}",
            author_handle=f"@page{n}",
            text=text,
            lang=lang,
            published_at=seen + timedelta(minutes=30 * n),
            received_at=seen + timedelta(minutes=30 * n + 1),
            places=[{"name": "حسان" if lang == "ar" else "Hassan"}],
        )
    return event
