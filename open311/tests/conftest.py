"""Fixtures of the Open311 tests: a client that parses either format, and a partner with its key."""

from __future__ import annotations

import pytest
from django.test import Client

from open311.tests.factories import BASE, Answer
from org.choices import KeyScope
from org.tests.factories import partner_key


@pytest.fixture
def api():
    client = Client()

    class Api:
        def get(self, path, fmt="xml", **params):
            headers = params.pop("headers", {})
            return Answer(client.get(f"{BASE}{path}.{fmt}", params, headers=headers), fmt)

        def post(self, path, data, fmt="xml"):
            return Answer(client.post(f"{BASE}{path}.{fmt}", data), fmt)

        raw = client

    return Api()


@pytest.fixture
def partner(org):
    partner, raw = partner_key("Commune de Rabat", KeyScope.OPEN311)
    partner.raw = raw
    return partner
