"""A fixed-window rate limiter kept in the database, shared by every process and machine.

`limit(key, rule)` counts one hit of `key` in the current window and raises `RateLimited` once the
rule's limit is passed. The count is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`
statement (SQLite >= 3.35 and PostgreSQL), so two processes hitting the same key at once both
land and never lose a hit. Keys are stored as keyed hashes: client addresses are personal data.
"""

from __future__ import annotations

import secrets
import time

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.errors import DomainError
from core.net import client_ip
from portal.conf import Rule
from portal.models import RateCounter

PURGE_AFTER_SECONDS = 2 * 86400
PURGE_ONE_IN = 200  # old windows are swept by one hit in this many


class RateLimited(DomainError):
    """Too many requests from this address or identity: try again after `retry_after` seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many attempts. Please wait %(minutes)s minute(s) and try again.")
            % {"minutes": max((retry_after + 59) // 60, 1)}
        )
        self.retry_after = retry_after


def _now() -> float:
    # One place to read the clock, so that tests can move time forward.
    return time.time()


def _increment(key: str, window_start: int) -> int:
    now = int(_now())
    stored_key = crypto.keyed_hash("ratelimit", key)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 (table name only)
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [stored_key, window_start],
        )
        count = int(cursor.fetchone()[0])
        if secrets.randbelow(PURGE_ONE_IN) == 0:
            cursor.execute(f"DELETE FROM {table} WHERE window_start < %s", [now - PURGE_AFTER_SECONDS])  # noqa: S608
    return count


def hit(key: str, rule: Rule) -> tuple[int, int]:
    """Count one hit; returns (hits in this window, seconds until the window ends)."""
    now = _now()
    window_start = int(now // rule.window) * rule.window
    count = _increment(key, window_start)
    return count, max(int(window_start + rule.window - now), 1)


def limit(key: str, rule: Rule) -> None:
    """Count a hit of `key` and refuse it (RateLimited, 429) beyond `rule.limit` in the window."""
    count, retry_after = hit(key, rule)
    if count > rule.limit:
        raise RateLimited(retry_after)


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limits: `core.net.client_ip` (X-Forwarded-For is believed
    only from the proxies named in AMANE_TRUSTED_PROXIES)."""
    return client_ip(request)


def first_use(token: str, issued_at: int) -> bool:
    """True the first time a one-time token (a proof-of-work challenge) is presented; its row is
    filed under its issue time so that the purge keeps it while the token is still valid."""
    return _increment(f"once:{token}", issued_at) == 1


def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The 429 page: a translated message and Retry-After."""
    response = render(request, "portal/429.html", {"error": exc}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
