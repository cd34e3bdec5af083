"""A dispatcher who opens more boards than AMANE_STREAMS_PER_USER allows is told why on the extra
board, in their language, and that board stops reconnecting; the first keeps its live stream."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from emergency.tests.factories import line19
from live.stream import TOO_MANY
from org.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_board(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/?next=/emergency/board/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def test_the_extra_board_says_why_it_is_not_live(new_page, live_server, org, settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_LIVE_HEARTBEAT_SECONDS = 1
    settings.AMANE_STREAMS_PER_USER = 1
    o = line19(org)
    first, second = new_page(), new_page()
    open_board(first, live_server.url, o.cas_dispatcher.username)
    expect(first.locator("html[data-live=open]")).to_be_attached()
    open_board(second, live_server.url, o.cas_dispatcher.username)
    expect(second.locator("html[data-live=refused]")).to_be_attached()
    with translation.override("ar"):
        expected = str(TOO_MANY % {"count": 1})
    expect(second.locator("#live-status")).to_have_text(expected)
    expect(first.locator("html[data-live=open]")).to_be_attached()
