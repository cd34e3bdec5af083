"""Encryption at rest and keyed hashes for personal data (law 09-08).

Identity numbers and phones are stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256) and,
beside them, as an HMAC-SHA256 keyed hash of their normalised form so that a person's earlier
complaints can be found without decrypting every row. Both keys derive from settings.DATA_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return hmac.new(settings.DATA_KEY.encode(), purpose, hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _fernet(data_key: str) -> Fernet:
    del data_key  # part of the cache key only: a changed key in tests gets a new Fernet
    return Fernet(base64.urlsafe_b64encode(_derive(b"amane-field-encryption-v1")))


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return _fernet(settings.DATA_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return _fernet(settings.DATA_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return "\N{REPLACEMENT CHARACTER}"


def keyed_hash(kind: str, value: str) -> str:
    """Stable, keyed, non-reversible fingerprint of a normalised value ('' stays '')."""
    if value == "":
        return ""
    return hmac.new(_derive(b"amane-lookup-hash-v1"), f"{kind}:{value}".encode(), "sha256").hexdigest()
