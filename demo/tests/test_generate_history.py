"""`manage.py generate_history`: a synthetic history written with COPY, consistent with what the services write."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from audit.models import AuditRecord
from audit.services import audit_verify
from cases.choices import EventKind, State
from cases.models import Case, CaseEvent, Complainant, ReferenceCounter
from cases.references import is_valid_reference
from cases.services import ComplainantInput, IntakeInput, complaint_register
from demo.history import ACTOR_SUFFIX, GENERATED
from demo.history.generator import DROPPED_LEDGER, HistoryGenerator
from emergency.models import Call
from org.models import User


def test_refused_without_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for other databases")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_history", cases=10, verbosity=0)


@pytest.mark.postgres_only
def test_history_is_consistent_and_its_audit_verifies(db):
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    call_command("generate_history", cases=400, calls=50, audit="all", seed=7, verbosity=0)
    cases = Case.objects.filter(tracking_code_hash=GENERATED)
    assert cases.count() == 400
    assert Complainant.objects.filter(case__in=cases).count() == 400
    references = list(cases.values_list("reference", flat=True))
    assert len(set(references)) == 400 and all(is_valid_reference(r) for r in references)
    states = set(cases.values_list("state", flat=True))
    assert State.CLOSED in states and len(states) >= 3  # a history, not a snapshot of one state
    assert not cases.filter(state=State.CLOSED, outcome="").exists()
    assert not cases.exclude(state=State.CLOSED).filter(closed_at__isnull=False).exists()
    # Every complaint starts its timeline with its registration, at its creation time.
    created = CaseEvent.objects.filter(kind=EventKind.CREATED, case__in=cases)
    assert created.count() == 400
    assert not created.exclude(at=F("case__created_at")).exists()
    assert CaseEvent.objects.filter(case__in=cases).count() > 3 * 400
    # Audit records: marked as generated, keyed and chained like the sealer's, with a checkpoint.
    generated = AuditRecord.objects.filter(actor_label__endswith=ACTOR_SUFFIX)
    assert generated.filter(action="case.create").count() == 400
    assert not AuditRecord.objects.filter(position__isnull=True).exists()
    assert audit_verify().problems == []
    # Line 19: each generated call its own closed incident, in the wilaya of its district.
    calls = Call.objects.filter(caller_number_hash=GENERATED).select_related("incident", "incident__district")
    assert calls.count() == 50
    assert all(c.incident.state == "closed" and c.incident.district.path.startswith(c.wilaya.path) for c in calls)
    # The next complaint continues the numbering of its wilaya and year.
    case = cases.filter(sensitivity="normal").order_by("-created_at").first()
    prefix, year = case.reference[:3], case.created_at.year
    last = ReferenceCounter.objects.get(prefix=prefix, year=year).last
    assert last == max(int(r[9:15]) for r in references if r.startswith(f"{prefix}-{year}-"))
    chief = User.objects.filter(unit=case.assigned_unit, roles__contains=["unit_chief"]).first()
    new = complaint_register(
        actor=chief,
        data=IntakeInput(
            channel="counter",
            category=case.category,
            description="Vol",
            complainant=ComplainantInput(full_name="Nadia Fictive"),
            assigned_unit=case.assigned_unit,
        ),
    )
    assert new.reference != case.reference and new.pk > case.pk


@pytest.mark.postgres_only
def test_a_run_after_an_interrupted_one_continues_the_numbering(db):
    """A run killed with its connection (a PostgreSQL restart) never saved its reference counters: the
    next run must continue after the references actually stored, not collide with them."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    call_command("generate_history", cases=300, seed=3, audit="none", verbosity=0)
    ReferenceCounter.objects.all().delete()  # what the killed run left: rows written, counters not
    call_command("generate_history", cases=300, seed=4, audit="none", verbosity=0)
    references = list(Case.objects.filter(tracking_code_hash=GENERATED).values_list("reference", flat=True))
    assert len(references) == 600 and len(set(references)) == 600
    for counter in ReferenceCounter.objects.all():
        stored = [int(r[9:15]) for r in references if r.startswith(f"{counter.prefix}-{counter.year}-")]
        assert counter.last == max(stored)


@pytest.mark.postgres_only
def test_indexes_an_interrupted_run_left_dropped_are_recreated_by_the_next(db):
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    generator = HistoryGenerator(cases=10, seed=5, years=None, audit="none", rebuild_indexes=True, progress=None)
    before = dict(generator._secondary_indexes())
    assert before
    generator._drop_indexes()  # then the run is killed: nothing recreates them
    assert generator._secondary_indexes() == []
    call_command("generate_history", cases=50, seed=6, audit="none", verbosity=0)
    assert dict(generator._secondary_indexes()) == before
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [DROPPED_LEDGER])
        assert cur.fetchone()[0] is None
