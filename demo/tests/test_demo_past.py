"""The demo's past (issue 16): with the default `--history`, last year is complete — every national
default objective has its achieved value nationally and in a wilaya, the frozen reviews stored them,
the annual communiqué states every headline figure — and every quarter of this year so far has
complaints; the import is one audited act and the chain verifies."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.models_review import Review
from analytics.review.communique import national_unit, national_year
from analytics.review.figures import Achieved
from analytics.review.roadmap import quarter_bounds
from audit.models import AuditRecord
from audit.services import audit_verify
from cases.models import Case
from demo.loaders.review import DEFAULTS
from media.models import Communique
from org.choices import UnitKind
from org.models import Unit

# May be 0 where no old complaint is left open; every other figure must be positive.
MAY_BE_ZERO = {"backlog_over_90_share"}


def assert_filled(unit: Unit, year: int) -> None:
    achieved = Achieved(unit, year)
    assert achieved.value("received") > 0, unit.code
    for metric, _comparator, _target in DEFAULTS:
        value = achieved.value(metric)
        assert value is not None, (unit.code, metric)
        assert value > 0 or metric in MAY_BE_ZERO, (unit.code, metric, value)


@pytest.mark.django_db
def test_last_year_complete_and_this_year_in_progress():
    call_command("load_demo", cases=40, no_line19=True, verbosity=0)  # the default history
    today = timezone.localdate()
    last = today.year - 1
    rabat = Unit.objects.get(code="RBT", kind=UnitKind.WILAYA)
    for unit in (national_unit(), rabat, Unit.objects.get(code="AGA", kind=UnitKind.WILAYA)):
        assert_filled(unit, last)

    # The frozen review stored the year's figures, not blanks.
    review = Review.objects.get(unit=rabat, year=last, state="frozen")
    rows = {r["metric"]: r["value"] for r in review.figures["rows"] if r["kind"] == "target"}
    assert set(rows) == {metric for metric, _c, _t in DEFAULTS}
    assert all(v is not None and (v > 0 or m in MAY_BE_ZERO) for m, v in rows.items()), rows

    # The communiqué's headline figures.
    figures = national_year(last)
    assert figures.received > 0 and figures.grievances > 0 and figures.arrests > 0
    assert figures.within_deadline and figures.response_median and figures.satisfied and figures.mean_rating
    assert {"psychotropic_tablets", "cannabis_resin"} <= set(figures.seizures)
    annual = Communique.objects.get(state="published", kind="annual")
    assert "délai médian" in annual.body_fr and "satisfaction des usagers" in annual.body_fr

    # This year: complaints in every quarter begun.
    for q in range(1, (today.month - 1) // 3 + 2):
        start, end = quarter_bounds(today.year, q)
        assert Case.objects.filter(created_at__date__gte=start, created_at__date__lt=end).exists(), q
    assert Case.objects.filter(created_at__date__lt=date(last, 2, 1)).exists()  # from January of last year

    # One audited import; the chain verifies.
    assert AuditRecord.objects.filter(action="history.import").count() == 1
    assert audit_verify().problems == []
