"""The audit chain's arithmetic: two keyed MACs, nothing else (no database, no files).

A record gets an *entry MAC* when it is written (inside the service's transaction, no lock): an
HMAC-SHA256 of its canonical content and a random nonce, so a row edited or inserted by someone who
can write to the database but does not hold the key no longer matches. The sealer later gives the
record its *chain position* and a *chain MAC* = HMAC(key, previous chain MAC ‖ position ‖ entry MAC),
so a removed, moved or re-ordered record breaks the chain. The key (`settings.AUDIT_KEY`, from
`AMANE_AUDIT_KEY` or `var/audit_key`) is never stored in the database.

The format is a contract with every record already sealed: change it only with a migration that
re-seals the whole chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

# The chain MAC of "position 0": the first record chains to it.
GENESIS = "0" * 64
# Domain separation: an entry MAC can never be mistaken for a chain MAC or a key fingerprint.
_ENTRY = b"amane.audit.entry\x00"
_CHAIN = b"amane.audit.chain\x00"
_KEY_ID = b"amane.audit.key-id\x00"


def audit_key() -> bytes:
    """The HMAC key of the chain (web tier and sealer hold it; the database never does)."""
    return str(settings.AUDIT_KEY).encode()


def new_nonce() -> str:
    """96 random bits: two identical acts still get distinct entry MACs, and a copied row shows."""
    return secrets.token_hex(12)


def jsonable(value: Any) -> Any:
    """Round-trip through the encoder so that the stored JSON and the MACed JSON are the same thing."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_content(
    *,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    nonce: str,
) -> dict[str, Any]:
    """What the entry MAC covers: every column a reader relies on (not the id nor the seal)."""
    return {
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object": f"{object_type}:{object_id}",
        "before": before,
        "after": after,
        "nonce": nonce,
    }


def canonical(content: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: one byte string per content whatever the database did to the JSON."""
    return json.dumps(
        _normal(content), sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")
    ).encode()


def _normal(value: Any) -> Any:
    """Integral floats as integers: PostgreSQL's jsonb gives 1e16 back as 10000000000000000 and -0.0
    as 0, so the MACed form must not depend on how a number was spelt."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def entry_mac(key: bytes, content: dict[str, Any]) -> str:
    return hmac.new(key, _ENTRY + canonical(content), hashlib.sha256).hexdigest()


def chain_mac(key: bytes, prev_mac: str, position: int, entry: str) -> str:
    """The seal of the record at `position`; raises ValueError if a MAC is not 64 hex digits."""
    message = _CHAIN + _hex32(prev_mac) + position.to_bytes(8, "big") + _hex32(entry)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """Names the key in the checkpoints without revealing it, so a verifier run with another key says so."""
    return hmac.new(key, _KEY_ID, hashlib.sha256).hexdigest()[:16]


def _hex32(value: str) -> bytes:
    raw = bytes.fromhex(value)
    if len(raw) != 32:
        raise ValueError("a MAC is 32 bytes")
    return raw


def stored_content(row: Any) -> dict[str, Any]:
    """The MACed content of a stored record (an `AuditRecord`, or the historical model of a migration)."""
    return record_content(
        at=row.at,
        actor_id=row.actor_id,
        actor_label=row.actor_label,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        before=row.before,
        after=row.after,
        nonce=row.nonce,
    )
