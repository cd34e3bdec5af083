"""Builders of complaints for tests, through the intake service (never by inserting rows)."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from cases.models import Case, Category, Offence, ProsecutorOffice
from cases.services import ComplainantInput, IntakeInput, complaint_register
from org.models import User

# The own district of the test organisation (org.tests.factories), in Rabat.
RABAT_DISTRICT = (34.0236, -6.8341)


def ensure_categories() -> None:
    """Reload the category and offence reference lists (data migrations) if a transactional test
    flushed them."""
    if not Category.objects.exists():
        for migration in ("0003_categories", "0005_public_space_categories"):
            importlib.import_module(f"cases.migrations.{migration}").load(apps, None)
    if not ProsecutorOffice.objects.exists():
        importlib.import_module("cases.migrations.0007_prosecutor_offices_referrals_instructions").load_offices(
            apps, None
        )
    if not Offence.objects.exists():
        importlib.import_module("cases.migrations.0007_offences_and_closing_report").load(apps, None)


def intake(category: str = "theft", **kw: Any) -> IntakeInput:
    """An intake at the own district: theft with a named complainant unless told otherwise."""
    return IntakeInput(
        channel=kw.pop("channel", "counter"),
        category=Category.objects.get(code=category),
        description=kw.pop("description", "سرقة هاتف محمول قرب محطة القطار"),
        complainant=kw.pop(
            "complainant", ComplainantInput(full_name="Fictif Test", cnie="AB123456", phone="0612345678")
        ),
        latitude=kw.pop("latitude", RABAT_DISTRICT[0]),
        longitude=kw.pop("longitude", RABAT_DISTRICT[1]),
        address=kw.pop("address", "شارع محمد الخامس، الرباط"),
        **kw,
    )


def make_complaint(actor: User, category: str = "theft", **kw: Any) -> Case:
    """Register a complaint through the intake service (see `intake` for the defaults)."""
    return complaint_register(actor=actor, data=intake(category, **kw))


# What an investigator writes when closing (the workflow requires a report).
CLOSING_REPORT = "تم الاستماع إلى الأطراف وإنجاز المعاينة، وأشعرت النيابة العامة بالنتيجة."


def qualification(code: str = "theft") -> Offence:
    """An offence of the reference list, to qualify a complaint with."""
    return Offence.objects.get(code=code)


def required_fields(transition: str) -> dict:
    """What a test that is not about the records gives a transition that requires it: the legal
    qualification to qualify, the closing report to close."""
    if transition == "qualify":
        return {"offence": qualification()}
    if transition == "close":
        return {"report": CLOSING_REPORT}
    return {}
