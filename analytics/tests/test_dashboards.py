"""Dashboards, the records behind a figure, exports and the monthly PDF, as each viewer may see them."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from analytics import rollups
from analytics.periods import current_month
from cases.services import ComplainantInput, case_assign, case_transition, deadlines_sweep
from cases.services import TransitionInput as Move
from cases.tests.factories import required_fields
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD

NAME, CNIE, PHONE = "سعاد المختلقة", "QQ112233", "0699001122"


@pytest.fixture
def world(org, make_case):
    """Two theft complaints at the own district (one overdue and escalated by the sweep), one
    protected complaint, one closed lost-documents complaint; rollups refreshed."""
    who = ComplainantInput(full_name=NAME, cnie=CNIE, phone=PHONE)
    late = make_case(complainant=who)
    for other in (make_case(complainant=who), make_case(category="domestic_violence", complainant=who)):
        other = case_transition(
            case=other, actor=org.chief, transition="qualify", data=Move(**required_fields("qualify"))
        )
        other = case_assign(case=other, actor=org.chief, officer=org.investigator)  # investigating needs an officer
        case_transition(case=other, actor=org.chief, transition="investigate")
    closed = make_case(category="lost_documents", complainant=who)
    case_transition(
        case=closed,
        actor=org.investigator,
        transition="close",
        data=Move(outcome="withdrawn", **required_fields("close")),
    )
    # `late` is left to miss its 24 h to first action.
    deadlines_sweep(now=timezone.now() + timedelta(days=2))
    rollups.refresh()
    org.analyst = user_create(actor=None, username="analyst", password=PASSWORD, unit=org.wilaya, roles=[Role.ANALYST])
    org.director = user_create(actor=None, username="dg", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF])
    org.late = late
    return org


def signed_in(client, user):
    client.force_login(user)
    return client


def test_chief_lands_on_the_unit_dashboard(client, world):
    answer = client.post("/login/", {"username": "chief", "password": PASSWORD})
    assert answer["Location"] == "/analytics/"
    page = client.get("/analytics/").content.decode()
    assert world.district.name_ar in page
    assert f"/analytics/units/{world.district.pk}/records/overdue/" in page


def test_overdue_figure_opens_the_records_behind_it(client, world):
    signed_in(client, world.chief)
    page = client.get(f"/analytics/units/{world.district.pk}/records/overdue/").content.decode()
    assert world.late.reference in page
    assert NAME not in page and CNIE not in page


def test_director_drills_down_national_wilaya_district(client, world):
    signed_in(client, world.director)
    national = client.get("/analytics/").content.decode()
    assert f"/analytics/units/{world.wilaya.pk}/" in national
    wilaya = client.get(f"/analytics/units/{world.wilaya.pk}/").content.decode()
    assert f"/analytics/units/{world.area.pk}/" in wilaya
    area = client.get(f"/analytics/units/{world.area.pk}/").content.decode()
    assert f"/analytics/units/{world.district.pk}/" in area
    assert client.get(f"/analytics/units/{world.district.pk}/").status_code == 200


def test_analyst_gets_aggregates_only(client, world):
    signed_in(client, world.analyst)
    page = client.get(f"/analytics/units/{world.district.pk}/").content.decode()
    assert "/records/" not in page and world.late.reference not in page
    assert client.get(f"/analytics/units/{world.district.pk}/records/overdue/").status_code == 404
    rows = read_csv(client.get(f"/analytics/units/{world.district.pk}/export/indicators.csv"))
    received = next(r for r in rows if r[0] == "received")
    assert received[2] == "3"  # the protected complaint is not counted for an analyst
    assert client.get(f"/analytics/units/{world.district.pk}/export/records.csv?name=overdue").status_code == 404


def test_outside_the_jurisdiction_and_bad_input(client, world):
    signed_in(client, world.chief)
    assert client.get(f"/analytics/units/{world.sibling.pk}/").status_code == 404
    assert client.get("/analytics/units/999999/").status_code == 404
    bad = client.get("/analytics/?period=2026-13")
    assert bad.status_code == 422 and "YYYY-MM" in bad.content.decode()
    assert client.get(f"/analytics/units/{world.district.pk}/report.pdf?lang=de").status_code == 422
    assert client.get(f"/analytics/units/{world.district.pk}/export/nothing.csv").status_code == 404
    signed_in(client, world.investigator)
    assert client.get("/analytics/").status_code == 403


def read_csv(answer):
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_exports_csv_and_xlsx_with_the_filters(client, world):
    signed_in(client, world.chief)
    month = current_month().key
    rows = read_csv(client.get(f"/analytics/units/{world.district.pk}/export/indicators.csv?period={month}"))
    assert rows[0][2] == month
    assert next(r for r in rows if r[0] == "received")[2] == "4"
    records = read_csv(client.get(f"/analytics/units/{world.district.pk}/export/records.csv?name=overdue"))
    assert [r[0] for r in records[1:]] == [world.late.reference]
    signed_in(client, world.area_chief)
    answer = client.get(f"/analytics/units/{world.area.pk}/export/units.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == world.district.code and values[1][2] == 4


def test_monthly_pdf_in_arabic_and_french(client, world, tmp_path):
    signed_in(client, world.chief)
    for lang, words in (
        ("ar", ("الملخص الشهري", world.district.name_ar)),
        ("fr", ("Synthèse mensuelle", "Plaintes reçues")),
    ):
        answer = client.get(f"/analytics/units/{world.district.pk}/report.pdf?lang={lang}")
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        pdf = tmp_path / f"summary-{lang}.pdf"
        pdf.write_bytes(answer.content)
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", pdf, tmp_path / lang], check=True)
        assert (tmp_path / f"{lang}-1.png").stat().st_size > 1000
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
        assert all(w in text for w in words), text
        assert NAME not in text and world.late.reference not in text


def dashboard_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_dashboards_read_rollups_never_the_complaints(client, world, make_case):
    """GIVEN a director's national dashboard WHEN it is shown THEN no query reads the complaints or
    their timeline, and ten more complaints add no query (the cost depends on the page, not on
    the number of records)."""
    signed_in(client, world.director)
    before = dashboard_queries(client, "/analytics/")
    assert not [q for q in before if "cases_case" in q]
    for _ in range(10):
        make_case()
    rollups.refresh()
    assert len(dashboard_queries(client, "/analytics/")) == len(before)
