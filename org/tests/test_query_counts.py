"""Pinned query count of the administrator's list of API keys: the same with 2 keys as with 12, so a
query per key (its owner, its creator) fails here.

When a change adds a query on purpose, raise the pin in the same commit and say why."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from org.choices import KeyScope, Role
from org.services import api_key_create, partner_create, user_create
from org.tests.factories import PASSWORD

# session, user, the keys with their owners
PIN_KEYS = 4


def test_the_key_list_runs_the_same_queries_for_2_keys_and_for_12(org):
    admin = user_create(actor=None, username="admin.k", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    client = Client()
    client.force_login(admin)
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            if made[0] % 2:
                api_key_create(actor=admin, name=f"k{made[0]}", scopes=[KeyScope.API], user=org.investigator)
            else:
                partner = partner_create(actor=admin, name=f"Commune {made[0]}")
                api_key_create(actor=admin, name=f"k{made[0]}", scopes=[KeyScope.OPEN311], partner=partner)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/org/keys/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(10)
    assert (few, count()) == (PIN_KEYS, PIN_KEYS)
    assert client.get("/org/keys/").content.decode().count("Commune ") >= 6
