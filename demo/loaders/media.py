"""The demo's media watch: a few outlets' feeds (stored inactive: the demo never polls the Internet) and
about thirty items ingested through the media service, in publication order, so that the communication
officers find events told by several outlets in Arabic, Darija and French."""

from __future__ import annotations

from datetime import datetime, timedelta

from demo.data.media import OUTLETS, STORIES
from media.choices import SourceKind
from media.entry import Entry
from media.models import Source
from media.services import ingest, officer_source, source_create, source_update
from org.models import User

DEMO_ACTOR = "com.dgsn"


class MediaLoader:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def load(self) -> dict[str, int]:
        actor = User.objects.filter(username=DEMO_ACTOR).first()
        feeds = [self._feed(actor, name, url) for name, url in OUTLETS]
        social = officer_source(SourceKind.IMPORT)
        items = sorted(
            (
                (self.now - timedelta(hours=hours), outlet, link, author, text)
                for story in STORIES
                for outlet, link, author, hours, text in story
            ),
            key=lambda row: row[0],
        )
        stored = 0
        events: set[int] = set()
        for published, outlet, link, author, text in items:
            source = social if outlet is None else feeds[outlet]
            entry = Entry(text=text, link=link, author=author, published=published)
            result = ingest(actor=actor, source=source, entries=[entry])
            stored += result.stored
            events.update(e.pk for e in result.events)
        return {"sources": len(feeds) + 1, "items": stored, "events": len(events)}

    @staticmethod
    def _feed(actor: User | None, name: str, url: str) -> Source:
        source = source_create(actor=actor, name=name, url=url, poll_minutes=30)
        return source_update(actor=actor, source=source, active=False, poll_minutes=30)
