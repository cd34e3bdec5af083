from cases.choices import State


def test_register_routes_to_nearest_district(org, make_case):
    case = make_case()
    assert case.state == State.RECEIVED
    assert case.assigned_unit == org.district
    assert case.reference.startswith("RBT-")
