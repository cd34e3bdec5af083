"""The audit chain: every write recorded, tampering behind the application's back detected."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from audit.models import AuditHead, AuditRecord
from audit.services import audit_record, audit_verify
from cases.services import TransitionInput, case_transition


def test_writes_are_chained(org, make_case):
    case = make_case()
    case_transition(case=case, actor=org.investigator, transition="qualify", version=1, data=TransitionInput())
    records = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    for prev, rec in itertools.pairwise(records):
        assert rec.prev_hash == prev.hash
    last = records[-1]
    assert last.action == "case.qualify" and last.actor == org.investigator
    assert last.before["state"] == "received" and last.after["state"] == "qualified"
    assert AuditHead.objects.get().hash == last.hash
    assert audit_verify() == []


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="unit.create", object_type="t", object_id="1")


def test_raw_sql_edit_is_reported(org, make_case, capsys):
    """GIVEN an intact chain WHEN someone edits a record with raw SQL THEN audit_verify names it."""
    case = make_case()
    target = AuditRecord.objects.get(action="case.create", object_id=str(case.pk))
    table = AuditRecord._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone-else", target.pk])  # noqa: S608
    problems = audit_verify()
    assert [(p.seq, p.kind) for p in problems] == [(target.seq, "edited")]
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"record {target.seq}: edited" in capsys.readouterr().out


def test_raw_sql_json_edit_is_reported(org, make_case):
    case = make_case()
    target = AuditRecord.objects.get(action="case.create", object_id=str(case.pk))
    after = dict(target.after, assigned_unit=org.sibling.pk)
    AuditRecord.objects.filter(pk=target.pk).update(after=after)  # bypasses the service, like raw SQL
    assert [(p.seq, p.kind) for p in audit_verify()] == [(target.seq, "edited")]


def test_removed_rows_are_reported(org, make_case):
    make_case()
    make_case()
    middle = AuditRecord.objects.order_by("seq")[3]
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [middle.pk])  # noqa: S608
    kinds = {(p.seq, p.kind) for p in audit_verify()}
    assert (middle.seq, "removed") in kinds


def test_removed_tail_is_reported(org, make_case):
    make_case()
    last = AuditRecord.objects.order_by("-seq").first()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [last.pk])  # noqa: S608
    assert any(p.kind == "removed" for p in audit_verify())


def test_rolled_back_service_leaves_no_audit(org, make_case):
    make_case()
    before = AuditRecord.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=None, action="unit.create", object_type="t", object_id="1")
        raise ZeroDivisionError
    assert AuditRecord.objects.count() == before
    assert audit_verify() == []


def test_verify_command_ok(org, make_case, capsys):
    make_case()
    call_command("audit_verify")
    assert "audit chain intact" in capsys.readouterr().out


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
