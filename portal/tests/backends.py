"""Notification backends for tests that run a real worker process (chosen with
AMANE_NOTIFY_BACKEND in the worker's environment). They keep their state in the directory named by
AMANE_TEST_NOTIFY_DIR, which the test reads, and hold on after sending while the file `hold`
exists there, so that the test can kill the worker in the middle of a send."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from portal.notifications import Message, OutboxBackend


def _dir() -> Path:
    return Path(os.environ["AMANE_TEST_NOTIFY_DIR"])


def _hold(key: str) -> None:
    """Say "holding" and wait while the test keeps the `hold` file (it kills the worker meanwhile)."""
    if not (_dir() / "hold").exists():
        return
    (_dir() / "holding").write_text(key)
    while (_dir() / "hold").exists():
        time.sleep(0.05)


def _append(name: str, row: dict) -> None:
    with open(_dir() / name, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")


def read_rows(directory: Path, name: str) -> list[dict]:
    path = directory / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class HoldingOutbox(OutboxBackend):
    """The outbox (transactional): writes the message, then may hold before the attempt commits."""

    def send(self, message: Message) -> None:
        super().send(message)
        _hold(message.idempotency_key)


class SlowOutbox(OutboxBackend):
    """The outbox, taking AMANE_TEST_NOTIFY_DELAY seconds per message inside its transaction."""

    def send(self, message: Message) -> None:
        super().send(message)
        time.sleep(float(os.environ.get("AMANE_TEST_NOTIFY_DELAY", "0.1")))


class KeyedGateway:
    """A gateway outside our database that honours idempotency keys: every call is logged in
    calls.jsonl, a message is delivered (delivered.jsonl) once per key; it may hold after
    accepting, before answering, as a network call may."""

    def send(self, message: Message) -> None:
        key = message.idempotency_key
        _append("calls.jsonl", {"key": key})
        if key not in {row["key"] for row in read_rows(_dir(), "delivered.jsonl")}:
            _append("delivered.jsonl", {"key": key, "notification": message.notification_id, "body": message.body})
        _hold(key)


class LookupGateway(KeyedGateway):
    """The same gateway, which also answers whether it accepted a key."""

    def lookup(self, key: str) -> bool:
        return key in {row["key"] for row in read_rows(_dir(), "delivered.jsonl")}
