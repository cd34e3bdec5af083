"""The Content-Security-Policy is one the pages satisfy: no inline script, no inline style, no eval.

GIVEN the policy enforced on every response (never report-only)
WHEN a real chromium loads the main pages — the staff login, lists, intake, a case, the line-19
     board and response times, the patrol's phone page, the administrator's keys and outbox, the
     citizen portal's home, filing form, tracking page and result, and the API documentation
THEN the browser reports no violation (neither a `securitypolicyviolation` event nor a console error
     about the policy), and the pages' scripts ran (the board drew its list, Swagger its operations).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from emergency.tests.factories import PLACE_MOHAMMED_V, call, line19, patrol
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Injected by the test harness (outside the page's policy): records what the page violates.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watched:
    """A page whose policy violations are collected from the DOM events and the console."""

    def __init__(self, page: Any):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def sign_in(self, base: str, username: str) -> None:
        self.visit(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.press("#id_password", "Enter")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "content-security-policy-report-only" not in response.headers
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        return self.console + self.page.evaluate("window.__csp || []")


@pytest.fixture(autouse=True)
def _live_settings(settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 2


def test_main_pages_satisfy_the_policy(new_page, live_server, org, make_case):
    o = line19(org)
    patrol(o, "CAS-101", PLACE_MOHAMMED_V, officers=[o.cas_patrol_officer])
    call(o, PLACE_MOHAMMED_V)
    case = make_case()
    base = live_server.url
    seen: dict[str, list[str]] = {}

    staff = Watched(new_page())
    staff.sign_in(base, o.desk.username)
    for path in ("/cases/", "/cases/queue/", "/cases/new/", f"/cases/{case.reference}/", "/api/docs"):
        staff.visit(base + path)
    expect(staff.page.locator(".opblock").first).to_be_visible()  # Swagger UI ran
    seen["desk"] = staff.violations()

    board = Watched(new_page())
    board.sign_in(base, o.cas_dispatcher.username)
    board.visit(f"{base}/emergency/board/")
    expect(board.page.locator("html[data-live=open]")).to_be_attached()  # board.js connected
    board.visit(f"{base}/emergency/panel/")
    seen["board"] = board.violations()

    admin = Watched(new_page())
    user_create(actor=None, username="admin", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    admin.sign_in(base, "admin")
    for path in ("/org/keys/", "/outbox/"):
        admin.visit(base + path)
    seen["admin"] = admin.violations()

    phone = Watched(new_page(viewport={"width": 390, "height": 844}))
    phone.sign_in(base, o.cas_patrol_officer.username)
    phone.visit(f"{base}/emergency/patrol/")
    seen["patrol"] = phone.violations()

    citizen = Watched(new_page(viewport={"width": 390, "height": 844}))
    for path in ("/", "/file/", f"/track/?ref={case.reference}"):
        citizen.visit(base + path)
    citizen.page.fill("#id_code", case.tracking_code)
    with citizen.page.expect_navigation():
        citizen.page.locator("#track-submit").click()
    expect(citizen.page.locator(".case-state")).to_be_visible()
    seen["citizen"] = citizen.violations()

    assert seen == {"desk": [], "board": [], "admin": [], "patrol": [], "citizen": []}
