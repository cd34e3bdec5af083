"""core.inserts.insert: the row it writes is the row save() writes, and what save() would do
differently (a receiver, an expression) falls back to save()."""

from __future__ import annotations

from django.db.models import signals
from django.db.models.functions import Now
from django.utils import timezone

from cases.models import CaseEvent
from core import inserts
from core.inserts import insert

COLUMNS = ("case_id", "kind", "at", "actor_id", "transition", "from_state", "to_state", "note", "data")


def event(case, actor, **kw) -> CaseEvent:
    fields = {"case": case, "kind": "note", "actor": actor, "at": timezone.now(), "note": "نص", "data": {"x": 1.5}}
    return CaseEvent(**{**fields, **kw})


def test_insert_writes_the_row_save_writes(org, make_case):
    case = make_case()
    now = timezone.now()
    saved, inserted = event(case, org.desk, at=now), event(case, org.desk, at=now)
    saved.save()
    assert insert(inserted) is inserted
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    rows = {r["id"]: r for r in CaseEvent.objects.filter(pk__in=[saved.pk, inserted.pk]).values("id", *COLUMNS)}
    assert {k: v for k, v in rows[saved.pk].items() if k != "id"} == {
        k: v for k, v in rows[inserted.pk].items() if k != "id"
    }
    # The second insert reuses the statement compiled by the first.
    assert any(model is CaseEvent for model, _alias in inserts._compiled)
    again = insert(event(case, org.desk, note="again"))
    assert CaseEvent.objects.get(pk=again.pk).note == "again"


def test_a_receiver_or_an_expression_gets_save(org, make_case):
    case = make_case()
    heard = []

    def receiver(sender, instance, created, **kw):
        heard.append((instance.pk, created))

    insert(event(case, org.desk))  # compiled before the receiver is connected
    signals.post_save.connect(receiver, sender=CaseEvent, dispatch_uid="test-inserts")
    try:
        heard_one = insert(event(case, org.desk))
    finally:
        signals.post_save.disconnect(sender=CaseEvent, dispatch_uid="test-inserts")
    assert heard == [(heard_one.pk, True)]
    by_database = insert(event(case, org.desk, at=Now()))
    assert CaseEvent.objects.get(pk=by_database.pk).at is not None
