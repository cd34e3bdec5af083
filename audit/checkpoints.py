"""Signed checkpoints of the chain's head, kept outside the database.

A checkpoint says "the chain had `position` records and its last chain MAC was `head`, at `at`",
signed with Ed25519 (Certificate Transparency's signed tree head, for a hash chain). The sealer appends
one to `var/audit/checkpoints.jsonl` (JSON Lines, position strictly increasing) every
`AUDIT_CHECKPOINT_RECORDS` records or `AUDIT_CHECKPOINT_SECONDS` seconds; `manage.py audit_checkpoints
export` hands them, with the public key, to a third party. Rewriting or cutting the chain is then
detected against any checkpoint the rewriter cannot re-sign or cannot reach.

The private key comes from `AMANE_AUDIT_SIGNING_KEY`, else `var/audit_signing_key` (owner-only,
generated on first use); only the sealer needs it, so production gives it to the sealer alone.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from audit.chain import audit_key, key_fingerprint
from core.env import env_secret

log = logging.getLogger("audit.checkpoints")
_SEED = b"amane.audit.signing-key\x00"
_FIELDS = {"origin": str, "position": int, "head": str, "at": str, "mac_key": str, "key_id": str}


@dataclass(frozen=True)
class Checkpoint:
    """One signed head. `mac_key` fingerprints the HMAC key, `key_id` the signing key."""

    origin: str
    position: int
    head: str
    at: str
    mac_key: str
    key_id: str
    sig: str = ""

    def payload(self) -> bytes:
        """The signed bytes: every field but the signature, canonical JSON."""
        fields = {k: v for k, v in asdict(self).items() if k != "sig"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


@dataclass(frozen=True)
class CheckpointLine:
    """A line of a checkpoints file as read: a checkpoint whose signature verified, or a problem."""

    number: int
    checkpoint: Checkpoint | None
    kind: str = ""  # unreadable | unsigned | forged, when `checkpoint` is None
    detail: str = ""


def checkpoints_path() -> Path:
    return Path(settings.AUDIT_DIR) / "checkpoints.jsonl"


def signing_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    """The sealer's private key, derived from a secret that never enters the database."""
    secret = env_secret("AMANE_AUDIT_SIGNING_KEY", Path(settings.VAR_DIR), "audit_signing_key", create=create)
    if not secret:
        return None
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(_SEED + secret.encode()).digest())


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(path: Path | None = None) -> Ed25519PublicKey | None:
    """The key to verify with: a PEM file a third party pinned, else the local sealer's (never created here)."""
    if path is not None:
        key = serialization.load_pem_public_key(path.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{path} is not an Ed25519 public key")
        return key
    private = signing_key(create=False)
    return private.public_key() if private else None


def sign(private: Ed25519PrivateKey, *, position: int, head: str, at: datetime) -> Checkpoint:
    unsigned = Checkpoint(
        origin=settings.AUDIT_LOG_NAME,
        position=position,
        head=head,
        at=at.isoformat(timespec="microseconds"),
        mac_key=key_fingerprint(audit_key()),
        key_id=key_id(private.public_key()),
    )
    signature = base64.b64encode(private.sign(unsigned.payload())).decode()
    return Checkpoint(**{**asdict(unsigned), "sig": signature})


def checkpoint_due(last: Checkpoint | None, position: int, now: datetime) -> bool:
    """Every N records or T seconds, and only when the chain grew (an idle log writes nothing)."""
    if position <= 0 or (last is not None and position <= last.position):
        return False
    if last is None:
        return True
    return (
        position - last.position >= settings.AUDIT_CHECKPOINT_RECORDS
        or (now - last.moment).total_seconds() >= settings.AUDIT_CHECKPOINT_SECONDS
    )


def append_checkpoint(*, position: int, head: str, force: bool | None = None) -> Checkpoint | None:
    """Append a signed checkpoint of a *committed* head when due (`force=True`: whenever the chain
    grew; `False`: never). Returns it, or None.

    The file is locked while the last line is read and the new one written, and a checkpoint is
    written only past the last one: two sealing processes finishing out of order (a `seal_pending`
    from a command while the sealer runs) keep the file strictly increasing.
    """
    if force is False:
        return None
    path = checkpoints_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    private = signing_key()
    assert private is not None  # create=True always gives a key
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        last = _own_last(fh, private.public_key())
        now = timezone.now()
        grew = position > 0 and (last is None or position > last.position)
        if not (grew if force else checkpoint_due(last, position, now)):
            return None
        checkpoint = sign(private, position=position, head=head, at=now)
        # A line cut short by a crash stays alone on its line (verification reports it unreadable).
        fh.write(b"" if _ends_clean(fh) else b"\n")
        fh.write(checkpoint.line().encode() + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    return checkpoint


def _own_last(fh: IO[bytes], public_key: Ed25519PublicKey) -> Checkpoint | None:
    """The last line if this sealer signed it. A line appended by someone else (a huge position, say)
    must not stop the checkpoints: it is passed over here, and `audit_verify` reports it."""
    raw = _last_line(fh)
    if not raw.strip():
        return None
    try:
        line = _checked(0, json.loads(raw), public_key, key_id(public_key))
    except ValueError:
        line = CheckpointLine(0, None)
    if line.checkpoint is None:
        log.warning("audit checkpoints: the last line of %s is not this sealer's; appending after it", fh.name)
    return line.checkpoint


def last_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """The file's last line, unverified (the sealer's own cadence; verification reads them all)."""
    path = path or checkpoints_path()
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        return _parse(_last_line(fh))


def read_checkpoints(path: Path, public_key: Ed25519PublicKey) -> Iterator[CheckpointLine]:
    """Every line of a checkpoints file (the sealer's, or an export), its signature checked.

    An export's first line carries the public key; it is skipped, never trusted: the verifier brings
    the key it pinned.
    """
    expected_id = key_id(public_key)
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except ValueError:
                yield CheckpointLine(number, None, "unreadable", "not JSON")
                continue
            if isinstance(data, dict) and "public_key" in data:
                continue
            yield _checked(number, data, public_key, expected_id)


def _checked(number: int, data: Any, public_key: Ed25519PublicKey, expected_id: str) -> CheckpointLine:
    checkpoint = _from_dict(data)
    if checkpoint is None:
        return CheckpointLine(number, None, "unreadable", "a field is missing or of the wrong type")
    if not checkpoint.sig:
        return CheckpointLine(number, None, "unsigned", f"position {checkpoint.position} carries no signature")
    if checkpoint.key_id != expected_id:
        return CheckpointLine(number, None, "forged", f"signed by another key ({checkpoint.key_id})")
    try:
        public_key.verify(base64.b64decode(checkpoint.sig, validate=True), checkpoint.payload())
    except (InvalidSignature, binascii.Error, ValueError):
        return CheckpointLine(
            number, None, "forged", f"the signature of position {checkpoint.position} does not verify"
        )
    return CheckpointLine(number, checkpoint)


def export_lines(*, since: int = 0, path: Path | None = None) -> Iterator[str]:
    """The public key, then every checkpoint past position `since`: JSON Lines for a third party."""
    private = signing_key(create=False)
    if private is None:
        raise FileNotFoundError("no audit signing key here: the sealer has not run with this var/")
    public = private.public_key()
    header = {"public_key": public_key_pem(public), "key_id": key_id(public), "alg": "Ed25519"}
    yield json.dumps({**header, "origin": settings.AUDIT_LOG_NAME}, sort_keys=True)
    path = path or checkpoints_path()
    if path.exists():
        with open(path, "rb") as fh:
            for raw in fh:
                checkpoint = _parse(raw)
                if checkpoint is not None and checkpoint.position > since:
                    yield checkpoint.line()


def _from_dict(data: Any) -> Checkpoint | None:
    if not isinstance(data, dict):
        return None
    for name, kind in _FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return None
    sig = data.get("sig", "")
    if not isinstance(sig, str):
        return None
    try:
        if datetime.fromisoformat(data["at"]).tzinfo is None:
            return None
    except ValueError:
        return None
    return Checkpoint(**{name: data[name] for name in _FIELDS}, sig=sig)


def _parse(raw: bytes) -> Checkpoint | None:
    try:
        return _from_dict(json.loads(raw)) if raw.strip() else None
    except ValueError:
        return None


def _ends_clean(fh: IO[bytes]) -> bool:
    fh.seek(0, os.SEEK_END)
    if fh.tell() == 0:
        return True
    fh.seek(-1, os.SEEK_END)
    return fh.read(1) == b"\n"


def _last_line(fh: IO[bytes]) -> bytes:
    """The last complete line, read from the end (the file grows for years)."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    chunk = min(size, 8192)
    fh.seek(size - chunk)
    lines = fh.read(chunk).splitlines()
    return lines[-1] if lines else b""
