"""The production entry point (`scripts/serve.sh`, `make serve`) and the production checks.

GIVEN a complete production configuration (AMANE_ENV=production, keys, a trusted proxy, a real
      notification gateway) on the test database
WHEN a demo setting is added THEN the entry point refuses to start, naming the setting, and nothing
     listens; WHEN nothing is wrong THEN it migrates, collects the static files, serves HTTPS-only
     pages with HSTS behind the proxy, and stops with status 0 on SIGTERM.
"""

from __future__ import annotations

import http.client
import subprocess
import time

import pytest
from django.core import checks

from core.tests.servers import ROOT, free_port, run_entry_point, server_env, stop, wait_for_http
from demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from org.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCTION = {
    "AMANE_ENV": "production",
    "AMANE_TRUSTED_PROXIES": "127.0.0.1",
    "AMANE_NOTIFY_BACKEND": "core.tests.gateway.Gateway",
    "AMANE_WEB_WORKERS": "1",
    "AMANE_WEB_GRACEFUL_SECONDS": "5",
}


def refusal(**env: str) -> str:
    """Run serve.sh on a port nobody listens on; it must exit non-zero. Returns its output."""
    port = free_port()
    done = run_entry_point("serve.sh", **{**PRODUCTION, "AMANE_BIND": f"127.0.0.1:{port}", **env})
    assert done.returncode != 0, done.stdout + done.stderr
    assert "serve: starting" not in done.stdout
    return done.stdout + done.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AMANE_OIDC_LOCAL_IDP", "1"),
        ("AMANE_DEMO_SIMULATION", "1"),
        ("AMANE_NOTIFY_BACKEND", "portal.notifications.OutboxBackend"),
    ],
)
def test_entry_point_refuses_a_demo_setting_and_names_it(variable, value, tmp_path):
    output = refusal(**{variable: value}, AMANE_VAR_DIR=str(tmp_path))
    assert variable in output


def test_entry_point_refuses_demo_accounts_and_development_mode(tmp_path, reference_data, settings):
    from django.conf import global_settings

    from org.tests.factories import build_org

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # one the server process knows
    o = build_org()
    user_create(
        actor=None,
        username="desk.demo",
        password=DEMO_PASSWORD,
        unit=o.district,
        roles=["front_desk"],
        email=f"desk.demo@{DEMO_EMAIL_DOMAIN}",
    )
    output = refusal(AMANE_VAR_DIR=str(tmp_path))
    assert "DEMO_PASSWORD" in output and "desk.demo" in output
    assert "AMANE_ENV" in refusal(AMANE_ENV="development", AMANE_VAR_DIR=str(tmp_path))


def test_entry_point_serves_behind_the_proxy_and_stops_cleanly(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=server_env(**PRODUCTION, AMANE_BIND=f"127.0.0.1:{port}", AMANE_VAR_DIR=str(tmp_path)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
        page = conn.getresponse()
        page.read()
        conn.request("GET", "/login/")  # plain HTTP, as a client reaching the server directly
        plain = conn.getresponse()
        plain.read()
        conn.close()
        assert page.status == 200
        assert page.getheader("Strict-Transport-Security").startswith("max-age=31536000")
        assert "script-src 'self'" in page.getheader("Content-Security-Policy")
        assert "Secure" in page.getheader("Set-Cookie")
        assert plain.status == 301 and plain.getheader("Location").startswith("https://")
        assert (tmp_path / "static" / "favicon.svg").exists()  # collectstatic ran
    finally:
        started = time.monotonic()
        status = stop(proc)
        output = proc.stdout.read() if proc.stdout else ""
    assert status == 0, output
    assert time.monotonic() - started < 20
    for line in ("serve: migrations", "serve: starting web, worker", "[web]", "serve: stopped"):
        assert line in output


def test_production_checks_name_each_unsafe_setting(settings, monkeypatch):
    """In-process: every transport setting turned off is one Error naming its variable."""
    monkeypatch.delenv("AMANE_SECRET_KEY", raising=False)
    monkeypatch.setenv("AMANE_DATA_KEY", "set")
    monkeypatch.delenv("AMANE_AUDIT_KEY", raising=False)
    settings.AMANE_ENV = "production"
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SECURE_SSL_REDIRECT = False
    settings.TRUSTED_PROXIES = []
    settings.AMANE_OIDC_LOCAL_IDP = True
    settings.AMANE_NOTIFY_BACKEND = "portal.notifications.LoggingBackend"
    settings.AMANE_DEMO_SIMULATION = True
    errors = [m.msg for m in checks.run_checks() if m.level >= checks.ERROR]
    named = {msg.split(":", 1)[0] for msg in errors}
    assert named >= {
        "AMANE_DEBUG",
        "AMANE_SECURE_COOKIES",
        "AMANE_HSTS_SECONDS",
        "AMANE_PROXY_SSL_HEADER",
        "AMANE_SSL_REDIRECT",
        "AMANE_TRUSTED_PROXIES",
        "AMANE_SECRET_KEY",
        "AMANE_AUDIT_KEY",
        "AMANE_OIDC_LOCAL_IDP",
        "AMANE_NOTIFY_BACKEND",
        "AMANE_DEMO_SIMULATION",
    }
    assert "AMANE_DATA_KEY" not in named
    settings.AMANE_ENV = "development"
    assert not [m for m in checks.run_checks() if m.id and m.id.startswith(("amane.E1", "demo.", "portal."))]


def test_demo_password_check_reads_the_demo_loaders_accounts_only(org, settings, django_assert_max_num_queries):
    """Only accounts marked by the demo loader are looked at; a changed password clears one."""
    from demo.checks import accounts_with_demo_password

    made = [
        user_create(
            actor=None,
            username=f"demo.{k}",
            password=DEMO_PASSWORD,
            unit=org.district,
            roles=["investigator"],
            email=f"demo.{k}@{DEMO_EMAIL_DOMAIN}",
        )
        for k in range(3)
    ]
    user_create(actor=None, username="real", password=DEMO_PASSWORD, unit=org.district, roles=["investigator"])
    made[0].set_password("a-new-long-password-2026")
    made[0].save()
    with django_assert_max_num_queries(1):
        assert accounts_with_demo_password() == ["demo.1", "demo.2"]
