"""System checks of the citizen portal: in production, notifications must reach citizens."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.module_loading import import_string

from core.checks import production, refused
from portal import conf

# The project's own backends deliver nothing: the outbox keeps messages for the demo's /outbox/
# page, the logging one writes them to the log.
UNDELIVERED = {"portal.notifications.OutboxBackend", "portal.notifications.LoggingBackend"}


@checks.register(checks.Tags.security)
def outbox_not_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """No citizen would be informed through a backend that does not deliver, or does not load."""
    if not production():
        return []
    try:
        import_string(conf.notify_backend())
    except ImportError as exc:
        return [refused("AMANE_NOTIFY_BACKEND", f"cannot be imported ({exc})", "Fix the dotted path.", "portal.E002")]
    if conf.notify_backend() in UNDELIVERED:
        return [
            refused(
                "AMANE_NOTIFY_BACKEND",
                f"{conf.notify_backend()} keeps SMS and e-mails instead of sending them",
                "Set it to the dotted path of the SMS / e-mail gateway backend.",
                "portal.E001",
            )
        ]
    return []
