"""`audit_verify`: walk the chain by position and hold it against the signed checkpoints.

What each finding means (one line each, consecutive positions of the same kind merged):
- edited: a record's content no longer matches its entry MAC, or its seal no longer matches (a
  rewrite without the HMAC key, even with this module's own functions or plain SHA-256, lands here);
- reordered: a record verifies, but at another position than where it sits;
- removed: positions missing between two records;
- relinked: a record verifies on its own but does not follow the record before it;
- rewritten: the chain verifies (rewritten *with* the HMAC key) but differs from a signed checkpoint;
- cut: a signed checkpoint names a position past the end of the chain;
- duplicated: one record stored twice; unsealed: records older than the sealing window still wait
  (the sealer is down);
- unreadable / unsigned / forged / conflict / out of order: lines of the checkpoints file;
- unanchored / no key / other key: nothing to check the chain against, or another HMAC key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from audit.chain import GENESIS, audit_key, chain_mac, entry_mac, key_fingerprint, stored_content
from audit.checkpoints import Checkpoint, checkpoints_path, load_public_key, read_checkpoints
from audit.models import AuditRecord

# How far around its place a moved record is looked for, and for how many records at most.
_SEARCH_RADIUS = 1000
_SEARCH_BUDGET = 10_000


@dataclass
class VerifyProblem:
    """One finding: `first`..`last` are chain positions (None for the file or the whole log)."""

    kind: str
    detail: str
    first: int | None = None
    last: int | None = None
    group: str = ""

    def line(self) -> str:
        if self.first is None:
            where = "log"
        elif self.last is None or self.last == self.first:
            where = f"position {self.first}"
        else:
            where = f"positions {self.first}-{self.last}"
        return f"{where}: {self.kind}: {self.detail}"


@dataclass
class Verification:
    problems: list[VerifyProblem] = field(default_factory=list)
    sealed: int = 0
    pending: int = 0
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Findings:
    """Collects problems, merging a run of consecutive positions with the same kind and group."""

    def __init__(self) -> None:
        self.items: list[VerifyProblem] = []

    def add(
        self,
        kind: str,
        detail: str,
        first: int | None = None,
        last: int | None = None,
        *,
        group: str = "",
        summary: str = "",
    ) -> None:
        prev = self.items[-1] if self.items else None
        if (
            prev is not None
            and first is not None
            and prev.last is not None
            and (prev.kind, prev.group) == (kind, group)
            and first == prev.last + 1
        ):
            prev.last = last or first
            prev.detail = summary or prev.detail
            return
        self.items.append(VerifyProblem(kind, detail, first, last if last is not None else first, group))


def audit_verify(
    *,
    checkpoints: Path | None = None,
    public_key: Ed25519PublicKey | None = None,
    window_seconds: int | None = None,
    batch: int = 5000,
) -> Verification:
    """Verify every sealed record, the checkpoints file (default `var/audit/checkpoints.jsonl`) and
    the sealing window (default `AUDIT_SEAL_WINDOW_SECONDS`). Read-only."""
    found = _Findings()
    key = audit_key()
    anchors = _Anchors(found, checkpoints or checkpoints_path(), public_key or load_public_key(), key)
    walk = _ChainWalk(key, found, iter(anchors))
    for rec in AuditRecord.objects.filter(position__isnull=False).order_by("position").iterator(chunk_size=batch):
        walk.visit(rec)
    walk.finish()
    if walk.count and anchors.count == 0 and not any(p.kind == "no key" for p in found.items):
        found.add("unanchored", "no signed checkpoint: nothing outside the database vouches for the chain")
    _duplicates(found)
    pending = _pending(found, key, window_seconds)
    return Verification(found.items, walk.count, pending, anchors.count, anchors.last)


class _Anchors:
    """The valid checkpoints in increasing position, read as the walk needs them (the file grows for
    years); the file's bad lines are reported on the way."""

    def __init__(self, found: _Findings, path: Path, public_key: Ed25519PublicKey | None, key: bytes) -> None:
        self.found, self.path, self.public_key, self.mine = found, path, public_key, key_fingerprint(key)
        self.count, self.other_key = 0, False
        self.last: Checkpoint | None = None

    def __iter__(self) -> Iterator[Checkpoint]:
        if not self.path.exists():
            return
        if self.public_key is None:
            self.found.add("no key", "no public key to check the checkpoints with (give --public-key)")
            return
        for line in read_checkpoints(self.path, self.public_key):
            cp = line.checkpoint
            if cp is None:
                self.found.add(line.kind, f"checkpoints line {line.number}: {line.detail}")
            elif self.last is not None and cp.position <= self.last.position:
                self._not_after(line.number, cp, self.last)
            else:
                if cp.mac_key != self.mine and not self.other_key:
                    self.other_key = True  # once: the whole file usually shares one key
                    detail = f"checkpoints line {line.number}: sealed under another HMAC key (AMANE_AUDIT_KEY)"
                    self.found.add("other key", detail)
                self.count += 1
                self.last = cp
                yield cp

    def _not_after(self, number: int, cp: Checkpoint, last: Checkpoint) -> None:
        if cp.position < last.position:
            self.found.add("out of order", f"checkpoints line {number}: position goes back to {cp.position}")
        elif cp.head != last.head:
            self.found.add("conflict", f"checkpoints line {number}: two signed heads for one position", cp.position)


