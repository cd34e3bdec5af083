"""Routing at intake and duplicate suggestions."""

from cases.models import CaseLink, Category
from cases.routing import route_propose
from cases.services import ComplainantInput, IntakeInput, complaint_register, intake_suggestions
from org.services import unit_create


def test_nearest_district_when_no_area_is_configured(org):
    theft = Category.objects.get(code="theft")
    # Near Agdal (the sibling district) → Agdal; near Maârif in Casablanca → Maârif.
    assert route_propose(category=theft, latitude=33.9975, longitude=-6.8510) == org.sibling
    assert route_propose(category=theft, latitude=33.5850, longitude=-7.6350) == org.district2
    assert route_propose(category=theft, latitude=None, longitude=None) is None


def test_configured_area_wins_over_distance(org):
    theft = Category.objects.get(code="theft")
    # A district whose polygon covers a square around Hassan, its station far away in Témara.
    square = [[-6.845, 34.015], [-6.825, 34.015], [-6.825, 34.030], [-6.845, 34.030], [-6.845, 34.015]]
    temara = unit_create(
        actor=None,
        parent=org.area,
        kind="district",
        code="RBT-D9",
        name_ar="دائرة تمارة",
        name_fr="Témara",
        city="Témara",
        latitude=33.9287,
        longitude=-6.9063,
        area_geojson={"type": "Polygon", "coordinates": [square]},
    )
    assert route_propose(category=theft, latitude=34.0236, longitude=-6.8341) == temara


def test_complaint_against_officer_goes_to_inspectorate(org, make_case):
    assert (
        route_propose(category=Category.objects.get(code="officer_misconduct"), latitude=None, longitude=None)
        == org.igsn
    )
    case = make_case(category="officer_misconduct")
    assert case.assigned_unit == org.igsn


def test_officer_override_is_recorded_with_reason(org, make_case):
    case = make_case(assigned_unit=org.sibling, routing_reason="Le plaignant réside à Agdal")
    assert case.assigned_unit == org.sibling and case.proposed_unit == org.district
    created = case.events.get(kind="created")
    assert created.data["override_reason"] == "Le plaignant réside à Agdal"


def test_same_person_is_suggested_by_keyed_hash(org, make_case):
    earlier = make_case(complainant=ComplainantInput(full_name="Fictif Un", cnie="BE778899", phone="0661000000"))
    make_case(complainant=ComplainantInput(full_name="Autre", cnie="BK111111"), latitude=34.0400, longitude=-6.8000)
    rows = intake_suggestions(actor=org.investigator, cnie="be 778899")
    assert [r["reference"] for r in rows] == [earlier.reference]
    rows = intake_suggestions(actor=org.investigator, phone="+212661000000")
    assert [r["reference"] for r in rows] == [earlier.reference]
    assert intake_suggestions(actor=org.investigator, cnie="BE77") == []  # partial input suggests nothing


def test_similar_complaints_nearby_in_recent_days(org, make_case):
    near = make_case(latitude=34.0240, longitude=-6.8345)
    make_case(latitude=34.0600, longitude=-6.7700)  # ~6 km away
    rows = intake_suggestions(actor=org.investigator, latitude=34.0238, longitude=-6.8343, category="theft")
    assert [r["reference"] for r in rows] == [near.reference]
    assert rows[0]["distance_m"] < 100


def test_suggestions_never_cross_jurisdiction(org, make_case):
    make_case(complainant=ComplainantInput(full_name="Fictif", cnie="BE778899"))
    assert intake_suggestions(actor=org.sibling_officer, cnie="BE778899", latitude=34.0236, longitude=-6.8341) == []


def test_link_chosen_at_intake(org, make_case):
    earlier = make_case()
    data = IntakeInput(
        channel="counter",
        category=Category.objects.get(code="theft"),
        description="même voleur",
        complainant=ComplainantInput(anonymous=True),
        link_to=[earlier],
    )
    case = complaint_register(actor=org.desk, data=data)
    assert CaseLink.objects.filter(from_case=case, to_case=earlier).exists()
    assert earlier.events.filter(kind="link").exists()
