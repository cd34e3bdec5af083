"""Pinned query counts of the indicator pages (a unit's dashboard, the records behind a figure) and
the open data, as cases/tests/test_query_counts.py pins the complaints' pages: each is measured with
2 and with 12 complaints and must run the same pinned number of queries, so a query per row fails
here.

When a change adds a query on purpose, raise the pin in the same commit and say why."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import rollups
from cases.services import deadlines_sweep

# route -> queries (the dashboards: one or two per figure over the rollups, never the complaints)
PINS = {
    "home": 35,
    "unit": 36,
    "records_overdue": 8,
    "records_open": 8,
    "open_data": 1,
    "open_data_monthly": 1,
}


def test_dashboards_records_and_open_data(org, make_case):
    chief = Client()
    chief.force_login(org.area_chief)
    public = Client()
    district = org.district.pk
    month = timezone.localdate().strftime("%Y-%m")
    pages = {
        "home": (chief, "/analytics/"),
        "unit": (chief, f"/analytics/units/{district}/"),
        "records_overdue": (chief, f"/analytics/units/{district}/records/overdue/"),
        "records_open": (chief, f"/analytics/units/{district}/records/open/"),
        "open_data": (public, "/open-data/"),
        "open_data_monthly": (public, f"/open-data/monthly.json?from={month}&to={month}"),
    }

    def add(n: int) -> None:
        for i in range(n):
            make_case(category=["theft", "fraud", "nuisance"][i % 3])
        deadlines_sweep(now=timezone.now() + timedelta(days=2))  # they miss their first action
        rollups.refresh()

    def counts() -> dict[str, int]:
        out = {}
        for name, (client, url) in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, (name, response.content[:300])
            out[name] = len(ctx.captured_queries)
        return out

    add(2)
    counts()  # what the process keeps is read once, before
    few = counts()
    add(10)
    many = counts()
    assert (few, many) == (PINS, PINS)
    listed = chief.get(f"/analytics/units/{district}/records/overdue/")
    assert listed.content.decode().count("/cases/") >= 12


def test_dashboard_sums_are_computed_by_the_database(org, make_case):
    """Seen at 10 million complaints: the national dashboard read every (unit, day, category) row of
    its periods (values() without fields groups by every column) and the trend chart every row of
    twelve months, then summed them in Python, 1.5 s a page. Each figure's sums now come back as one
    row, the trend as one row per day."""
    for _ in range(3):
        make_case()
    rollups.rebuild()
    chief = Client()
    chief.force_login(org.area_chief)
    with CaptureQueriesContext(connection) as queries:
        assert chief.get("/analytics/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if '"analytics_complaintday"' in q["sql"]]
    assert reads
    for sql in reads:
        listed = sql.split(" FROM ")[0]
        assert '"analytics_complaintday"."id"' not in listed, sql
        assert "SUM(" in listed, sql
