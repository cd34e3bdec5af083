"""Schemathesis against the staff API's OpenAPI description and Open311's: generated requests,
valid and not, must never meet a server error, and every answer must be one the description
documents (its status and its shape).

Bounded so that the run stays under two minutes: a fixed seed (the same requests every run) and
EXAMPLES generated requests per operation, on top of Schemathesis's example and coverage phases
(boundary values: empty and huge strings, NUL characters, out-of-range numbers, wrong types).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from org.choices import KeyScope, Role
from org.services import api_key_create, partner_create, user_create
from org.tests.factories import PASSWORD

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 25
SEED = 20261129
CONFIG = SchemathesisConfig.from_dict({"seed": SEED, "generation": {"max-examples": EXAMPLES}})
HYPOTHESIS = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)

APP = get_wsgi_application()
staff_api = schemathesis.openapi.from_wsgi("/api/openapi.json", APP, config=CONFIG)
open311_api = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", APP, config=CONFIG)


@pytest.fixture(autouse=True)
def _one_transaction(db, settings) -> Iterator[None]:
    """The real WSGI application, minus the closing of database connections at the end of each
    request (Django's test client does the same), which would end the test's transaction; the
    public rate limits are not what is tested here."""
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_OPEN311_RATE_ANONYMOUS = settings.AMANE_OPEN311_RATE_KEY = "1000000/60"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(org) -> dict[str, str]:
    """A key for a user who holds most staff roles, so that most operations get past the door."""
    user = user_create(
        actor=None,
        username="fuzz",
        password=PASSWORD,
        unit=org.district,
        roles=[Role.FRONT_DESK, Role.UNIT_CHIEF, Role.DISPATCHER, Role.ANALYST],
    )
    _key, raw = api_key_create(actor=None, name="fuzz", scopes=[KeyScope.API], user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def partner_key(org) -> dict[str, str]:
    partner = partner_create(actor=None, name="Commune fictive (fuzz)")
    _key, raw = api_key_create(actor=None, name="fuzz", scopes=[KeyScope.OPEN311], partner=partner)
    return {"api_key": raw}


@staff_api.parametrize()
@HYPOTHESIS
def test_the_staff_api_answers_every_generated_request_as_documented(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@open311_api.parametrize()
@HYPOTHESIS
def test_open311_answers_every_generated_request_as_documented(case, partner_key):
    case.call_and_validate(params=partner_key, checks=CHECKS)
