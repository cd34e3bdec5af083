from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from org.models import ApiToken


def test_token_command_prints_a_working_token_stored_hashed(org):
    out = StringIO()
    call_command("create_api_token", "investigator", name="tests", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("amn_")
    assert not ApiToken.objects.filter(key_hash=raw).exists()  # never stored in clear
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/cases").status_code == 200
    ApiToken.objects.update(revoked=True)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/cases").status_code == 401


def test_token_command_unknown_user(org):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
