"""Cheap defences of the public filing form against bots: a signed proof-of-work challenge and a
honeypot field.

The form carries a challenge signed by the server (with its issue time); the browser looks for a
nonce such that SHA-256(challenge + nonce) starts with N zero bits (about 2^N hashes: a blink for
one person, a real cost for thousands of automated filings). The server checks the signature, the
age, the work and that the challenge is used only once.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

from org.ratelimit import first_use
from portal import conf

POW_SALT = "portal.pow.v1"
POW_MAX_AGE_SECONDS = 3600
NONCE_MAX_LENGTH = 32
HONEYPOT_FIELD = "website"


def pow_challenge() -> str:
    return signing.dumps({"r": secrets.token_hex(8), "b": conf.pow_bits()}, salt=POW_SALT)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def pow_solve(challenge: str, bits: int) -> str:
    """What the browser does (used by tests and the no-browser clients of the demo)."""
    n = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}{n}".encode()).digest()) < bits:
        n += 1
    return str(n)


def pow_verify(challenge: str, nonce: str) -> bool:
    """Signature, age, work, and first use of the challenge."""
    if not challenge or not nonce or len(nonce) > NONCE_MAX_LENGTH or len(challenge) > 300:
        return False
    try:
        payload = signing.loads(challenge, salt=POW_SALT, max_age=POW_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    bits = int(payload.get("b", 0)) if isinstance(payload, dict) else 0
    if leading_zero_bits(hashlib.sha256(f"{challenge}{nonce}".encode()).digest()) < bits:
        return False
    # signing.dumps puts the issue time (base 62) before the signature: "payload:time:signature".
    issued_at = signing.b62_decode(challenge.split(":")[-2])
    return first_use(challenge, issued_at)
