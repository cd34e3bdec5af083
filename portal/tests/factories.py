"""Builders of the portal tests: the public forms filled like a browser does (solving the proof of
work), and the background tasks run with the worker's own code."""

from __future__ import annotations

import re

from jobs.tests.factories import run_due_tasks
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
    """Run the queued background tasks that are due, with the worker's own code (leases, retry
    policies) in this process. Returns how many ran."""
    return run_due_tasks(limit)
