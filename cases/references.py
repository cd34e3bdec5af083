"""Case references a person can read out on the phone, and unguessable tracking codes.

A reference is PREFIX-YEAR-NUMBER-CHECK, for example RBT-2026-004217-K. The check letter is a
weighted sum modulo 23 (a prime, with distinct weights), so any single wrong character and any swap
of two neighbouring characters is detected. Its alphabet leaves out I, O and Z, which are misheard or
misread as 1, 0 and 2.
"""

from __future__ import annotations

import re
import secrets

from django.db import connection

from cases.models import ReferenceCounter

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXY"  # 23 letters
REFERENCE_RE = re.compile(r"^([A-Z]{3})-(\d{4})-(\d{6})-([A-Z])$")
# Crockford-like alphabet for tracking codes: no 0/O, 1/I/L, U.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def check_letter(body: str) -> str:
    chars = [c for c in body if c.isalnum()]
    total = sum((i + 1) * _value(c) for i, c in enumerate(chars))
    return CHECK_ALPHABET[total % 23]


def format_reference(prefix: str, year: int, number: int) -> str:
    body = f"{prefix}-{year:04d}-{number:06d}"
    return f"{body}-{check_letter(body)}"


def is_valid_reference(reference: str) -> bool:
    m = REFERENCE_RE.match(reference or "")
    return bool(m) and check_letter(reference[:-2]) == m.group(4)


def next_reference(prefix: str, year: int) -> str:
    """Hand out the next number for prefix and year (inside the caller's atomic).

    One statement: an upsert that increments the counter row and returns the number, so the row is
    created, locked and read in a single round trip; the lock is held until the caller commits
    (call it as late as possible). Numbers have no gaps: a rolled-back intake gives its number back.
    """
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, 1) "  # noqa: S608 (the model's table)
            f"ON CONFLICT (prefix, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, year],
        )
        (number,) = cur.fetchone()
    return format_reference(prefix, year, number)


def new_tracking_code() -> str:
    """16 symbols of a 30-letter alphabet: about 78 bits, shown as four groups of four."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalize_tracking_code(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())
