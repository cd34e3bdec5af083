"""Issue 11, routing: typed addresses are placed offline, a complaint that cannot be placed goes to a
routing desk whose staff can act, and no open complaint ever sits where nobody can act on it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cases.models import Case, Category
from cases.routing import route_propose
from cases.selectors import may
from cases.services import ComplainantInput, IntakeInput, TransitionInput, case_transition, complaint_register
from cases.workflow import OPEN_STATES, WORKERS
from open311.services import RequestInput, request_submit
from org import access
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.services import unit_create, user_create
from org.tests.factories import PASSWORD, partner_key
from portal.services import FilingInput, online_complaint_file


@dataclass
class Desks:
    national: Unit
    rabat: Unit
    casablanca: Unit
    national_chief: User
    rabat_chief: User
    casablanca_chief: User
    dispatcher: User
    duty: User
    oversight: User


def _desk(parent: Unit, code: str, city: str, lat: float, lon: float) -> tuple[Unit, User]:
    unit = unit_create(
        actor=None,
        parent=parent,
        kind=UnitKind.ROUTING_DESK,
        code=code,
        name_ar="خلية التوجيه",
        name_fr="Cellule d'orientation",
        city=city,
        latitude=lat,
        longitude=lon,
    )
    chief = user_create(
        actor=None, username=f"routing.{code.lower()}", password=PASSWORD, unit=unit, roles=[Role.UNIT_CHIEF]
    )
    return unit, chief


@pytest.fixture
def desks(org) -> Desks:
    national, national_chief = _desk(org.central, "DGSN-ORI", "Rabat", 34.0084, -6.8539)
    rabat, rabat_chief = _desk(org.wilaya, "RBT-ORI", "Rabat", 34.0209, -6.8416)
    casablanca, casablanca_chief = _desk(org.wilaya2, "CAS-ORI", "Casablanca", 33.5731, -7.5898)

    def unit(parent, kind, code):
        return unit_create(actor=None, parent=parent, kind=kind, code=code, name_ar=code, name_fr=code, city="Rabat")

    room = unit(org.wilaya, UnitKind.COMMAND_ROOM, "RBT-CMD")
    duty_unit = unit(org.wilaya, UnitKind.DUTY, "RBT-PERM")

    def user(name, unit, *roles):
        return user_create(actor=None, username=name, password=PASSWORD, unit=unit, roles=list(roles))

    return Desks(
        national=national,
        rabat=rabat,
        casablanca=casablanca,
        national_chief=national_chief,
        rabat_chief=rabat_chief,
        casablanca_chief=casablanca_chief,
        dispatcher=user("dispatch.rbt", room, Role.DISPATCHER),
        duty=user("duty.rbt", duty_unit, Role.FRONT_DESK),
        oversight=user("oversight.dgsn", org.central, Role.OVERSIGHT),
    )


def _online(address: str = "", city: str = "", lat: float | None = None, lon: float | None = None) -> Case:
    return online_complaint_file(
        citizen=None,
        data=FilingInput(
            category=Category.objects.get(code="theft"),
            description="سرقة دراجة نارية أمام المنزل",
            address=address,
            city=city,
            latitude=lat,
            longitude=lon,
        ),
    )


def test_typed_casablanca_neighbourhood_lands_at_its_district(org, desks):
    # Before: no pin, so no routing, and the portal's account sits at national headquarters.
    case = _online(address="زنقة 12، حي المعاريف، الدار البيضاء")
    assert case.assigned_unit == org.district2
    assert case.events.get(kind="created").data["geocoded"]["precision"] == "neighbourhood"
    # The placed point is not stored as if the citizen had put a pin there.
    assert case.latitude is None and case.longitude is None


def test_route_propose_geocodes_a_typed_address(org):
    theft = Category.objects.get(code="theft")
    assert route_propose(category=theft, latitude=None, longitude=None, address="Maârif, Casablanca") == org.district2
    assert route_propose(category=theft, latitude=None, longitude=None, address="Agdal, Rabat") == org.sibling


def test_city_picker_narrows_the_address(org, desks):
    # "Maârif" alone, with Casablanca picked in the city list.
    assert _online(address="Rue 7, Maârif", city="Casablanca").assigned_unit == org.district2


def test_city_only_goes_to_the_routing_desk_of_its_wilaya(org, desks):
    assert _online(address="الدار البيضاء").assigned_unit == desks.casablanca
    assert _online(address="Rue inconnue 5", city="Casablanca").assigned_unit == desks.casablanca
    assert _online(city="Rabat").assigned_unit == desks.rabat


def test_nothing_to_place_goes_to_the_national_routing_desk(org, desks):
    case = _online(address="قرب المقهى")
    assert case.assigned_unit == desks.national
    assert case.proposed_unit == desks.national


def test_a_pin_far_from_every_district_is_not_sent_to_the_nearest_one(org, desks):
    # Ouarzazate: the nearest district of the test organisation is hundreds of kilometres away, and
    # no wilaya of the organisation covers the region.
    case = _online(lat=30.9189, lon=-6.8934)
    assert case.assigned_unit == desks.national
    # A pin near Casablanca but outside every territory and far from its districts: its wilaya's desk.
    assert _online(lat=33.3000, lon=-7.5800).assigned_unit == desks.casablanca


def test_without_desks_the_wilaya_takes_it(org):
    # An organisation that has not set up desks yet: the wilaya itself, whose chief can act.
    assert _online(address="الدار البيضاء").assigned_unit == org.wilaya2


def test_the_desk_sends_it_on_to_the_competent_district(org, desks):
    case = _online(address="Casablanca")
    assert may(desks.casablanca_chief, access.OPEN, case)
    assert may(org.casa_officer, access.OPEN, case) is False
    case = case_transition(
        case=case,
        actor=desks.casablanca_chief,
        transition="transfer",
        data=TransitionInput(unit=org.district2, note="حي المعاريف حسب الاتصال بالمشتكي"),
    )
    assert case.assigned_unit == org.district2
    assert may(org.casa_officer, access.WORK, case)
    # And a district sends a misrouted complaint back to the desk.
    case = case_transition(
        case=case,
        actor=org.casa_officer,
        transition="transfer",
        data=TransitionInput(unit=desks.casablanca, note="خارج نفوذ الدائرة"),
    )
    assert case.assigned_unit == desks.casablanca


def _actors_who_can_act(case: Case) -> list[User]:
    """Staff who can both work the complaint and send it on (the workflow's roles, the access policy)."""
    return [
        u
        for u in User.objects.filter(is_active=True, unit__isnull=False)
        if u.has_role(*WORKERS) and may(u, access.WORK, case) and may(u, access.ASSIGN, case)
    ]


PLACES = {
    "pin": {"latitude": 33.5850, "longitude": -7.6330},
    "pin_far": {"latitude": 30.9189, "longitude": -6.8934},
    "neighbourhood": {"address": "حي أكدال، الرباط"},
    "city": {"address": "Casablanca"},
    "city_picked": {"address": "Rue 3", "city": "Fès"},
    "unplaceable": {"address": "قرب المسجد"},
    "nothing": {},
}


def test_no_open_complaint_sits_where_nobody_can_act(org, desks, partner_open311):
    actors = {
        "counter": org.desk,
        "duty": desks.duty,
        "line19": desks.dispatcher,
        "ombudsman": desks.oversight,
        "inpplc": desks.oversight,
        "cndh": desks.oversight,
        "press": org.wilaya_chief,
    }
    made: list[Case] = []
    for place in PLACES.values():
        for channel, actor in actors.items():
            made.append(
                complaint_register(
                    actor=actor,
                    data=IntakeInput(
                        channel=channel,
                        category=Category.objects.get(code="theft"),
                        description="وقائع",
                        complainant=ComplainantInput(full_name="Fictif Test"),
                        address=place.get("address", ""),
                        city=place.get("city", ""),
                        latitude=place.get("latitude"),
                        longitude=place.get("longitude"),
                    ),
                )
            )
        made.append(
            _online(place.get("address", ""), place.get("city", ""), place.get("latitude"), place.get("longitude"))
        )
        row = request_submit(
            partner=partner_open311,
            data=RequestInput(
                service_code="nuisance",
                lat=str(place.get("latitude", "")),
                long=str(place.get("longitude", "")),
                address_string=place.get("address", "") or place.get("city", "") or "-",
                description="ضجيج ليلي",
            ),
        )
        made.append(row.case)
    made.append(
        complaint_register(
            actor=org.desk,
            data=IntakeInput(
                channel="counter",
                category=Category.objects.get(code="officer_misconduct"),
                description="وقائع",
                complainant=ComplainantInput(full_name="Fictif Test"),
            ),
        )
    )
    stranded = [
        (c.channel, c.address, c.assigned_unit.code)
        for c in Case.objects.filter(state__in=OPEN_STATES)
        if not _actors_who_can_act(c)
    ]
    assert len(made) == len(PLACES) * (len(actors) + 2) + 1
    assert stranded == []


@pytest.fixture
def partner_open311(org):
    from org.choices import KeyScope

    partner, _raw = partner_key("Commune de Casablanca", KeyScope.OPEN311)
    return partner