class _ChainWalk:
    """One pass over the sealed records in position order, with the checkpoints merged in."""

    def __init__(self, key: bytes, found: _Findings, anchors: Iterator[Checkpoint]) -> None:
        self.key, self.found, self.anchors = key, found, anchors
        self.anchor = next(anchors, None)
        self.expected, self.prev, self.count, self.search_budget = 1, GENESIS, 0, _SEARCH_BUDGET

    def visit(self, rec: AuditRecord) -> None:
        pos = rec.position or 0
        self.count += 1
        if pos > self.expected:
            self.found.add("removed", f"records {self.expected}..{pos - 1} are missing", self.expected, pos - 1)
            self.prev = ""  # the missing predecessor's MAC is unknown: no link to check
        content_ok = entry_mac(self.key, stored_content(rec)) == rec.entry_mac
        seal_ok = self._seal_ok(rec, pos)
        if not content_ok:
            detail = f"content does not match its MAC ({rec.action} {rec.object_type}:{rec.object_id})"
            self.found.add("edited", detail, pos, group="content", summary="contents do not match their MACs")
        elif not seal_ok:
            self._misplaced(rec, pos)
        elif self.prev and rec.prev_mac != self.prev:
            self.found.add("relinked", "does not follow the record before it", pos)
        self.prev = rec.mac if seal_ok else ""
        self._check_anchors(rec, pos)
        self.expected = pos + 1

    def finish(self) -> None:
        """Checkpoints past the last record: the tail was cut."""
        last_named = None
        while self.anchor is not None:
            last_named = self.anchor
            self.anchor = next(self.anchors, None)
        if last_named is not None:
            self.found.add(
                "cut",
                f"the checkpoint of {last_named.at} names position {last_named.position}, "
                f"the chain ends at {self.expected - 1}",
                self.expected,
                last_named.position,
            )

    def _seal_ok(self, rec: AuditRecord, pos: int) -> bool:
        try:
            return chain_mac(self.key, rec.prev_mac, pos, rec.entry_mac) == rec.mac
        except ValueError:
            return False

    def _misplaced(self, rec: AuditRecord, pos: int) -> None:
        """The record's own seal fails here: find the position it verifies at (it was moved)."""
        sealed_at = self._sealed_at(rec, pos) if self.search_budget > 0 else None
        self.search_budget -= 1
        if sealed_at is None:
            self.found.add("edited", "its seal (position, MACs) was altered", pos, group="seal")
            return
        offset = sealed_at - pos
        self.found.add(
            "reordered",
            f"sealed at position {sealed_at}",
            pos,
            group=str(offset),
            summary=f"each sealed {abs(offset)} position(s) {'later' if offset > 0 else 'earlier'}",
        )

    def _sealed_at(self, rec: AuditRecord, pos: int) -> int | None:
        candidates: list[int] = []
        pred = AuditRecord.objects.filter(position__isnull=False, mac=rec.prev_mac).values_list("position", flat=True)
        candidates += [p + 1 for p in pred[:2] if p is not None]
        if rec.prev_mac == GENESIS:
            candidates.append(1)
        candidates += range(max(1, pos - _SEARCH_RADIUS), pos + _SEARCH_RADIUS)
        for q in candidates:
            if q != pos and self._verifies_at(rec, q):
                return q
        return None

    def _verifies_at(self, rec: AuditRecord, q: int) -> bool:
        try:
            return chain_mac(self.key, rec.prev_mac, q, rec.entry_mac) == rec.mac
        except ValueError:
            return False

    def _check_anchors(self, rec: AuditRecord, pos: int) -> None:
        while self.anchor is not None and self.anchor.position <= pos:
            if self.anchor.position == pos and self.anchor.head != rec.mac:
                self.found.add(
                    "rewritten",
                    f"differs from the signed checkpoint of {self.anchor.at}",
                    pos,
                    group="anchor",
                    summary="the chain differs from the signed checkpoints",
                )
            self.anchor = next(self.anchors, None)


def _duplicates(found: _Findings) -> None:
    """A row copied behind the application's back carries the same nonce and entry MAC."""
    copies = (
        AuditRecord.objects.values("entry_mac")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("entry_mac", flat=True)
    )
    for mac in copies[:100]:
        where = list(AuditRecord.objects.filter(entry_mac=mac).order_by("position").values_list("position", "id"))
        places = ", ".join(f"position {p}" if p else f"unsealed id {i}" for p, i in where)
        found.add("duplicated", f"one record stored {len(where)} times ({places})", where[0][0])


def _pending(found: _Findings, key: bytes, window_seconds: int | None) -> int:
    """Unsealed records: their content is checked already; older than the window means no sealer."""
    pending = AuditRecord.objects.filter(position__isnull=True)
    for rec in pending.iterator(chunk_size=1000):
        if entry_mac(key, stored_content(rec)) != rec.entry_mac:
            found.add("edited", f"unsealed record id {rec.pk}: content does not match its MAC")
    window = settings.AUDIT_SEAL_WINDOW_SECONDS if window_seconds is None else window_seconds
    stale = pending.filter(at__lt=timezone.now() - timedelta(seconds=window)).aggregate(n=Count("id"), oldest=Min("at"))
    if stale["n"]:
        oldest = f"{stale['oldest']:%Y-%m-%d %H:%M:%S}"
        detail = f"{stale['n']} record(s) older than {window} s are not sealed (oldest written {oldest} UTC)"
        found.add("unsealed", detail + ": is `manage.py audit_sealer` running?")
    return pending.count()
