"""System checks of the citizen portal: in production, notifications must reach citizens."""

from __future__ import annotations

from typing import Any

from django.core import checks

from core.checks import production, refused
from portal import conf

OUTBOX = "portal.notifications.OutboxBackend"


@checks.register(checks.Tags.security)
def outbox_not_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The outbox only stores messages for the demo's /outbox/ page: no citizen would be informed."""
    if production() and conf.notify_backend() == OUTBOX:
        return [
            refused(
                "AMANE_NOTIFY_BACKEND",
                "the outbox keeps SMS and e-mails in a table instead of sending them",
                "Set it to the dotted path of the SMS / e-mail gateway backend.",
                "portal.E001",
            )
        ]
    return []
