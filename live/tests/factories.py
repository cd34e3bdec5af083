"""Helpers of the tests that open live streams. No test lives here."""

from __future__ import annotations

import time

from django.db import DatabaseError

from live.models import StreamLease


def wait_until_streams_end(timeout: float = 10.0) -> None:
    """Wait until every stream the test server held has given its lease back.

    A browser's stream ends on the server at its next heartbeat after the page closed, and then
    frees its lease in the database; a test that ended before would have that write race the
    flush of the test database.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not StreamLease.objects.exists():
                break
        except DatabaseError:
            return
        time.sleep(0.1)
    time.sleep(0.2)  # the server thread closes its connection just after the delete
