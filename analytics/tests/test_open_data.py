"""Open data: monthly counts by category and province, small cells suppressed, nothing protected."""

import csv
import io
from datetime import UTC, datetime
from unittest import mock

import pytest

from analytics import rollups
from cases.services import ComplainantInput

NAME = "هشام المختلق"
FEB = datetime(2026, 2, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def february(org, make_case):
    """In February 2026 at the own district (area Rabat-Hassan): six thefts, two nuisances (a small
    cell), three domestic-violence complaints (protected) and one against an officer."""
    who = ComplainantInput(full_name=NAME, cnie="QA445566", phone="0600112233")
    with mock.patch("django.utils.timezone.now", return_value=FEB):
        for category, n in (("theft", 6), ("nuisance", 2), ("domestic_violence", 3), ("officer_misconduct", 1)):
            for _ in range(n):
                make_case(category=category, complainant=who)
        rollups.refresh()
    return org


def test_monthly_json_suppresses_small_cells_and_hides_protected(client, february):
    answer = client.get("/open-data/monthly.json?from=2026-02&to=2026-02")
    assert answer.status_code == 200
    data = answer.json()
    assert data["months"] == ["2026-02"] and data["small_cell"] == 5
    assert [f["field"] for f in data["schema"]][:2] == ["month", "province_code"]
    rows = {r["category"]: r for r in data["rows"]}
    assert set(rows) == {"theft", "nuisance"}  # no protected category, no complaint against an officer
    assert rows["theft"]["received"] == 6 and rows["theft"]["province_code"] == february.area.code
    assert rows["theft"]["closed"] == 0 and rows["theft"]["suppressed"] is False
    assert rows["nuisance"]["received"] is None and rows["nuisance"]["suppressed"] is True
    assert NAME not in answer.content.decode()


def test_monthly_csv_has_the_documented_columns(client, february):
    answer = client.get("/open-data/monthly.csv?from=2026-02&to=2026-02")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    theft = next(r for r in rows if r["category"] == "theft")
    assert theft["received"] == "6" and theft["province_ar"] == february.area.name_ar
    nuisance = next(r for r in rows if r["category"] == "nuisance")
    assert nuisance["received"] == "" and nuisance["suppressed"] == "True"


def test_open_data_page_and_bad_input(client, february):
    page = client.get("/open-data/")
    assert page.status_code == 200 and "province_code" in page.content.decode()
    bad = client.get("/open-data/monthly.json?from=2026-13")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    assert client.get("/open-data/monthly.xml").status_code == 404
    assert client.get("/open-data/monthly.json?from=2026").status_code == 422
