"""The demo's black-spot map is not empty: the demo complaints have places in every wilaya."""

import pytest
from django.core.management import call_command

from analytics import blackspots, patrol_plan
from org.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_chiefs_see_black_spots_and_a_plan(db):
    call_command("load_demo", cases=150, history=0, no_line19=True, verbosity=0)
    for username in ("chief.wilaya.rabat", "chief.rabat", "analyst"):
        user = User.objects.get(username=username)
        result = blackspots.spot_map(user, period="month", resolution=9)
        assert result.current_total > 0 and result.cells, username
    chief = User.objects.get(username="chief.wilaya.rabat")
    units = patrol_plan.plan_units(chief)
    assert units and all(u.path.startswith(chief.unit.path) for u in units)
