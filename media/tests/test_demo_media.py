"""The demo's media items load through the ingestion service and tell their stories as events."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.data.media import STORIES
from demo.loaders.media import MediaLoader
from media.models import Event, Item, Source

pytestmark = pytest.mark.django_db


def test_demo_items_are_ingested_and_grouped(watch) -> None:
    stats = MediaLoader(timezone.now()).load()
    assert stats["items"] == sum(len(s) for s in STORIES) == Item.objects.count()
    assert not Source.objects.filter(kind="feed", active=True).exists()  # the demo never polls the Internet
    grouped = 0
    for story in STORIES:
        events = set(Item.objects.filter(link__in=[row[1] for row in story]).values_list("event_id", flat=True))
        grouped += len(events) == 1 and len(story) > 1
    assert grouped >= 6  # most stories are one event across outlets and languages
    casa = Item.objects.get(link="https://fr.le360.ma/demo/hay-mohammadi-3").event
    assert casa is not None and casa.items_count == 4 and casa.outlets_count == 4 and casa.unit is not None
    assert casa.unit.path.startswith(watch.org.wilaya2.path)
    assert Event.objects.count() < Item.objects.count() / 1.5
