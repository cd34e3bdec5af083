"""`make run`'s runner (scripts/run.sh → manage.py run_demo) on the test database with demo data.

GIVEN the demo loaded WHEN scripts/run.sh starts THEN it prints the addresses and the logins once,
the pages answer (the favicon too), nothing but the banner reaches the terminal (Django's "Not
Found" lines go to var/log/), the web server, task worker, periodic sweep and simulator run, and a
Ctrl-C (SIGINT) stops them all with exit status 0.
"""

from __future__ import annotations

import http.client
import signal
import subprocess
import time

import pytest
from django.core.management import call_command

from core.tests.servers import ROOT, free_port, server_env, wait_for_http
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def test_run_prints_once_quietly_and_stops_cleanly(tmp_path, reference_data):
    call_command("load_demo", cases=5, history=0, no_line19=True, verbosity=0)
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "run.sh")],
        cwd=ROOT,
        env=server_env(AMANE_BIND=f"127.0.0.1:{port}", AMANE_VAR_DIR=str(tmp_path), AMANE_WEB_WORKERS="1"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_http(port, proc)
        assert [get(port, p) for p in ("/", "/login/", "/favicon.ico", "/nothing-here/")] == [200, 200, 301, 404]
        assert get(port, "/static/favicon.ico") == 200
        time.sleep(1)  # the banner is printed by a thread once the port answers
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert out.count("Amane is running") == 1
    assert out.count(DEMO_PASSWORD) == 1 and out.count("dispatch.rabat") == 1
    assert f"http://127.0.0.1:{port}/cases/" in out
    assert "Not Found" not in out + err and "Traceback" not in out + err
    logs = tmp_path / "log"
    assert "Not Found: /nothing-here/" in (logs / "server.log").read_text()
    assert "GET /favicon.ico" in (logs / "access.log").read_text()
    expected = {"server.log", "access.log", "worker.log", "periodic.log", "simulate.log"}
    assert {p.name for p in logs.iterdir()} >= expected
