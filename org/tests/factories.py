"""Builders of the organisation for tests: a small real tree of units and users, made through the
services, and API keys for users and partners.

central (DGSN, Rabat)
├── inspectorate (IGSN)
└── wilaya Rabat (RBT)
    └── area Rabat-Hassan (RBT-AH)
        ├── district Hassan (RBT-D1)      ← "own" unit
        └── district Agdal (RBT-D2)       ← sibling
wilaya Casablanca (CAS) under central
    └── area Anfa → district Maarif (CAS-D1)
"""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.choices import KeyScope, Role, UnitKind
from org.models import Partner, User
from org.services import api_key_create, partner_create, unit_create, user_create
from org.services.second_factor import authenticator_confirm, authenticator_start

PASSWORD = "test-pass-1234"


class Org:
    """Handles on the units and users of the test organisation."""


def build_org() -> Org:
    """The tree above, with one user per role that the access tests need."""
    o = Org()
    o.central = unit_create(
        actor=None,
        parent=None,
        kind=UnitKind.CENTRAL,
        code="DGSN",
        name_ar="المديرية العامة للأمن الوطني",
        name_fr="DGSN",
        city="Rabat",
        latitude=34.0084,
        longitude=-6.8539,
    )
    o.igsn = unit_create(
        actor=None,
        parent=o.central,
        kind=UnitKind.INSPECTORATE,
        code="IGSN",
        name_ar="المفتشية العامة",
        name_fr="Inspection générale",
        city="Rabat",
        latitude=34.0100,
        longitude=-6.8400,
    )
    o.wilaya = unit_create(
        actor=None,
        parent=o.central,
        kind=UnitKind.WILAYA,
        code="RBT",
        name_ar="ولاية أمن الرباط",
        name_fr="Wilaya de sûreté de Rabat",
        city="Rabat",
        latitude=34.0209,
        longitude=-6.8416,
    )
    o.area = unit_create(
        actor=None,
        parent=o.wilaya,
        kind=UnitKind.AREA,
        code="RBT-AH",
        name_ar="منطقة أمن حسان",
        name_fr="Sûreté de Hassan",
        city="Rabat",
        latitude=34.0200,
        longitude=-6.8300,
    )
    o.district = unit_create(
        actor=None,
        parent=o.area,
        kind=UnitKind.DISTRICT,
        code="RBT-D1",
        name_ar="الدائرة الأولى حسان",
        name_fr="1er arrondissement Hassan",
        city="Rabat",
        latitude=34.0235,
        longitude=-6.8340,
    )
    o.sibling = unit_create(
        actor=None,
        parent=o.area,
        kind=UnitKind.DISTRICT,
        code="RBT-D2",
        name_ar="دائرة أكدال",
        name_fr="Arrondissement Agdal",
        city="Rabat",
        latitude=33.9960,
        longitude=-6.8500,
    )
    o.wilaya2 = unit_create(
        actor=None,
        parent=o.central,
        kind=UnitKind.WILAYA,
        code="CAS",
        name_ar="ولاية أمن الدار البيضاء",
        name_fr="Wilaya de sûreté de Casablanca",
        city="Casablanca",
        latitude=33.5731,
        longitude=-7.5898,
    )
    o.area2 = unit_create(
        actor=None,
        parent=o.wilaya2,
        kind=UnitKind.AREA,
        code="CAS-AN",
        name_ar="منطقة أمن أنفا",
        name_fr="Sûreté d'Anfa",
        city="Casablanca",
        latitude=33.5890,
        longitude=-7.6320,
    )
    o.district2 = unit_create(
        actor=None,
        parent=o.area2,
        kind=UnitKind.DISTRICT,
        code="CAS-D1",
        name_ar="دائرة المعاريف",
        name_fr="Arrondissement Maârif",
        city="Casablanca",
        latitude=33.5830,
        longitude=-7.6330,
    )

    def user(name, unit, *roles):
        return user_create(
            actor=None,
            username=name,
            password=PASSWORD,
            unit=unit,
            roles=list(roles),
            first_name=name.title(),
            last_name="Test",
        )

    o.desk = user("desk", o.district, Role.FRONT_DESK)
    o.investigator = user("investigator", o.district, Role.INVESTIGATOR)
    o.chief = user("chief", o.district, Role.UNIT_CHIEF)
    o.sibling_officer = user("sibling", o.sibling, Role.INVESTIGATOR, Role.FRONT_DESK)
    o.sibling_chief = user("siblingchief", o.sibling, Role.UNIT_CHIEF)
    o.area_chief = user("areachief", o.area, Role.UNIT_CHIEF)
    o.wilaya_chief = user("wilayachief", o.wilaya, Role.UNIT_CHIEF)
    o.inspector = user("inspector", o.igsn, Role.INSPECTOR)
    o.casa_officer = user("casa", o.district2, Role.INVESTIGATOR, Role.FRONT_DESK, Role.UNIT_CHIEF)
    o.norole = user("norole", o.district)
    return o


def user_key(user: User, name: str = "tests") -> str:
    """A clear API key (scope "api") acting as `user`."""
    return api_key_create(actor=None, name=name, scopes=[KeyScope.API], user=user)[1]


def partner_key(name: str, scope: str) -> tuple[Partner, str]:
    """A partner (created if new) and a clear key of the given scope."""
    partner = Partner.objects.filter(name=name).first() or partner_create(actor=None, name=name)
    return partner, api_key_create(actor=None, name=scope, scopes=[scope], partner=partner)[1]


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or `steps_ahead` time steps later: a code
    already accepted in this step is not accepted twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator for `user` through the services; returns it and the recovery codes."""
    device = authenticator_start(user=user)
    return authenticator_confirm(user=user, code=totp_code(device))
