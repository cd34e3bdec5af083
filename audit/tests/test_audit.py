"""The audit log: every write recorded in its own transaction, without a lock, then sealed."""

import itertools

import pytest
from django.core.management import call_command
from django.db import transaction

from audit.chain import GENESIS, audit_key, chain_mac, entry_mac, stored_content
from audit.models import AuditRecord
from audit.services import audit_record, audit_verify, seal_pending
from audit.tests.factories import sealed, write_records
from cases.services import TransitionInput, case_transition
from cases.tests.factories import qualification


def test_writes_are_recorded_then_sealed_into_a_chain(org, make_case):
    """GIVEN a complaint registered and qualified WHEN the sealer runs THEN every record has a dense
    position, chains to the one before it, and the last one says who did what."""
    case = make_case()
    case_transition(
        case=case,
        actor=org.investigator,
        transition="qualify",
        version=1,
        data=TransitionInput(offence=qualification()),
    )
    written = AuditRecord.objects.count()
    assert written > 0 and not AuditRecord.objects.filter(position__isnull=False).exists()
    result = seal_pending()
    records = sealed()
    assert result.sealed == written == len(records) and result.position == written
    assert [r.position for r in records] == list(range(1, written + 1))
    assert records[0].prev_mac == GENESIS
    for prev, rec in itertools.pairwise(records):
        assert rec.prev_mac == prev.mac
    key = audit_key()
    for rec in records:
        assert entry_mac(key, stored_content(rec)) == rec.entry_mac
        assert chain_mac(key, rec.prev_mac, rec.position, rec.entry_mac) == rec.mac
    last = records[-1]
    assert last.action == "case.qualify" and last.actor == org.investigator
    assert last.before["state"] == "received" and last.after["state"] == "qualified"
    assert result.checkpoint is not None and result.checkpoint.head == last.mac
    assert audit_verify().problems == []


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="unit.create", object_type="t", object_id="1")


def test_rolled_back_service_leaves_no_audit(org, make_case):
    make_case()
    before = AuditRecord.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=None, action="unit.create", object_type="t", object_id="1")
        raise ZeroDivisionError
    assert AuditRecord.objects.count() == before
    seal_pending()
    assert audit_verify().problems == []


def test_two_identical_acts_get_distinct_macs(db):
    """The nonce: the same act twice in the same microsecond is two records, not one copied."""
    a, b = write_records(1) + write_records(1)
    assert (a.object_id, a.after) == (b.object_id, b.after) and a.entry_mac != b.entry_mac
    seal_pending()
    assert audit_verify().problems == []


def test_verify_command_ok(org, make_case, capsys):
    make_case()
    seal_pending()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "audit chain intact" in out and "1 signed checkpoints" in out


def test_every_action_written_by_the_code_is_declared_and_an_unknown_one_is_refused(db):
    """GIVEN the production modules WHEN every literal `action=` given to audit_record is read, and
    every dynamic one is expanded from the workflow tables THEN each is in audit.actions, and
    audit_record refuses an undeclared one."""
    import ast
    import pathlib

    from django.db import transaction

    from audit.actions import ACTIONS
    from audit.services import audit_record
    from cases.workflow import TRANSITIONS
    from emergency.workflow import REPORT_STEPS

    found = {f"case.{name}" for name in TRANSITIONS} | {f"incident.{code}" for code in REPORT_STEPS}
    root = pathlib.Path(__file__).resolve().parents[2]
    for path in root.rglob("*.py"):
        if {".venv", "tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                for kw in node.keywords:
                    if kw.arg == "action":
                        found |= {c.value for c in ast.walk(kw.value) if isinstance(c, ast.Constant)}
    found = {a for a in found if isinstance(a, str) and "." in a and not a.endswith(".")}  # f-string stems out
    assert found - ACTIONS == set()
    assert len(found) > 40
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action="case.teleport", object_type="t", object_id="1")
