"""Typed readers for AMANE_* environment variables, each with a safe default.

Every setting of the project comes through one of these helpers so that `.env.example` can list
them all and nothing reads `os.environ` ad hoc.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (case-insensitive); anything else stops the start with the variable named."""
    raw = (os.environ.get(name) or default).strip().lower()
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected one of {', '.join(choices)}")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, var_dir: Path, filename: str, *, create: bool = True) -> str:
    """Read a secret from the environment, else from `var/<filename>`, generating it on first run.

    The generated file is readable by the owner only; production sets the variable instead. With
    `create=False` a missing secret gives "" (a verifier must not invent the key it checks against).
    """
    value = os.environ.get(name)
    if value:
        return value
    path = var_dir / filename
    if path.exists():
        return path.read_text().strip()
    if not create:
        return ""
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
