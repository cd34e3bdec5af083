"""Two officers act on the same case at the same moment: one wins, the other gets 409, nothing lost."""

import threading

import pytest
from django.db import connections
from django.test import Client

from cases.models import Case, CaseEvent
from org.tests.factories import build_org


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_one_wins_one_conflicts(make_case_tx):
    org, case = make_case_tx
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def act(user, transition):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            r = client.post(
                f"/api/cases/{case.reference}/transitions",
                {"transition": transition, "version": case.version, "offence": "theft"},
                content_type="application/json",
            )
            results[user.username] = r.status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(org.investigator, "qualify")),
        threading.Thread(target=act, args=(org.chief, "qualify")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results.values()) == [200, 409], results
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == 2
    assert CaseEvent.objects.filter(case=case, kind="transition").count() == 1
    winner = next(name for name, status in results.items() if status == 200)
    assert fresh.state == "qualified"
    assert CaseEvent.objects.get(case=case, kind="transition").actor.username == winner


@pytest.fixture
def make_case_tx(transactional_db, reference_data):
    from cases.models import Category
    from cases.services import ComplainantInput, IntakeInput, complaint_register

    org = build_org()
    case = complaint_register(
        actor=org.desk,
        data=IntakeInput(
            channel="counter",
            category=Category.objects.get(code="nuisance"),
            description="ضجيج ليلي متكرر",
            complainant=ComplainantInput(anonymous=True),
            latitude=34.0236,
            longitude=-6.8341,
        ),
    )
    return org, case
