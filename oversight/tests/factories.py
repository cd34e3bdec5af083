"""Builders of the oversight tests: liaisons and grievances, through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from oversight.services import GrievanceInput, grievance_register


def liaisons(org) -> tuple[Any, Any, Any]:
    """Two liaisons of the central directorate and their head (a liaison who is a unit chief)."""
    a = user_create(
        actor=None,
        username="liaison.a",
        password=PASSWORD,
        unit=org.central,
        roles=[Role.OVERSIGHT],
        first_name="Salma",
        last_name="Liaison",
    )
    b = user_create(actor=None, username="liaison.b", password=PASSWORD, unit=org.central, roles=[Role.OVERSIGHT])
    head = user_create(
        actor=None,
        username="liaison.head",
        password=PASSWORD,
        unit=org.central,
        roles=[Role.OVERSIGHT, Role.UNIT_CHIEF],
    )
    return a, b, head


def make_grievance(actor, *, body="ombudsman", ref="MR/2026/0412", received: datetime | None = None, **kw: Any):
    return grievance_register(
        actor=actor,
        data=GrievanceInput(
            body=body,
            body_reference=ref,
            received_at=received or timezone.now(),
            subject=kw.pop("subject", "تأخر في معالجة شكاية سرقة"),
            citizen_name=kw.pop("citizen_name", "فاطمة الزهراء المختلقة"),
            **kw,
        ),
    )
