"""Fixtures of the identity tests: the local provider on loopback and a rogue provider."""

from __future__ import annotations

import pytest

from identity import oidc
from identity.tests.factories import CLIENT_ID, CLIENT_SECRET, RogueIdP


@pytest.fixture(autouse=True)
def _fresh_caches():
    oidc.clear_caches()
    yield
    oidc.clear_caches()


@pytest.fixture
def rogue_idp(settings):
    idp = RogueIdP()
    idp.start()
    settings.AMANE_OIDC_ISSUER = idp.base
    settings.AMANE_OIDC_CLIENT_ID = CLIENT_ID
    settings.AMANE_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.AMANE_OIDC_LOCAL_IDP = False
    try:
        yield idp
    finally:
        idp.stop()


@pytest.fixture
def local_idp(live_server, settings):
    """The project's own provider on the live server, used by the relying party over HTTP."""
    settings.PUBLIC_BASE_URL = live_server.url
    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.AMANE_OIDC_ISSUER = ""
    settings.AMANE_OIDC_CLIENT_ID = CLIENT_ID
    settings.AMANE_OIDC_CLIENT_SECRET = ""
    return live_server
