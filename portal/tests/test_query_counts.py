"""Pinned query counts of the citizen's pages and the outbox, as cases/tests/test_query_counts.py
pins the staff pages: each is measured with 2 and with 12 complaints and must run the same pinned
number of queries, so a query per row fails here.

When a change adds a query on purpose, raise the pin in the same commit and say why."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.services import case_add_note
from identity.tests.factories import login_citizen, make_citizen
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from portal.tests.factories import run_tasks
from portal.tests.test_tracking import file_one

# route -> queries
PINS = {
    "home": 2,
    "my": 6,
    "consents": 4,
    "track_result": 4,
    "outbox": 7,
}


def counted(client: Client, method: str, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_citizen_pages_and_the_outbox(org):
    citizen_client = Client()
    login_citizen(citizen_client, make_citizen())
    admin = Client()
    admin.force_login(
        user_create(actor=None, username="admin.q", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    )
    filed: list[tuple[str, str]] = []

    def add(n: int) -> None:
        for _ in range(n):
            filed.append(file_one(citizen_client))
            first = Case.objects.get(reference=filed[0][0])
            case_add_note(case=first, actor=org.investigator, note="ملاحظة داخلية")
        run_tasks()  # the acknowledgements reach the outbox

    def counts() -> dict[str, int]:
        ref, code = filed[0]
        return {
            "home": counted(citizen_client, "get", "/"),
            "my": counted(citizen_client, "get", "/my/"),
            "consents": counted(citizen_client, "get", "/my/consents/"),
            "track_result": counted(Client(), "post", "/track/", {"ref": ref, "code": code}),
            "outbox": counted(admin, "get", "/outbox/"),
        }

    add(2)
    counts()  # what the process keeps is read once, before
    few = counts()
    add(10)
    many = counts()
    assert (few, many) == (PINS, PINS)
    assert citizen_client.get("/my/").content.decode().count("public-case") == 12
