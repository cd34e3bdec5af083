"""The second factor: required for unit chiefs, inspectors, oversight liaisons and administrators,
set up with a QR code and a first code, recovery codes used once, the API refusing a session that
has not passed it, an administrator's reset, and production refusing to run without it."""

from __future__ import annotations

import base64
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from audit.models import AuditRecord
from org.checks import check_second_factor_in_production
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD, enrol, totp_code, user_key

pytestmark = pytest.mark.usefixtures("second_factor")


def login(client, user, address="10.2.0.1"):
    return client.post("/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address)


def staff(org, username, role):
    return user_create(actor=None, username=username, password=PASSWORD, unit=org.central, roles=[role])


@pytest.mark.parametrize("who", ["chief", "inspector", "oversight", "administrator"])
def test_the_named_roles_must_pass_the_second_factor(client, org, who):
    """GIVEN a user of a role that requires it WHEN they give the right password THEN they are sent
    to the code page (the set-up, the first time) and no staff page opens before."""
    user = {
        "chief": org.chief,
        "inspector": org.inspector,
        "oversight": staff(org, "liaison", Role.OVERSIGHT),
        "administrator": staff(org, "admin", Role.ADMINISTRATOR),
    }[who]
    answer = login(client, user)
    assert answer.status_code == 302 and answer["Location"].startswith("/login/verify/")
    assert client.get("/cases/")["Location"].startswith("/login/verify/?next=%2Fcases%2F")
    assert client.get("/api/cases").json()["code"] == "second_factor_required"
    assert client.get("/login/verify/")["Location"].startswith("/account/2fa/enrol/")
    assert client.get("/account/2fa/enrol/").status_code == 200


def test_a_desk_officer_signs_in_in_one_step(client, org):
    answer = login(client, org.desk)
    assert answer.status_code == 302 and answer["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert client.get("/api/cases").status_code == 200


def test_enrolment_shows_the_secret_then_the_recovery_codes_once(client, org):
    """GIVEN a chief signing in for the first time WHEN they scan the QR code and type the first code
    THEN the authenticator is confirmed, ten recovery codes are shown once, and the pages open."""
    login(client, org.chief)
    page = client.get("/account/2fa/enrol/?next=/cases/queue/")
    uri = page.context["uri"]
    assert uri.startswith("otpauth://totp/Amane%3Achief?")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    assert page.context["secret"].replace(" ", "") == secret
    qr = page.context["qr"]
    assert qr.startswith("data:image/png;base64,") and qr in page.content.decode()
    image = Image.open(io.BytesIO(base64.b64decode(qr.split(",", 1)[1])))
    assert image.width == image.height >= 150
    device = TOTPDevice.objects.get(user=org.chief, confirmed=False)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret

    wrong = client.post("/account/2fa/enrol/", {"code": "000000", "next": "/cases/queue/"})
    assert wrong.status_code == 422 and not TOTPDevice.objects.filter(confirmed=True).exists()
    done = client.post("/account/2fa/enrol/", {"code": totp_code(device), "next": "/cases/queue/"})
    assert done["Location"].startswith("/account/2fa/recovery-codes/")
    codes = client.get(done["Location"]).context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/account/2fa/recovery-codes/")["Location"] == "/account/"  # shown once
    assert client.get("/cases/queue/").status_code == 200
    assert AuditRecord.objects.filter(action="user.second_factor_enrol", object_id=str(org.chief.pk)).exists()


def test_a_code_of_the_app_opens_the_session(client, org, clock):
    device, _codes = enrol(org.chief)
    login(client, org.chief)
    assert client.post("/login/verify/", {"code": "123456"}).status_code == 422
    clock.advance(seconds=2)  # a wrong code makes the next one wait a second
    answer = client.post("/login/verify/", {"code": totp_code(device, steps_ahead=1), "next": "/cases/queue/"})
    assert answer["Location"] == "/cases/queue/"
    assert client.get("/cases/queue/").status_code == 200


def test_a_recovery_code_works_once(client, org):
    _device, codes = enrol(org.inspector)
    code = f"{codes[3][:4]}-{codes[3][4:]}".upper()  # as printed, typed in capitals
    login(client, org.inspector)
    assert client.post("/login/verify/", {"code": code})["Location"] == "/cases/"
    assert StaticToken.objects.filter(device__user=org.inspector).count() == 9
    assert AuditRecord.objects.filter(action="user.recovery_code_used", object_id=str(org.inspector.pk)).exists()
    client.logout()
    login(client, org.inspector)
    assert client.post("/login/verify/", {"code": code}).status_code == 422
    assert client.get("/cases/")["Location"].startswith("/login/verify/")


def test_wrong_codes_make_the_next_one_wait(client, org):
    device, _codes = enrol(org.chief)
    login(client, org.chief)
    client.post("/login/verify/", {"code": "111111"})
    client.post("/login/verify/", {"code": "222222"})
    waiting = client.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert waiting.status_code == 429
    assert client.get("/cases/")["Location"].startswith("/login/verify/")


def test_the_api_refuses_a_session_that_has_not_passed_the_second_factor(client, org):
    """GIVEN a chief past the password step only THEN the API answers 403 in its error shape; after
    the code it answers; an API key of the same chief needs no second factor."""
    device, _codes = enrol(org.chief)
    login(client, org.chief)
    refused = client.get("/api/cases")
    assert refused.status_code == 403
    assert refused.json()["code"] == "second_factor_required" and refused.json()["message"]
    client.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert client.get("/api/cases").status_code == 200
    key = user_key(org.chief)
    assert client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_desk_officer_who_set_up_an_app_must_use_it(client, org):
    enrol(org.desk)
    answer = login(client, org.desk)
    assert answer["Location"].startswith("/login/verify/")


def test_an_administrator_resets_a_lost_second_factor(client, org):
    """GIVEN a chief who lost their phone WHEN an administrator resets their second factor THEN their
    devices are gone, their open session ends, and they set up a new one at their next sign-in."""
    device, _codes = enrol(org.chief)
    chief_client = type(client)()
    login(chief_client, org.chief)
    chief_client.post("/login/verify/", {"code": totp_code(device, steps_ahead=1)})
    assert chief_client.get("/cases/").status_code == 200

    admin = staff(org, "admin", Role.ADMINISTRATOR)
    admin_device, _ = enrol(admin)
    login(client, admin)
    client.post("/login/verify/", {"code": totp_code(admin_device, steps_ahead=1)})
    page = client.get(f"/org/users/{org.chief.pk}/2fa/reset")
    assert page.status_code == 200 and page.context["has_authenticator"] and page.context["codes_left"] == 10
    client.post(f"/org/users/{org.chief.pk}/2fa/reset")

    assert not TOTPDevice.objects.filter(user=org.chief).exists()
    assert chief_client.get("/cases/")["Location"].startswith("/login/")
    assert AuditRecord.objects.filter(action="user.second_factor_reset", actor_id=admin.pk).exists()
    login(chief_client, org.chief)
    assert chief_client.get("/login/verify/")["Location"].startswith("/account/2fa/enrol/")


def test_only_an_administrator_resets(client, org):
    client.force_login(org.desk)
    assert client.get(f"/org/users/{org.chief.pk}/2fa/reset").status_code == 403
    assert client.post(f"/org/users/{org.chief.pk}/2fa/reset").status_code == 403


def test_the_reset_command(org):
    enrol(org.inspector)
    call_command("otp_reset", "inspector", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=org.inspector).exists()
    assert not StaticToken.objects.filter(device__user=org.inspector).exists()
    assert AuditRecord.objects.filter(action="user.second_factor_reset", object_id=str(org.inspector.pk)).exists()


def test_production_refuses_to_run_without_the_second_factor(settings, monkeypatch):
    monkeypatch.setenv("AMANE_ENV", "production")
    assert check_second_factor_in_production(None) == []
    settings.AMANE_REQUIRE_2FA = False
    assert [e.id for e in check_second_factor_in_production(None)] == ["amane.E101"]
    monkeypatch.setenv("AMANE_ENV", "development")
    assert check_second_factor_in_production(None) == []
