"""Acceptance of the live board, in a real chromium with two browser contexts, in Arabic.

GIVEN the Casablanca command room with a patrol on duty, a dispatcher's board open in one browser
      context and the patrol officer's phone page open in another
WHEN a P1 call is registered through the REST API (bearer token, from outside the browser)
THEN it appears on the board without reload and the P1 banner flashes; the dispatcher dispatches
     the suggested patrol from the board; the patrol's page shows the mission without reload; the
     patrol reports en route, on scene and resolved with an outcome; the board follows each step
     and drops the resolved incident; the response-time panel shows the incident's response time.

Every wait is on a DOM change (Playwright's expect), never a sleep. The stream runs on the
in-process backend: the test server is one process with threads. Requests that do not go to the
test server (map tiles) are aborted, so the map is blank and the page still works.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.utils import translation

from emergency.choices import IncidentState
from emergency.models import Incident
from org.tests.factories import PASSWORD, user_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _live_settings(settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 2


def arabic(label) -> str:
    with translation.override("ar"):
        return str(label)


def log_in(page, base: str, username: str, then: str) -> None:

    page.goto(f"{base}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def api_post(base: str, token: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 201
        return json.loads(response.read())


def test_call_dispatch_and_patrol_reports_live_on_two_contexts(new_page, live_server):
    from emergency.tests.factories import ANFA, MAARIF, line19, patrol

    expect = pytest.importorskip("playwright.sync_api").expect
    o = line19()
    unit = patrol(o, "CAS-701", ANFA, officers=[o.cas_patrol_officer])
    patrol(o, "CAS-702", (33.5500, -7.5000))  # farther: the second suggestion
    token = user_key(o.cas_dispatcher)
    base = live_server.url

    board = new_page(viewport={"width": 1500, "height": 1000})
    phone = new_page(viewport={"width": 390, "height": 844})
    desk_ctx, phone_ctx = board.context, phone.context
    try:
        # --- the dispatcher's board is open, in Arabic, connected to the stream
        log_in(board, base, o.cas_dispatcher.username, "/emergency/board/")
        assert board.locator("html").get_attribute("dir") == "rtl"
        assert board.locator("html").get_attribute("lang") == "ar"
        expect(board.locator("html")).to_have_attribute("data-live", "open")
        expect(board.locator("#incident-count")).to_have_text("0")
        expect(board.locator("#p1-banner")).to_be_hidden()
        board.click("#sound-toggle")  # the user gesture that allows the alert sound
        expect(board.locator("#sound-toggle")).to_have_attribute("aria-pressed", "true")

        # --- the patrol's phone: on duty, no mission yet
        log_in(phone, base, o.cas_patrol_officer.username, "/emergency/patrol/")
        expect(phone.locator("#patrol-sign")).to_have_text("CAS-701")
        expect(phone.locator("#no-mission")).to_be_visible()
        expect(phone.locator("html")).to_have_attribute("data-live", "open")

        # --- a call arrives through the API: armed attacker, so P1
        created = api_post(
            base,
            token,
            "/api/emergency/calls",
            {
                "caller_number": "0661234567",
                "language": "ar",
                "category": "violence_in_progress",
                "answers": {"armed": True},
                "description": "اعتداء بالسلاح الأبيض أمام مقهى",
                "address": "شارع المسيرة الخضراء، المعاريف، الدار البيضاء",
                "latitude": MAARIF[0],
                "longitude": MAARIF[1],
            },
        )
        reference = created["incident"]["reference"]
        assert created["priority"] == "P1"
        item = board.locator(f'#incident-list li[data-reference="{reference}"]')
        expect(item).to_be_visible()  # pushed by the stream, no reload
        expect(item).to_have_attribute("data-priority", "P1")
        expect(item.locator(".incident-state")).to_have_text(arabic(IncidentState.TRIAGED.label))
        expect(board.locator("#incident-count")).to_have_text("1")
        expect(board.locator("#p1-banner")).to_be_visible()
        expect(board.locator("#p1-banner-text")).to_contain_text(reference)
        age = item.locator(".incident-age").inner_text()
        expect(item.locator(".incident-age")).not_to_have_text(age)  # the age ticks in the page

        # --- the dispatcher dispatches the first suggestion from the board
        item.locator(".btn-dispatch").click()
        panel = board.locator("#dispatch-panel")
        expect(panel).to_be_visible()
        expect(board.locator("#dispatch-ref")).to_have_text(reference)
        first = panel.locator("input[name=patrol]").first
        expect(first).to_be_checked()
        expect(first).to_have_value(str(unit.pk))
        expect(panel.locator("label").first).to_contain_text("CAS-701")
        board.click("#dispatch-confirm")
        expect(panel).to_be_hidden()
        expect(item).to_have_attribute("data-state", "dispatched")
        expect(item.locator(".incident-patrol")).to_have_text("CAS-701")

        # --- the patrol's page shows the mission, without reload
        expect(phone.locator("#mission-ref")).to_have_text(reference)
        expect(phone.locator("#mission-state")).to_have_text(arabic(IncidentState.DISPATCHED.label))

        # --- the response-time panel, open in a second tab of the dispatcher
        panel_page = desk_ctx.new_page()
        panel_page.goto(f"{base}/emergency/panel/")
        row = panel_page.locator('#panel-priority tr[data-priority="P1"]')
        expect(row.locator("td.incidents")).to_have_text("1")
        expect(row.locator("td.median")).to_have_text("—")  # not on scene yet
        expect(panel_page.locator("html")).to_have_attribute("data-live", "open")

        # --- acknowledged (its own state on the phone), en route, on scene: each report moves the board
        phone.click("#mission-action")
        expect(phone.locator("#mission-acknowledged")).to_be_visible()
        expect(phone.locator("#mission")).to_have_attribute("data-state", "dispatched")
        phone.click("#mission-action")
        expect(phone.locator("#mission")).to_have_attribute("data-state", "en_route")
        expect(item).to_have_attribute("data-state", "en_route")
        phone.click("#mission-action")
        expect(phone.locator("#mission")).to_have_attribute("data-state", "on_scene")
        expect(item).to_have_attribute("data-state", "on_scene")
        expect(row.locator("td.median")).not_to_have_text("—")  # the panel followed the stream

        # --- resolved with an outcome: the mission ends, the board drops the incident
        phone.select_option("#mission-outcome", "arrest")
        phone.click("#mission-action")
        expect(phone.locator("#no-mission")).to_be_visible()
        expect(item).to_have_count(0)
        expect(board.locator("#incident-count")).to_have_text("0")
        expect(row.locator("td.incidents")).to_have_text("1")
    finally:
        phone_ctx.close()
        desk_ctx.close()

    incident = Incident.objects.get(reference=reference)
    assert incident.state == "resolved" and incident.outcome == "arrest" and incident.patrol_id == unit.pk
    assert incident.on_scene_at >= incident.en_route_at >= incident.dispatched_at >= incident.received_at


def test_call_form_on_the_board_triages_and_refuses_a_place_abroad(new_page, live_server):
    """The dispatcher takes a call on the board's form: the triage questions of the category set
    the priority shown before sending; a place outside Morocco is refused on the form (nothing
    written); the corrected call appears in the list through the stream."""
    from emergency.models import Call
    from emergency.tests.factories import MAARIF, line19

    expect = pytest.importorskip("playwright.sync_api").expect
    o = line19()
    base = live_server.url
    board = new_page(viewport={"width": 1500, "height": 1000})
    context = board.context
    try:
        log_in(board, base, o.cas_dispatcher.username, "/emergency/board/")
        expect(board.locator("html")).to_have_attribute("data-live", "open")
        board.fill("#call-caller", "0522000000")
        board.select_option("#call-category", "violence_in_progress")
        expect(board.locator("#call-questions")).to_be_visible()
        expect(board.locator("#call-priority")).to_have_text("P2")
        board.select_option("#call-q-armed", "yes")
        expect(board.locator("#call-priority")).to_have_text("P1")
        board.fill("#call-address", "شارع الزرقطوني، المعاريف")
        board.fill("#call-latitude", "40.4168")  # Madrid
        board.fill("#call-longitude", "-3.7038")
        board.click("#call-submit")
        expect(board.locator("#call-errors")).to_be_visible()
        expect(board.locator("#call-latitude")).to_have_attribute("aria-invalid", "true")
        assert not Call.objects.exists()

        board.fill("#call-latitude", str(MAARIF[0]))
        board.fill("#call-longitude", str(MAARIF[1]))
        board.click("#call-submit")
        expect(board.locator("#call-result")).to_contain_text("(P1)")
        expect(board.locator("#call-errors")).to_be_hidden()
        saved = Call.objects.get()
        item = board.locator(f'#incident-list li[data-reference="{saved.incident.reference}"]')
        expect(item).to_have_attribute("data-priority", "P1")
        expect(board.locator("#p1-banner")).to_be_visible()
        assert saved.answers == {"armed": True} and saved.priority == "P1"
    finally:
        context.close()
