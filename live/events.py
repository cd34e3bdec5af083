"""Publishing live events (stub: the live-updates layer replaces this body, keeping the signature).

Services call `publish(...)` from `transaction.on_commit` so that nobody sees an event for a change
that rolled back.
"""

from __future__ import annotations

from typing import Any


def publish(*, topic: str, wilaya_id: int | None, data: dict[str, Any]) -> None:
    """Send `data` to every subscriber of `topic` allowed to see `wilaya_id` (None: everyone)."""
