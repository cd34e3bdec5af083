"""Fixtures of the portal tests: fast proof of work, generous limits unless a test says otherwise."""

from __future__ import annotations

import pytest

from portal.tests.factories import POW_BITS


@pytest.fixture(autouse=True)
def _portal_settings(settings, tmp_path):
    settings.AMANE_POW_BITS = POW_BITS
    settings.AMANE_RATE_FILING = "1000/3600"
    settings.AMANE_RATE_TRACKING = "1000/600"
    settings.AMANE_RATE_LOGIN = "1000/600"
    settings.AMANE_NOTIFY_RETRY_SECONDS = 0
    settings.AMANE_NOTIFY_BACKEND = "portal.notifications.OutboxBackend"
    settings.MEDIA_ROOT = str(tmp_path / "media")
