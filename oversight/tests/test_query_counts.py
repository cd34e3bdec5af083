"""Pinned query counts of the oversight pages (grievances, complaints against officers, annual
reports), as cases/tests/test_query_counts.py pins the complaints': each list is measured with 2 and
with 12 rows and must run the same number of queries, so a query per row fails here.

When a change adds a query on purpose, raise the pin in the same commit and say why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from oversight import services
from oversight.officers import OfficerInput, officer_complaint_record
from oversight.services import grievance_link
from oversight.tests.factories import liaisons, make_grievance

# route -> queries (session, user, then the page's own)
PINS = {
    "grievance_list": 5,
    "grievance_detail": 9,
    "officer_complaints": 7,
    "officer_record": 6,
    "officer_complaint": 9,
    "reports": 4,
    "report": 4,
}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def flat(client: Client, pages: dict[str, Callable[[], str]], add_rows: Callable[[int], None]) -> None:
    """Each page ({pin name: its URL}) runs its pinned number of queries with 2 rows and with 12."""
    add_rows(2)
    few = {name: queries(client, url()) for name, url in pages.items()}
    add_rows(10)
    many = {name: queries(client, url()) for name, url in pages.items()}
    pinned = {name: PINS[name] for name in pages}
    assert (few, many) == (pinned, pinned)


@pytest.fixture
def team(org):
    return liaisons(org)


@pytest.fixture
def officer(org):
    return user_create(
        actor=None,
        username="agent.y",
        password=PASSWORD,
        unit=org.district,
        roles=[Role.INVESTIGATOR],
        first_name="Karim",
        last_name="Mukhtalaq",
    )


def test_grievance_list_and_page(org, team, make_case):
    liaison = team[0]
    made: list = []

    def add(n: int) -> None:
        for _ in range(n):
            g = make_grievance(liaison, ref=f"MR/2026/{len(made) + 1:04d}")
            grievance_link(grievance=g, actor=liaison, reference=make_case().reference)
            made.append(g)

    def add_to_first(n: int) -> None:
        add(n)
        for _ in range(n):  # the first grievance's page shows 1 + n links
            grievance_link(grievance=made[0], actor=liaison, reference=make_case().reference)

    pages = {
        "grievance_list": lambda: reverse("oversight:list"),
        "grievance_detail": lambda: reverse("oversight:detail", args=[made[0].reference]),
    }
    flat(login(liaison), pages, add_to_first)


def test_officer_complaint_list_record_and_page(org, make_case, officer):
    made: list = []

    def add(n: int) -> None:
        for _ in range(n):
            case = make_case(category="officer_misconduct")
            officer_complaint_record(
                case=case,
                actor=org.inspector,
                data=OfficerInput(officer=officer, allegations=["force", "discourtesy"], place="باب الأحد"),
            )
            made.append(case)

    pages = {
        "officer_complaints": lambda: reverse("oversight:officer_complaints"),
        "officer_record": lambda: reverse("oversight:officer_record", args=[officer.pk]),
        "officer_complaint": lambda: reverse("oversight:officer_complaint", args=[made[0].reference]),
    }
    flat(login(org.inspector), pages, add)


def test_annual_reports_list_and_page(org, team):
    liaison = team[0]
    years = iter(range(2025, 2010, -1))

    def add(n: int) -> None:
        for _ in range(n):
            services.annual_report_generate(actor=liaison, year=next(years))

    pages = {
        "reports": lambda: reverse("oversight:reports"),
        "report": lambda: reverse("oversight:report", args=[2025]),
    }
    flat(login(liaison), pages, add)
