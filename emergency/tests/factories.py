"""Shared builders of the line-19 tests: command rooms, dispatchers, patrols on the roster.

Real places in Casablanca (Maârif, Anfa, Hay Mohammadi, Place Mohammed V) and Rabat. Everything is
built through the services. No test lives here.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from emergency import services
from emergency.data import load_call_categories
from emergency.models import CallCategory
from org.choices import Role, UnitKind
from org.services import unit_create, user_create
from org.tests.factories import PASSWORD, Org, build_org

PLACE_MOHAMMED_V = (33.5928, -7.6190)
MAARIF = (33.5845, -7.6345)
ANFA = (33.5935, -7.6400)
HAY_MOHAMMADI = (33.5950, -7.5630)
RABAT_HASSAN = (34.0190, -6.8350)
# The reason a test gives when it dispatches another patrol than the first suggestion on purpose.
BY_HAND = "اختيار يدوي للاختبار"


def ensure_call_categories() -> None:
    """Reload the line-19 reference list (a data migration) if a transactional test flushed it."""
    if not CallCategory.objects.exists():
        load_call_categories()


def _user(name, unit, *roles):
    return user_create(actor=None, username=name, password=PASSWORD, unit=unit, roles=list(roles))


def line19(o: Org | None = None) -> Org:
    """Add command rooms, dispatchers, patrol officers and a Hay Mohammadi district to the test org."""
    o = o or build_org()
    load_call_categories()
    o.rbt_room = unit_create(
        actor=None,
        parent=o.wilaya,
        kind=UnitKind.COMMAND_ROOM,
        code="RBT-CMD",
        name_ar="قاعة القيادة والتنسيق الرباط",
        name_fr="Salle de commandement Rabat",
        city="Rabat",
        latitude=34.0221,
        longitude=-6.8428,
    )
    o.cas_room = unit_create(
        actor=None,
        parent=o.wilaya2,
        kind=UnitKind.COMMAND_ROOM,
        code="CAS-CMD",
        name_ar="قاعة القيادة والتنسيق الدار البيضاء",
        name_fr="Salle de commandement Casablanca",
        city="Casablanca",
        latitude=33.5743,
        longitude=-7.5910,
    )
    o.area_hm = unit_create(
        actor=None,
        parent=o.wilaya2,
        kind=UnitKind.AREA,
        code="CAS-HM",
        name_ar="منطقة أمن الحي المحمدي عين السبع",
        name_fr="Sûreté Hay Mohammadi",
        city="Casablanca",
        latitude=33.5960,
        longitude=-7.5600,
    )
    o.district_hm = unit_create(
        actor=None,
        parent=o.area_hm,
        kind=UnitKind.DISTRICT,
        code="CAS-HM-D1",
        name_ar="دائرة الحي المحمدي",
        name_fr="Arrondissement Hay Mohammadi",
        city="Casablanca",
        latitude=HAY_MOHAMMADI[0],
        longitude=HAY_MOHAMMADI[1],
    )
    o.rbt_dispatcher = _user("dispatch.rbt", o.rbt_room, Role.DISPATCHER)
    o.cas_dispatcher = _user("dispatch.cas", o.cas_room, Role.DISPATCHER)
    o.rbt_patrol_officer = _user("patrol.rbt.1", o.rbt_room, Role.PATROL)
    o.cas_patrol_officer = _user("patrol.cas.1", o.cas_room, Role.PATROL)
    o.cas_patrol_officer2 = _user("patrol.cas.2", o.cas_room, Role.PATROL)
    return o


def patrol(
    o: Org, sign: str, place: tuple[float, float], *, room=None, kind: str = "car", on_duty: bool = True, officers=()
):
    """A patrol of the room's wilaya at `place`, on a shift from an hour ago to seven hours ahead."""
    room = room or o.cas_room
    p = services.patrol_create(
        actor=None, call_sign=sign, kind=kind, home_unit=room, latitude=place[0], longitude=place[1]
    )
    if on_duty:
        now = timezone.now()
        services.roster_assign(
            actor=None,
            patrol=p,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=7),
            officers=list(officers),
        )
        p = services.patrol_set_status(patrol=p, actor=None, status="available")
    return p


def call(
    o: Org,
    place: tuple[float, float],
    *,
    actor=None,
    category="violence_in_progress",
    answers=None,
    received_at=None,
    address="ساحة محمد الخامس، الدار البيضاء",
    **kw,
):
    return services.call_receive(
        actor=actor or o.cas_dispatcher,
        caller_number=kw.pop("caller_number", "0661234567"),
        language="ar",
        category=category,
        answers=answers or {},
        description=kw.pop("description", "شجار وضرب بالشارع"),
        address=address,
        latitude=place[0],
        longitude=place[1],
        received_at=received_at,
    )
