"""Builders of the portal tests: the public forms filled like a browser does (solving the proof of
work), and the background tasks run with the database worker's own code."""

from __future__ import annotations

import re

from django.test import TestCase

from portal.antibot import pow_solve

POW_BITS = 6


def challenge_of(html: str) -> str:
    m = re.search(r'name="pow_challenge" id="id_pow_challenge" value="([^"]+)"', html)
    assert m, "the filing form carries a proof-of-work challenge"
    return m.group(1)


def filing_post(client, *, files=None, solve=True, **fields):
    """GET the form, solve its challenge as the browser would, POST the complaint."""
    page = client.get("/file/")
    assert page.status_code == 200
    challenge = challenge_of(page.content.decode())
    data = {
        "category": "theft",
        "description": "سرقة هاتف محمول قرب محطة القطار",
        "address": "شارع محمد الخامس، الرباط",
        "latitude": "34.0236",
        "longitude": "-6.8341",
        "contact_channel": "sms",
        "phone": "0612345678",
        "email": "",
        "language": "ar",
        "pow_challenge": challenge,
        "pow_nonce": pow_solve(challenge, POW_BITS) if solve else "",
        "website": "",
    }
    data.update(fields)
    if files:
        data["attachments"] = files
    return client.post("/file/", data)


def run_tasks(limit: int = 50) -> int:
    """Run the queued background tasks that are due with the database worker's own code (its
    command loop closes the test's connection, so the loop is reproduced here). Returns how many."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="portal-test",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().filter(backend_name="default").first()
        if result is None:
            return ran
        result.claim(worker.worker_id)
        # A task's follow-ups (the next attempt) are enqueued on commit; the test's transaction
        # never commits, so its on-commit callbacks are run here as a commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
        ran += 1
    return ran
