"""Pinned query counts of the line-19 lists and detail routes (API and pages): each is measured with
2 and with 12 incidents and patrols and must run the same pinned number of queries, so a query per
row fails here (cases/tests/test_query_counts.py does the same for complaints).

When a change adds a query on purpose, raise the pin in the same commit and say why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emergency import services
from emergency.tests.factories import BY_HAND, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol

# route -> queries (session, user, then the route's own)
PINS = {
    "api_incidents": 6,
    "api_calls": 5,
    "api_patrols": 5,
    "api_board": 9,
    "api_incident": 8,
    "api_suggestions": 6,
    "api_dispatch_options": 10,
    "api_response_times": 5,
    "api_readiness": 6,
    "board": 10,
    "panel": 7,
    "patrol": 6,
}


@pytest.fixture
def o(org):
    return line19(org)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


def flat(pages: dict[str, tuple[Client, Callable[[], str]]], add_rows: Callable[[int], None]) -> None:
    """Each route ({pin name: (client, its URL)}) runs its pinned number of queries with 2 rows and
    with 12."""
    add_rows(2)
    few = {name: queries(client, url()) for name, (client, url) in pages.items()}
    add_rows(10)
    many = {name: queries(client, url()) for name, (client, url) in pages.items()}
    pinned = {name: PINS[name] for name in pages}
    assert (few, many) == (pinned, pinned)


def test_line19_routes(o):
    incidents: list = []
    first_patrol: list = []
    count = [0]

    def add(n: int) -> None:
        for _ in range(n):
            k = count[0]
            count[0] += 1
            officers = [o.cas_patrol_officer] if k == 0 else []
            made = patrol(
                o, f"CAS-{100 + k}", (MAARIF[0] + (k // 4) * 0.004, MAARIF[1] + (k % 4) * 0.004), officers=officers
            )
            first_patrol.append(made)
            place = (PLACE_MOHAMMED_V[0] - (k // 4) * 0.01, PLACE_MOHAMMED_V[1] + (k % 4) * 0.01)
            incidents.append(call(o, place, category="noise").incident)
            if k == 1:  # the first patrol's mission
                services.incident_dispatch(
                    incident=incidents[1], patrol=first_patrol[0], actor=o.cas_dispatcher, override_reason=BY_HAND
                )

    dispatcher = chief = login(o.cas_dispatcher)
    first = lambda: incidents[0].pk  # noqa: E731
    pages = {
        "api_incidents": (dispatcher, lambda: "/api/emergency/incidents"),
        "api_calls": (dispatcher, lambda: "/api/emergency/calls"),
        "api_patrols": (dispatcher, lambda: "/api/emergency/patrols"),
        "api_board": (dispatcher, lambda: "/api/emergency/board"),
        "api_incident": (dispatcher, lambda: f"/api/emergency/incidents/{first()}"),
        "api_suggestions": (dispatcher, lambda: f"/api/emergency/incidents/{first()}/suggestions"),
        "api_dispatch_options": (dispatcher, lambda: f"/api/emergency/incidents/{first()}/dispatch-options"),
        "api_response_times": (chief, lambda: "/api/emergency/metrics/response-times"),
        "api_readiness": (chief, lambda: "/api/emergency/metrics/readiness"),
        "board": (dispatcher, lambda: "/emergency/board/"),
        "panel": (chief, lambda: "/emergency/panel/"),
        "patrol": (login(o.cas_patrol_officer), lambda: "/emergency/patrol/"),
    }
    flat(pages, add)
