"""A notification gateway for the production-mode tests: accepts every message and keeps none (the
project's own backends are refused in production because they deliver nothing)."""

from __future__ import annotations

from typing import Any


class Gateway:
    def send(self, message: Any) -> None:
        return None
