"""`audit_verify` against someone who can write to the database: each kind of tampering is named.

Every test starts from a sealed, checkpointed chain written through the services, then tampers the
way an attacker with database access would (raw SQL or the ORM, behind the application's back).
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.chain import audit_key
from audit.checkpoints import checkpoints_path, sign, signing_key
from audit.models import AuditRecord
from audit.services import audit_verify, seal_pending
from audit.tests.factories import (
    TABLE,
    delete_positions,
    rewrite_chain,
    sealed,
    sql,
    swap_contents,
    with_key,
    with_plain_sha256,
    write_records,
)


@pytest.fixture
def chain(db):
    """Twelve records, sealed, with a signed checkpoint of the head."""
    write_records(12)
    result = seal_pending(checkpoint=True)
    assert result.position == 12 and result.checkpoint is not None
    assert audit_verify().problems == []
    return sealed()


def kinds(result):
    return [(p.kind, p.first, p.last) for p in result.problems]


def test_raw_sql_edit_is_reported(chain, capsys):
    """GIVEN an intact chain WHEN someone edits a record with raw SQL THEN audit_verify names it."""
    target = chain[4]
    sql(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["someone-else", target.pk])  # noqa: S608
    assert kinds(audit_verify()) == [("edited", 5, 5)]
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert "position 5: edited: content does not match its MAC (unit.create t:4)" in capsys.readouterr().out


def test_json_edit_is_reported(chain):
    AuditRecord.objects.filter(pk=chain[2].pk).update(after={"i": 99})  # bypasses the service
    assert kinds(audit_verify()) == [("edited", 3, 3)]


def test_removed_row_is_reported(chain):
    delete_positions(6)
    assert kinds(audit_verify()) == [("removed", 6, 6)]


def test_removed_rows_at_the_start_are_reported(chain):
    delete_positions(1, 2)
    assert kinds(audit_verify()) == [("removed", 1, 2)]


def test_cut_tail_is_reported_given_the_last_checkpoint(chain, capsys):
    """GIVEN a checkpoint of position 12 WHEN the last three records are deleted THEN the chain
    alone looks whole, and only the checkpoint shows what was cut."""
    delete_positions(10, 11, 12)
    assert kinds(audit_verify()) == [("cut", 10, 12)]
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert "positions 10-12: cut: the checkpoint of" in capsys.readouterr().out


def test_cut_tail_and_new_records_sealed_over_it_are_reported(chain):
    """The sealer continues from the shortened chain: the positions it re-uses differ from the
    signed head."""
    delete_positions(11, 12)
    write_records(3)
    seal_pending(checkpoint=True)
    assert ("rewritten", 12, 12) in kinds(audit_verify())


def test_reordered_rows_are_reported(chain):
    swap_contents(3, 8)
    assert kinds(audit_verify()) == [("reordered", 3, 3), ("reordered", 8, 8)]
    assert [p.detail for p in audit_verify().problems] == ["sealed at position 8", "sealed at position 3"]


def test_adjacent_rows_swapped_are_reported(chain):
    swap_contents(6, 7)
    assert kinds(audit_verify()) == [("reordered", 6, 6), ("reordered", 7, 7)]


def test_deleted_row_with_positions_closed_up_is_reported(chain):
    """Removing a record and renumbering the rest to hide the gap: each moved record verifies one
    place later, and the checkpoint names a position that is gone."""
    delete_positions(5)
    for p in range(6, 13):
        sql(f"UPDATE {TABLE} SET position = %s WHERE position = %s", [p - 1, p])  # noqa: S608
    assert kinds(audit_verify()) == [("reordered", 5, 11), ("cut", 12, 12)]


def test_chain_rewritten_with_the_projects_code_but_another_key_is_reported(chain):
    """GIVEN an attacker who rewrites every record consistently with the project's own MAC code,
    without the HMAC key (a key of their own) THEN no record verifies and the checkpoint disagrees."""

    def edit(rec):
        if rec.position == 4:
            rec.actor_label = "nobody"

    rewrite_chain(**with_key(b"the attacker's guess"), edit=edit)
    result = audit_verify()
    assert ("edited", 1, 12) in kinds(result)
    assert all(k in {"edited", "rewritten"} for k, _, _ in kinds(result))


def test_chain_rewritten_with_plain_sha256_is_reported(chain):
    rewrite_chain(**with_plain_sha256(), edit=lambda rec: None)
    assert ("edited", 1, 12) in kinds(audit_verify())


def test_chain_rewritten_with_the_key_is_caught_by_the_signed_checkpoint(chain):
    """GIVEN an attacker holding the HMAC key (a compromised web server) but not the signing key
    WHEN they edit a record and re-seal everything consistently THEN every MAC verifies, and the
    signed checkpoint still names the old head."""

    def edit(rec):
        if rec.position == 4:
            rec.after = {"i": "rewritten"}

    rewrite_chain(**with_key(audit_key()), edit=edit)
    assert kinds(audit_verify()) == [("rewritten", 12, 12)]


def test_forged_and_unsigned_checkpoints_are_reported(chain):
    """A checkpoint line edited to match a cut chain no longer verifies; one without a signature
    is no anchor."""
    path = checkpoints_path()
    line = path.read_text().splitlines()[-1]
    forged = line.replace('"position":12', '"position":9')
    unsigned = forged.split(',"sig"')[0].replace('"position":9', '"position":10') + "}"
    path.write_text(f"{line}\n{forged}\n{unsigned}\nnot json\n")
    found = {(p.kind, p.detail.split(":")[0]) for p in audit_verify().problems}
    assert found == {
        ("forged", "checkpoints line 2"),
        ("unsigned", "checkpoints line 3"),
        ("unreadable", "checkpoints line 4"),
    }
    path.write_text(f"{forged}\n")
    assert [(p.kind, p.detail) for p in audit_verify().problems] == [
        ("forged", "checkpoints line 1: the signature of position 9 does not verify"),
        ("unanchored", "no signed checkpoint: nothing outside the database vouches for the chain"),
    ]


def test_two_signed_heads_for_one_position_are_reported(chain):
    """A split view (CT's gossip finding): the signing key signed two different heads for one
    position, or checkpoints go backwards."""
    path = checkpoints_path()
    private = signing_key()
    other = sign(private, position=12, head="ab" * 32, at=timezone.now())
    older = sign(private, position=3, head=chain[2].mac, at=timezone.now())
    with open(path, "a") as fh:
        fh.write(other.line() + "\n" + older.line() + "\n")
    assert kinds(audit_verify()) == [("conflict", 12, 12), ("out of order", None, None)]


def test_no_checkpoint_file_is_reported(chain):
    checkpoints_path().unlink()
    assert kinds(audit_verify()) == [("unanchored", None, None)]


def test_copied_row_is_reported(chain):
    """A row copied behind the application's back verifies on its own, and is still found."""
    src = chain[2]
    fields = ["at", "actor_label", "action", "object_type", "object_id", "before", "after", "nonce", "entry_mac"]
    cols = ", ".join(fields)
    sql(f"INSERT INTO {TABLE} ({cols}, prev_mac, mac) SELECT {cols}, '', '' FROM {TABLE} WHERE id = %s", [src.pk])  # noqa: S608
    seal_pending()
    assert [p.kind for p in audit_verify().problems] == ["duplicated"]


def test_row_edited_before_it_was_sealed_is_reported(db):
    """The entry MAC is written with the record, so the time before sealing is no blind spot."""
    write_records(3)
    victim = AuditRecord.objects.order_by("id")[1]
    sql(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["42", victim.pk])  # noqa: S608
    assert [p.kind for p in audit_verify().problems] == ["edited"]
    seal_pending()
    assert kinds(audit_verify()) == [("edited", 2, 2)]


def test_records_left_unsealed_past_the_window_are_reported(db, capsys):
    """GIVEN a record written five minutes ago and no sealer running THEN it is overdue."""
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(minutes=5)):
        write_records(1)
    result = audit_verify(window_seconds=60)
    assert [p.kind for p in result.problems] == ["unsealed"] and result.pending == 1
    assert audit_verify(window_seconds=600).problems == []
    with pytest.raises(CommandError):
        call_command("audit_verify", "--window", "60")
    assert "is `manage.py audit_sealer` running?" in capsys.readouterr().out
    call_command("audit_verify", "--window", "60", "--seal")
    assert AuditRecord.objects.get().position == 1


def test_verifying_with_another_hmac_key_says_so_once(chain, settings):
    write_records(1)
    seal_pending(checkpoint=True)  # a second checkpoint under the same key
    settings.AUDIT_KEY = "not the key that sealed this chain"
    found = [p.kind for p in audit_verify().problems]
    assert found.count("other key") == 1 and "edited" in found
