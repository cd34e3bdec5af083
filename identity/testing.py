"""Helpers for other apps' tests: a citizen made through the service, and a signed-in client."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.test import Client

from identity.models import Citizen
from identity.selectors import SESSION_KEY
from identity.services import citizen_sign_in

_counter = itertools.count(1)


def make_citizen(**kw) -> Citizen:
    """A citizen signed in once through `citizen_sign_in`; any claim can be overridden."""
    n = next(_counter)
    values = {
        "issuer": "https://idp.test.invalid",
        "sub": f"test-sub-{n}",
        "given_name": "فاطمة",
        "family_name": "العلوي",
        "cnie": f"BE{100000 + n}",
        "assurance_level": "substantial",
        "language": "ar",
    }
    values.update(kw)
    return citizen_sign_in(**values)


def login_citizen(client: Client, citizen: Citizen) -> None:
    """Put the citizen in the test client's session, as the OIDC callback does."""
    session = client.session  # a SessionStore; saving creates the cookie on the client
    session[SESSION_KEY] = citizen.pk
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
