"""Pluggable delivery of SMS and e-mail to citizens.

A backend is any class with `send(message)`; it raises on failure (the task retries). The default,
`OutboxBackend`, stores the message in the outbox table the demo shows at /outbox/; a real SMS or
mail gateway goes behind the same interface and is chosen with AMANE_NOTIFY_BACKEND.
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


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class OutboxBackend:
    """Writes the message to the outbox table (the demo's "phone")."""

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
