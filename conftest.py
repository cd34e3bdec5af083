"""Fixtures shared by every app's tests. Builders live in each app's `tests/factories.py`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cases.tests.factories import ensure_categories, make_complaint
from emergency.tests.factories import ensure_call_categories
from live.tests.factories import wait_until_streams_end
from org.tests.factories import PASSWORD, Org, build_org

CHROMIUM = "/usr/bin/chromium"
# --disable-background-networking & co.: without them chromium keeps calling Google's hosts, which
# this network refuses; --no-sandbox: the tests run as root in a container.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Tests that restart PostgreSQL run last: the connections other tests keep (browser tests run
    in greenlets, each with its own) die with the server."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_postgres") is not None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users need no slow key stretching (production keeps its own hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """Tests sign chiefs, inspectors and administrators in with force_login or the login form, which
    know nothing of the second factor; the tests of the second factor turn it back on
    (`settings.AMANE_REQUIRE_2FA = True`, the `second_factor` fixture of org/tests)."""
    settings.AMANE_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _unit_tree_forgotten():
    """What a process keeps (the unit tree of org.selectors.unit_tree, the verified API keys, the
    open throttle gates, the categories) is dropped between tests: the rollback of a test removes its rows without the
    signals that would drop them."""
    from cases.selectors import categories_changed
    from org.selectors import unit_tree_changed
    from org.services.organisation import api_keys_forget
    from org.services.throttle import api_key_gates_forget

    def forget() -> None:
        unit_tree_changed()
        api_keys_forget()
        api_key_gates_forget()
        categories_changed()

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings, tmp_path_factory) -> None:
    """Each test signs its audit checkpoints into a folder of its own: the database is rolled back
    after each test, so a shared file would name heads that no longer exist."""
    settings.AUDIT_DIR = tmp_path_factory.mktemp("audit")


@pytest.fixture
def reference_data(db) -> None:
    """The reference lists loaded by data migrations, reloaded if a transactional test flushed them."""
    ensure_categories()
    ensure_call_categories()


@pytest.fixture
def org(db, reference_data) -> Org:
    return build_org()


@pytest.fixture
def make_case(org) -> Callable[..., Any]:
    """Register a complaint through the intake service (defaults: theft at the own district, by the
    desk officer)."""

    def make(actor=None, category="theft", **kw):
        return make_complaint(actor or org.desk, category, **kw)

    return make


@pytest.fixture
def browser(live_server, settings, monkeypatch, reference_data) -> Iterator[Any]:
    """Debian's chromium driven by Playwright; fails (not skips) when the browser is missing, since
    `make test` installs it and a skip would hide it."""
    from playwright import sync_api

    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run `make test` or `apt-get install chromium`")
    # The sync Playwright API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            wait_until_streams_end()  # pages with a live stream free their leases on the server


@pytest.fixture
def new_page(browser, live_server) -> Callable[..., Any]:
    """A new page in Arabic (ar-MA) whose every request outside the test server is aborted: the
    product must work with no internet."""

    def make(**options: Any) -> Any:
        context = browser.new_context(locale="ar-MA", **options)
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    return make


@pytest.fixture
def staff_login(live_server) -> Callable[..., None]:
    """Sign a staff member in on a page through the login form, keyboard first."""

    def log_in(page: Any, username: str, next_path: str = "") -> None:
        page.goto(f"{live_server.url}/login/{'?next=' + next_path if next_path else ''}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_load_state()

    return log_in


@pytest.fixture
def worker_processes(tmp_path) -> Iterator[Any]:
    """Start real `manage.py run_worker` processes on the test database (`.start(name, **env)`);
    every one still running is killed at the end of the test, passed or failed."""
    from jobs.tests.factories import WorkerProcesses

    started = WorkerProcesses(tmp_path)
    yield started
    started.stop_all()
