"""Fixtures of the media watch tests: the test organisation with communication officers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from media.tests.factories import media_org
from org.choices import Role, UnitKind
from org.services import unit_create, user_create
from org.tests.factories import PASSWORD


def _officer(name: str, unit, role: str = Role.COMMUNICATION):
    return user_create(
        actor=None, username=name, password=PASSWORD, unit=unit, roles=[role], first_name=name.title(), last_name="Test"
    )


def _cell(parent, code: str, city: str, lat: float, lon: float):
    return unit_create(
        actor=None,
        parent=parent,
        kind=UnitKind.COMMUNICATION,
        code=code,
        name_ar="خلية التواصل",
        name_fr="Cellule de communication",
        city=city,
        latitude=lat,
        longitude=lon,
    )


@pytest.fixture
def watch(org) -> SimpleNamespace:
    """Communication officers: the central cell (national), the Casablanca and Rabat wilayas' cells."""
    central = _cell(org.central, "DGSN-COM", "Rabat", 34.0090, -6.8530)
    casa = _cell(org.wilaya2, "CAS-COM", "Casablanca", 33.5740, -7.5890)
    rabat = _cell(org.wilaya, "RBT-COM", "Rabat", 34.0210, -6.8410)
    return SimpleNamespace(
        org=org,
        national=_officer("com.dgsn", central),
        casa=_officer("com.casa", casa),
        rabat=_officer("com.rabat", rabat),
    )


@pytest.fixture
def morg(org):
    return media_org(org)
