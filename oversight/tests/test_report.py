"""The permanent interlocutor's annual report: totals equal a hand-made fixture, the trend is a
measured statement, a frozen report keeps its figures, and the PDF renders with its Arabic in
logical order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from PIL import Image

from cases.tests.test_receipt import pdf_text, run
from core.errors import Conflict, PermissionDenied
from oversight.models import Grievance
from oversight.officers import OfficerInput, officer_complaint_conclude, officer_complaint_record
from oversight.report_pdf import report_pdf
from oversight.services import (
    GrievanceAction,
    annual_report_edit,
    annual_report_freeze,
    annual_report_generate,
    grievance_transition,
)
from oversight.tests.factories import liaisons, make_grievance


class Clock:
    def __init__(self):
        self.now = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


def at(clock, *args):
    clock.now = datetime(*args, 9, 0, tzinfo=UTC)


@pytest.fixture
def year_2025(org, make_case, clock):
    """Four grievances in 2024; in 2025: three grievances (answered in 20 days, answered in 100
    days — late —, outside the remit) and one complaint against an officer with two allegations."""
    liaison, second, head = liaisons(org)
    for i in range(4):
        make_grievance(liaison, ref=f"MR/2024/{i}", received=clock.now - timedelta(days=i))

    def act(g, actor, name, **kw):
        g = Grievance.objects.get(pk=g.pk)
        return grievance_transition(
            grievance=g, actor=actor, transition=name, version=g.version, data=GrievanceAction(**kw)
        )

    def answer(body, ref, topic, received, sent):
        at(clock, *received)
        g = make_grievance(liaison, body=body, ref=ref, topic=topic, received=clock.now)
        g = act(g, liaison, "assign_inquiry", unit=org.district)
        at(clock, *sent)
        g = act(g, liaison, "draft", answer_text="جواب")
        g = act(g, second, "review")
        g = act(g, head, "approve")
        g = act(g, liaison, "send")
        return act(g, liaison, "close", closure="answered")

    answer("ombudsman", "MR/2025/1", "delay", (2025, 3, 1), (2025, 3, 21))
    answer("cndh", "CNDH/2025/9", "custody", (2025, 5, 1), (2025, 8, 9))
    at(clock, 2025, 6, 1)
    g = make_grievance(liaison, body="inpplc", ref="INP/2025/3", topic="corruption", received=clock.now)
    act(g, liaison, "close_unanswered", closure="outside_remit", note="نزاع تجاري")
    at(clock, 2025, 4, 1)
    case = make_case(category="officer_misconduct")
    officer = org.investigator
    oc = officer_complaint_record(
        case=case, actor=org.inspector, data=OfficerInput(officer=officer, allegations=["force", "discourtesy"])
    )
    at(clock, 2025, 9, 1)
    force, rude = oc.allegations.order_by("id")
    officer_complaint_conclude(
        case=case, actor=org.inspector, findings={force.pk: "sustained", rude.pk: "unfounded"}, outcome="disciplinary"
    )
    at(clock, 2026, 1, 15)
    return liaison, head


HAND_MADE = {
    "total": 3,
    "by_body": {"cndh": 1, "inpplc": 1, "ombudsman": 1},
    "by_topic": {"corruption": 1, "custody": 1, "delay": 1},
    "by_outcome": {"answered": 2, "outside_remit": 1},
    "answered": 2,
    "answer_days_median": 20.0,
    "answer_days_p90": 100.0,
    "answered_within_deadline": 1,
}


def test_the_totals_equal_the_hand_made_fixture(org, year_2025, clock):
    liaison, _head = year_2025
    f = annual_report_generate(actor=liaison, year=2025).figures
    g = f["grievances"]
    assert {k: g[k] for k in HAND_MADE} == HAND_MADE
    assert g["by_unit"] == {org.district.code: 2}
    assert f["officers"] == {
        "total": 1,
        "by_allegation": {"discourtesy": 1, "force": 1},
        "by_finding": {"sustained": 1, "unfounded": 1},
        "by_outcome": {"disciplinary": 1},
    }
    assert f["trend"][-2:] == [
        {"year": 2024, "grievances": 4, "officer_complaints": 0},
        {"year": 2025, "grievances": 3, "officer_complaints": 1},
    ]
    assert f["against_previous_year"]["grievances"] == "fewer"
    assert f["against_previous_year"]["grievances_change"] == -1
    [rabat] = [w for w in f["per_wilaya"] if w["code"] == org.wilaya.code]
    assert (rabat["grievances"], rabat["answered"], rabat["officer_complaints"], rabat["sustained"]) == (2, 2, 1, 1)
    assert sum(w["grievances"] for w in f["per_wilaya"]) == 2  # the third had no inquiry unit


def test_a_frozen_report_keeps_its_figures(org, year_2025, clock):
    liaison, head = year_2025
    report = annual_report_generate(actor=liaison, year=2025)
    report = annual_report_edit(
        report=report, actor=liaison, texts={"foreword_ar": "تقديم", "commentary_fr": "Commentaire"}
    )
    with pytest.raises(PermissionDenied):
        annual_report_freeze(report=report, actor=liaison)
    report = annual_report_freeze(report=report, actor=head)
    before = report.figures
    make_grievance(liaison, ref="MR/2025/late", received=datetime(2025, 12, 20, tzinfo=UTC))
    with pytest.raises(Conflict):
        annual_report_generate(actor=liaison, year=2025)
    with pytest.raises(Conflict):
        annual_report_edit(report=report, actor=liaison, texts={})
    report.refresh_from_db()
    assert report.figures == before and report.figures["grievances"]["total"] == 3


def test_the_arabic_pdf_renders_with_charts_and_logical_order(org, year_2025, clock, tmp_path):
    liaison, _head = year_2025
    report = annual_report_generate(actor=liaison, year=2025)
    report = annual_report_edit(report=report, actor=liaison, texts={"foreword_ar": "يسرني تقديم هذا التقرير السنوي"})
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(report, "ar"))
    run("pdftoppm", "-r", "40", "-gray", "-png", "-f", "1", "-singlefile", str(path), str(tmp_path / "p1"))
    with Image.open(tmp_path / "p1.png") as image:
        histogram = image.convert("L").histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert 0.01 < dark < 0.3, dark  # text and the bars of the charts
    text = pdf_text(path)
    for phrase in (
        "يسرني تقديم هذا التقرير السنوي",
        "مؤسسة وسيط المملكة",
        "المجلس الوطني لحقوق الإنسان",
        org.wilaya.name_ar,
        "الاستعمال المفرط للقوة",
    ):
        assert phrase in text, phrase
        assert phrase[::-1] not in text
    french = pdf_text(_write(tmp_path / "fr.pdf", report_pdf(report, "fr")))
    assert "Médiateur du Royaume" in french and org.wilaya.name_fr in french


def _write(path, content):
    path.write_bytes(content)
    return path
