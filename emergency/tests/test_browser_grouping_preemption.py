"""Acceptance of issue 11, line 19 (items 1 and 2), in a real chromium, in Arabic.

GIVEN the Casablanca command room with one patrol on duty and the dispatcher's board open
WHEN a street fight and, 5 minutes later and 80 m away, a street robbery are called in
THEN the board shows the robbery as "probably the same as" the fight with the reason (80 m, 5 min,
     both categories); the dispatcher keeps them apart and both stay on the board, each with its
     call reference
WHEN the only patrol is on a P3 and a P1 arrives
THEN the dispatch panel warns that a P1 waits and no patrol is free, and offers the patrol busy on
     the P3; the dispatcher takes it off with a reason; the P1 shows the patrol, and the P3 returns
     to the top of the waiting list (before an older P3) with the reason.

Every wait is on a DOM change (Playwright's expect). Requests outside the test server are aborted.
"""

from __future__ import annotations

import json
import tempfile
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from emergency import services
from emergency.choices import IncidentState
from emergency.models import Incident
from org.tests.factories import PASSWORD, user_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Where the screenshots go, to be looked at by a person (not compared).
SCREENSHOT = Path(tempfile.gettempdir()) / "amane-line19-acceptance.png"


@pytest.fixture(autouse=True)
def _live_settings(settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 2


def arabic(label) -> str:
    with translation.override("ar"):
        return str(label)


def api_call(base: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(
        base + "/api/emergency/calls",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 201
        return json.loads(response.read())


def test_proposal_kept_apart_then_a_p3_patrol_preempted_for_a_p1(new_page, live_server):
    from emergency.tests.factories import ANFA, HAY_MOHAMMADI, MAARIF, PLACE_MOHAMMED_V, call, line19, patrol

    expect = pytest.importorskip("playwright.sync_api").expect
    o = line19()
    unit = patrol(o, "CAS-801", ANFA, officers=[o.cas_patrol_officer])
    token = user_key(o.cas_dispatcher)
    base = live_server.url
    board = new_page(viewport={"width": 1500, "height": 1100})

    board.goto(f"{base}/login/?next=/emergency/board/")
    board.fill("#id_username", o.cas_dispatcher.username)
    board.fill("#id_password", PASSWORD)
    with board.expect_navigation():
        board.press("#id_password", "Enter")
    assert board.locator("html").get_attribute("dir") == "rtl"
    expect(board.locator("html")).to_have_attribute("data-live", "open")

    # --- two calls, 80 m and 5 minutes apart, of different categories
    t0 = timezone.now() - timedelta(minutes=5)
    fight = api_call(
        base,
        token,
        {
            "caller_number": "0661112233",
            "category": "fight",
            "description": "شجار أمام محطة الترامواي",
            "address": "ساحة محمد الخامس، الدار البيضاء",
            "latitude": PLACE_MOHAMMED_V[0],
            "longitude": PLACE_MOHAMMED_V[1],
            "received_at": t0.isoformat(),
        },
    )
    robbery = api_call(
        base,
        token,
        {
            "caller_number": "0662223344",
            "category": "street_robbery",
            "description": "خطف حقيبة يدوية",
            "address": "شارع الحسن الثاني، الدار البيضاء",
            "latitude": PLACE_MOHAMMED_V[0] + 80 / 111_195,
            "longitude": PLACE_MOHAMMED_V[1],
        },
    )
    assert robbery["incident_id"] != fight["incident_id"]  # nothing merged silently
    item = board.locator(f'#incident-list li[data-reference="{robbery["incident"]["reference"]}"]')
    proposal = item.locator(".incident-proposal")
    expect(proposal).to_be_visible()
    reason = proposal.locator(".proposal-reason")
    expect(reason).to_contain_text(fight["incident"]["reference"])
    expect(reason).to_contain_text("80")
    expect(reason).to_contain_text("5")
    expect(reason).to_contain_text("شجار في الشارع العام")
    expect(reason).to_contain_text("سرقة بالخطف أو بالعنف")
    expect(item.locator(f'.call-ref[data-reference="{robbery["reference"]}"]')).to_be_visible()
    board.screenshot(path=str(SCREENSHOT.with_name("amane-line19-proposal.png")), full_page=True)
    proposal.locator(".btn-keep-apart").click()
    expect(proposal).to_have_count(0)
    expect(board.locator("#incident-count")).to_have_text("2")
    # Kept apart, it can still be merged later by hand (the other incident is offered).
    expect(item.locator(".incident-merge-later option")).to_have_count(1)
    assert Incident.objects.get(pk=robbery["incident_id"]).proposed_merge is None

    # --- the only patrol is on a P3; an older P3 waits; then a P1 arrives
    older_p3 = call(
        o,
        MAARIF,
        category="noise",
        answers={"threats": True},
        received_at=timezone.now() - timedelta(minutes=20),
        address="المعاريف، الدار البيضاء",
    ).incident
    p3 = call(o, HAY_MOHAMMADI, category="noise", answers={"threats": True}, address="الحي المحمدي").incident
    services.incident_dispatch(incident=p3, patrol=unit, actor=o.cas_dispatcher)
    p1 = api_call(
        base,
        token,
        {
            "caller_number": "0663334455",
            "category": "violence_in_progress",
            "answers": {"armed": True},
            "description": "اعتداء بالسلاح الأبيض",
            "address": "شارع محمد الخامس، الدار البيضاء",
            "latitude": 33.5890,
            "longitude": -7.6150,
        },
    )
    assert p1["priority"] == "P1" and older_p3.priority == p3.priority == "P3"
    p1_item = board.locator(f'#incident-list li[data-reference="{p1["incident"]["reference"]}"]')
    expect(p1_item).to_be_visible()
    expect(board.locator('#board-alerts .board-alert[data-kind="p1_waiting"]')).to_contain_text(
        p1["incident"]["reference"]
    )

    p1_item.locator(".btn-dispatch").click()
    panel = board.locator("#dispatch-panel")
    expect(panel).to_be_visible()
    expect(board.locator('#dispatch-warnings [data-code="p1_waiting"]')).to_be_visible()
    expect(board.locator('#dispatch-warnings [data-code="no_patrol"]')).to_be_visible()
    option = board.locator(f"#dispatch-patrol-{unit.pk}")
    expect(option).to_be_checked()
    expect(board.locator(f'label[for="dispatch-patrol-{unit.pk}"]')).to_contain_text(p3.reference)
    expect(board.locator("#dispatch-preempt")).to_be_visible()
    board.click("#dispatch-confirm")  # no reason: refused, nothing written
    expect(board.locator("#dispatch-errors")).to_be_visible()
    board.fill("#dispatch-preempt-reason", "اعتداء بالسلاح، الدورية الأقرب")
    board.screenshot(path=str(SCREENSHOT.with_name("amane-line19-preempt-panel.png")), full_page=True)
    board.click("#dispatch-confirm")
    expect(panel).to_be_hidden()
    expect(p1_item).to_have_attribute("data-state", "dispatched")
    expect(p1_item.locator(".incident-patrol")).to_have_text("CAS-801")

    # --- the P3 is back, at the top of the waiting list, with the reason
    p3_item = board.locator(f'#incident-list li[data-reference="{p3.reference}"]')
    expect(p3_item).to_have_attribute("data-state", "triaged")
    expect(p3_item.locator(".incident-requeued")).to_contain_text("اعتداء بالسلاح، الدورية الأقرب")
    waiting_p3 = board.locator('#incident-list li[data-state="triaged"][data-priority="P3"]')
    expect(waiting_p3.first).to_have_attribute("data-reference", p3.reference)
    expect(waiting_p3.nth(1)).to_have_attribute("data-reference", older_p3.reference)
    expect(p3_item.locator(".incident-state")).to_have_text(arabic(IncidentState.TRIAGED.label))
    board.screenshot(path=str(SCREENSHOT), full_page=True)
