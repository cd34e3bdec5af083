"""Pluggable delivery of SMS and e-mail to citizens.

A backend is any class with `send(message)`; it raises on failure (the attempt is retried). The
default, `OutboxBackend`, stores the message in the outbox table the demo shows at /outbox/; a real
SMS or mail gateway goes behind the same interface and is chosen with AMANE_NOTIFY_BACKEND.

Exactly once, and what it takes (portal.services.notification_send):
- a backend that writes to our own database says `transactional = True`: its write, the attempt
  record and the notification's status commit in one transaction, so a crash leaves either all of
  them or none, and a re-run sends once. The outbox is such a backend (and a unique constraint
  allows one outbox message per notification): exactly once.
- a gateway is called outside any transaction. "sending" is committed before the call and "sent"
  after it; each message carries `idempotency_key` (notification id and attempt number). A run that
  finds a notification left "sending" by a crash asks the gateway with `lookup(key)` when it has
  one, else sends again with the same key: at most once per key with a gateway that honours keys
  (no second SMS), at least once with one that neither honours keys nor answers lookups.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone
from django.utils.module_loading import import_string

from core import crypto
from portal import conf
from portal.models import OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "email"
    to: str
    body: str
    language: str
    subject: str = ""
    notification_id: int | None = None
    # Same message, same key: a gateway that honours keys delivers it once however often it is sent.
    idempotency_key: str = ""


class Backend(Protocol):
    """What notification_send needs. Optional, looked up with getattr: `transactional: bool`
    (writes to our database, see above) and `lookup(key) -> bool | None` (did the gateway accept a
    message with this key? None: cannot tell)."""

    def send(self, message: Message) -> None: ...


class OutboxBackend:
    """Writes the message to the outbox table (the demo's "phone"), inside the caller's
    transaction."""

    transactional = True

    def send(self, message: Message) -> None:
        OutboxMessage.objects.create(
            channel=message.channel,
            recipient_enc=crypto.encrypt(message.to),
            subject=message.subject[:200],
            body=message.body,
            language=message.language,
            notification_id=message.notification_id,
            created_at=timezone.now(),
        )


class LoggingBackend:
    """Writes the message to the log, the recipient masked (for development)."""

    def send(self, message: Message) -> None:
        masked = message.to[:4] + "…" + message.to[-2:] if len(message.to) > 6 else "…"
        logger.info("notification %s to %s: %s", message.channel, masked, message.body)


def get_backend() -> Backend:
    return import_string(conf.notify_backend())()
