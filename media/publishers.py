"""The outbound publisher: where a published communiqué is announced on the service's social
account. `Publisher.publish(communique)` is the interface; the default `OutboxPublisher` writes an
OutboundPost row (queued) in the publishing transaction, so nothing leaves the machine here; a real
account's client would send the queued rows. AMANE_SOCIAL_PUBLISHER (a dotted path) selects it."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from media.models import Communique, OutboundPost

POST_MAX = 280


class Publisher(Protocol):
    def publish(self, communique: Communique) -> None: ...


def post_text(communique: Communique, lang: str) -> str:
    """The short post: number and title in one language (never the body: the post links to it)."""
    title = communique.title_in(lang)
    text = f"{communique.number} — {title}"
    return text if len(text) <= POST_MAX else text[: POST_MAX - 1] + "…"


class OutboxPublisher:
    """One queued post per language on the outbox."""

    channel = "social"

    def publish(self, communique: Communique) -> None:
        now = timezone.now()
        for lang in ("ar", "fr"):
            OutboundPost.objects.create(
                communique=communique, channel=f"{self.channel}:{lang}", text=post_text(communique, lang), at=now
            )


def get_publisher() -> Publisher:
    path = getattr(settings, "SOCIAL_PUBLISHER", "") or "media.publishers.OutboxPublisher"
    publisher: Publisher = import_string(path)()
    return publisher
