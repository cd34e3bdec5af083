"""Builders for the audit tests: records written through `audit_record`, and the tampering an
attacker with write access to the database would do (raw SQL, behind the application's back)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from audit.chain import GENESIS, canonical, chain_mac, entry_mac, stored_content
from audit.models import AuditRecord
from audit.services import audit_record

TABLE = AuditRecord._meta.db_table


def write_records(n: int, *, action: str = "unit.create", prefix: str = "t") -> list[AuditRecord]:
    """n records, each in its own transaction as a service would write them."""
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(audit_record(actor=None, action=action, object_type=prefix, object_id=str(i), after={"i": i}))
    return out


def sealed() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(position__isnull=False).order_by("position"))


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params)


def delete_positions(*positions: int) -> None:
    for p in positions:
        sql(f"DELETE FROM {TABLE} WHERE position = %s", [p])  # noqa: S608


def swap_contents(a: int, b: int) -> None:
    """Exchange two sealed records' places: every column moves but the position (and the id)."""
    ra, rb = AuditRecord.objects.get(position=a), AuditRecord.objects.get(position=b)
    cols = ["at", "actor_label", "action", "object_type", "object_id", "nonce", "entry_mac", "prev_mac", "mac"]
    for target, source in ((ra, rb), (rb, ra)):
        sets = ", ".join(f"{c} = %s" for c in cols)
        sql(f"UPDATE {TABLE} SET {sets} WHERE id = %s", [*(getattr(source, c) for c in cols), target.pk])  # noqa: S608
        AuditRecord.objects.filter(pk=target.pk).update(before=source.before, after=source.after)


def rewrite_chain(
    *, entry: Callable[[AuditRecord], str], link: Callable[[str, int, str], str], edit: Callable[[AuditRecord], None]
) -> None:
    """Re-seal every record from the first, after `edit` changed what the attacker wanted changed:
    a consistent rewrite, with whatever MAC functions the attacker has."""
    head = GENESIS
    for rec in sealed():
        edit(rec)
        rec.entry_mac = entry(rec)
        rec.prev_mac, rec.mac = head, link(head, rec.position or 0, rec.entry_mac)
        head = rec.mac
        rec.save(update_fields=["actor_label", "after", "entry_mac", "prev_mac", "mac"])


def with_key(key: bytes) -> dict[str, Callable[..., str]]:
    """The project's own MAC functions, run with the key the attacker has (or guessed)."""
    return {
        "entry": lambda rec: entry_mac(key, stored_content(rec)),
        "link": lambda prev, pos, e: chain_mac(key, prev, pos, e),
    }


def with_plain_sha256() -> dict[str, Callable[..., str]]:
    """How the old chain was computed: SHA-256 of the previous hash and the content, no key."""
    return {
        "entry": lambda rec: hashlib.sha256(canonical(stored_content(rec))).hexdigest(),
        "link": lambda prev, pos, e: hashlib.sha256(f"{prev}{pos}{e}".encode()).hexdigest(),
    }
