"""Ingestion: links stored once, items analysed and grouped into persisted events across calls."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest

from audit.models import AuditRecord
from media.choices import LabelSource, SourceKind
from media.models import Event, Item
from media.selectors import events_for, items_for
from media.services import Entry, event_refresh, ingest, link_key, officer_source
from media.tests.test_events import FRENCH, HESPRESS, REWRITE, T0, UNRELATED_FES

pytestmark = pytest.mark.django_db


def test_link_key_drops_fragment_tracking_and_trailing_slash() -> None:
    key = link_key("HTTPS://WWW.Hespress.COM/faits/123/?utm_source=fb&id=4&fbclid=X&gclid=Y#comments")
    assert key == "https://www.hespress.com/faits/123?id=4"
    assert link_key("https://le360.ma/a/") == link_key("https://le360.ma/a?utm_medium=social") == "https://le360.ma/a"
    assert link_key("") == ""


def test_the_same_link_with_tracking_parameters_is_stored_once(watch) -> None:
    source = officer_source(SourceKind.PASTE)
    first = ingest(actor=watch.national, source=source, entries=[Entry(HESPRESS, "https://hespress.com/x/1")])
    again = ingest(
        actor=watch.national,
        source=source,
        entries=[
            Entry(HESPRESS, "https://Hespress.com/x/1/?utm_source=twitter#top"),
            Entry(HESPRESS, "https://hespress.com/x/1?fbclid=abc"),
        ],
    )
    assert first.stored == 1 and again.stored == 0 and again.skipped == 2
    assert Item.objects.filter(link_key="https://hespress.com/x/1").count() == 1


def test_a_rewrite_and_a_french_article_join_the_stored_event_across_calls(watch) -> None:
    source = officer_source(SourceKind.PASTE)
    first = ingest(
        actor=watch.national, source=source, entries=[Entry(HESPRESS, "https://www.hespress.com/1", published=T0)]
    )
    event = first.events[0]
    second = ingest(
        actor=watch.national,
        source=source,
        entries=[Entry(REWRITE, "https://alyaoum24.com/2", published=T0 + timedelta(hours=1))],
    )
    third = ingest(
        actor=watch.national,
        source=source,
        entries=[
            Entry(FRENCH, "https://le360.ma/3", title="Braquage à Sidi Moumen", published=T0 + timedelta(hours=3)),
            Entry(UNRELATED_FES, "https://le360.ma/4", published=T0 + timedelta(hours=4)),
        ],
    )
    assert second.items[0].event_id == event.pk
    assert third.items[0].event_id == event.pk
    assert third.items[1].event_id != event.pk
    event.refresh_from_db()
    assert event.items_count == 3 and event.outlets_count == 3
    assert event.first_seen == T0 and event.last_seen == T0 + timedelta(hours=3)
    assert event.headline.startswith("أوقفت عناصر الشرطة القضائية")
    assert event.event_date is not None and event.event_date.isoformat() == "2022-09-26"
    assert event.lat is not None and event.place_name
    assert event.unit is not None and event.unit.path.startswith(watch.org.wilaya2.path)
    item = Item.objects.get(link_key="https://www.hespress.com/1")
    assert item.lang == "ar" and item.date_text and {p["kind"] for p in item.places}
    fes = Event.objects.get(pk=third.items[1].event_id)
    assert fes.items_count == 1 and fes.event_date is not None


def test_the_officers_label_is_kept_when_items_join(watch) -> None:
    source = officer_source(SourceKind.PASTE)
    event = ingest(actor=None, source=source, entries=[Entry(HESPRESS, "https://a.ma/1", published=T0)]).events[0]
    Event.objects.filter(pk=event.pk).update(label="rebuttal", label_source=LabelSource.OFFICER, confidence=1.0)
    ingest(actor=None, source=source, entries=[Entry(REWRITE, "https://b.ma/2", published=T0)])
    event.refresh_from_db()
    assert event.items_count == 2 and event.label == "rebuttal" and event.confidence == 1.0
    Event.objects.filter(pk=event.pk).update(label_source=LabelSource.MODEL)
    event.refresh_from_db()
    event_refresh(event)
    assert event.label != "rebuttal" or event.confidence < 1.0


def test_the_audit_record_names_counts_not_texts(watch) -> None:
    source = officer_source(SourceKind.PASTE)
    result = ingest(actor=watch.national, source=source, entries=[Entry(HESPRESS, "https://a.ma/1", author="@x")])
    record = AuditRecord.objects.filter(action="media.ingest").latest("pk")
    assert record.after == {"kind": "paste", "stored": 1, "skipped": 0, "events": [result.events[0].pk]}
    assert "@x" not in str(record.after) and "الشرطة" not in str(record.after)


def test_a_wilaya_cell_sees_only_its_wilayas_items(watch) -> None:
    source = officer_source(SourceKind.PASTE)
    ingest(actor=None, source=source, entries=[Entry(HESPRESS, "https://a.ma/1", published=T0)])
    assert items_for(watch.casa).count() == 1 and events_for(watch.casa).count() == 1
    assert items_for(watch.rabat).count() == 0 and events_for(watch.rabat).count() == 0
    assert items_for(watch.national).count() == 1


def test_a_link_stored_by_a_concurrent_ingest_is_skipped_by_the_constraint(watch, monkeypatch) -> None:
    """The other transaction committed the link after this one read the stored keys: the unique
    constraint refuses the row, the rest of the batch is stored."""
    source = officer_source(SourceKind.PASTE)
    ingest(actor=None, source=source, entries=[Entry(HESPRESS, "https://a.ma/1", published=T0)])
    monkeypatch.setattr(sys.modules["media.services.ingest"], "stored_keys", lambda keys: set())
    result = ingest(
        actor=None,
        source=source,
        entries=[Entry(HESPRESS, "https://a.ma/1/?utm_campaign=x"), Entry(REWRITE, "https://b.ma/2", published=T0)],
    )
    assert result.skipped == 1 and result.stored == 1
    assert Item.objects.filter(link_key="https://a.ma/1").count() == 1 and Item.objects.count() == 2
