"""Staff sessions: the idle timeout of the user's roles, the absolute lifetime, sign out everywhere."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD


@pytest.fixture
def lifetimes(settings) -> None:
    settings.AMANE_SESSION_IDLE_MINUTES = 30
    settings.AMANE_SESSION_IDLE_BY_ROLE = "administrator=15,dispatcher=720,patrol=720"
    settings.AMANE_SESSION_MAX_HOURS = 12


def sign_in(client, username):
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302


def test_a_session_expires_when_idle(client, org, clock, lifetimes):
    """GIVEN a desk officer signed in WHEN 29 minutes pass THEN the page opens (and the clock
    restarts); WHEN 31 minutes pass without a request THEN they are signed out and sent to the login
    page with a message saying why."""
    sign_in(client, "desk")
    clock.advance(minutes=29)
    assert client.get("/cases/").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/cases/").status_code == 200
    clock.advance(minutes=31)
    expired = client.get("/cases/queue/")
    assert expired.status_code == 302 and expired["Location"] == "/login/?next=/cases/queue/"
    page = client.get(expired["Location"])
    assert "30" in " ".join(str(m) for m in page.context["messages"])
    assert client.get("/cases/").status_code == 302


def test_an_administrator_idles_for_less_and_a_dispatcher_for_a_shift(client, org, clock, lifetimes):
    admin = user_create(actor=None, username="admin", password=PASSWORD, unit=org.central, roles=[Role.ADMINISTRATOR])
    dispatcher = user_create(
        actor=None, username="dispatch", password=PASSWORD, unit=org.wilaya, roles=[Role.DISPATCHER]
    )
    desk = type(client)()
    for c, user in ((client, admin), (desk, org.desk)):
        sign_in(c, user.username)
    board = type(client)()
    sign_in(board, dispatcher.username)
    clock.advance(minutes=16)
    assert client.get("/org/keys/").status_code == 302  # the administrator: 15 minutes
    assert desk.get("/cases/").status_code == 200  # the desk officer: 30
    clock.advance(hours=5)
    assert board.get("/cases/").status_code == 200  # the dispatcher's board: a shift


def test_a_session_ends_at_the_absolute_limit_however_active(client, org, clock, lifetimes):
    sign_in(client, "investigator")
    for _ in range(35):  # a request every 20 minutes for 11 h 40
        clock.advance(minutes=20)
        assert client.get("/cases/").status_code == 200
    clock.advance(minutes=20)
    assert client.get("/cases/")["Location"].startswith("/login/")
    page = client.get("/login/")
    assert "12" in " ".join(str(m) for m in page.context["messages"])


def test_the_api_answers_401_for_an_expired_session(client, org, clock, lifetimes):
    sign_in(client, "desk")
    assert client.get("/api/cases").status_code == 200
    clock.advance(minutes=45)
    answer = client.get("/api/cases")
    assert answer.status_code == 401 and answer.json()["code"] == "session_expired"


def test_sign_out_everywhere_ends_the_other_sessions(client, org):
    """GIVEN a chief signed in on two machines WHEN they sign out everywhere on one THEN the other's
    next request is signed out too, and the act is in the audit chain."""
    other = type(client)()
    sign_in(client, "chief")
    sign_in(other, "chief")
    assert other.get("/cases/").status_code == 200
    assert client.get("/account/").status_code == 200
    answer = client.post("/account/sign-out-everywhere/")
    assert answer["Location"] == "/login/"
    assert other.get("/cases/")["Location"].startswith("/login/")
    assert client.get("/cases/")["Location"].startswith("/login/")
    assert AuditRecord.objects.filter(action="user.sign_out_everywhere", object_id=str(org.chief.pk)).exists()
    sign_in(other, "chief")  # signing in again works
    assert other.get("/cases/").status_code == 200
