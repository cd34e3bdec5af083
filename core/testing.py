"""What every browser test shares: Debian's chromium and the flags this closed network needs."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# --disable-background-networking & co.: without them chromium keeps calling Google's hosts, which
# this network refuses; --no-sandbox: the tests run as root in a container.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Fail (not skip) when the browser is missing: `make test` installs it, a skip would hide it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run `make test` or `apt-get install chromium`")
