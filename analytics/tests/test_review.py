"""The annual review: objectives inherited down the tree, achieved values equal to hand-computed
ones, the colour rule, freezing, and who may read or write a review."""

from datetime import UTC, date, datetime

import pytest

from analytics import rollups
from analytics.models import Review
from analytics.review import roadmap
from analytics.review.choices import Follow, ReviewState, Status
from analytics.review.figures import review_rows, status_of
from analytics.review.services import (
    objective_add_project,
    objective_set_target,
    review_freeze,
    review_save,
)
from cases.services import TransitionInput as Move
from cases.services import case_transition, result_record, result_validate
from cases.tests.factories import required_fields
from core.errors import Conflict, PermissionDenied, ValidationFailed
from demo.clock import clock
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
YEAR = 2025


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(org, make_case):
    """GIVEN at the own district: in 2025 three complaints received (two lost-documents ones closed
    within their deadline two days later), 2 people presented to the prosecutor and 1.5 kg of
    cannabis resin validated, 100 tablets recorded but not validated; in 2024 one complaint.
    National defaults (central): received ≥ 4, closed within deadline ≥ 90 %, arrests ≥ 2,
    tablets ≥ 50; the wilaya overrides received for the district: ≥ 3."""
    org.director = user_create(actor=None, username="dg", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF])
    org.analyst = user_create(actor=None, username="analyst", password=PASSWORD, unit=org.wilaya, roles=[Role.ANALYST])
    with clock(at(2024, 5, 1)):
        make_case()
    with clock(at(YEAR, 3, 10)):
        first = make_case()
        closing = [make_case(category="lost_documents") for _ in range(2)]
    with clock(at(YEAR, 3, 12)):
        for case in closing:
            case_transition(
                case=case,
                actor=org.investigator,
                transition="close",
                data=Move(outcome="withdrawn", **required_fields("close")),
            )
        arrests = result_record(
            case=first, actor=org.investigator, kind="arrests", quantity="2", occurred_on=date(YEAR, 3, 11)
        )
        resin = result_record(
            case=first, actor=org.investigator, kind="cannabis_resin", quantity="1,5", occurred_on=date(YEAR, 3, 11)
        )
        result_record(
            case=first, actor=org.investigator, kind="psychotropic_tablets", quantity=100, occurred_on=date(YEAR, 3, 11)
        )
        for r in (arrests, resin):
            result_validate(result=r, actor=org.chief)
    rollups.rebuild()
    d = org.director
    for metric, comparator, target in (
        ("received", "gte", "4"),
        ("within_deadline_share", "gte", "90"),
        ("result:arrests", "gte", "2"),
        ("result:psychotropic_tablets", "gte", "50"),
    ):
        objective_set_target(actor=d, unit=org.central, year=YEAR, metric=metric, comparator=comparator, target=target)
    objective_set_target(
        actor=org.wilaya_chief, unit=org.district, year=YEAR, metric="received", comparator="gte", target="3"
    )
    org.first = first
    return org


def by_metric(rows):
    return {r.metric: r for r in rows if r.metric}


def test_achieved_values_equal_the_hand_computed_ones(world):
    """THEN the district's figures are the hand-counted ones, its own target wins over the national
    default, and only validated results count."""
    rows = by_metric(review_rows(world.district, YEAR, today=date(YEAR, 12, 31)))
    assert rows["received"].value == 3 and rows["received"].last_year == 1
    assert rows["received"].target == 3 and rows["received"].inherited_from is None
    assert rows["received"].status == Status.GREEN
    assert rows["within_deadline_share"].value == 1.0 and rows["within_deadline_share"].target == 0.9
    assert rows["within_deadline_share"].inherited_from == world.central.pk
    assert rows["result:arrests"].value == 2 and rows["result:arrests"].status == Status.GREEN
    assert rows["result:psychotropic_tablets"].value == 0  # recorded, never validated
    assert rows["result:psychotropic_tablets"].status == Status.RED
    # The area above has no target of its own for received: the national ≥ 4 applies, 3 is red
    # (amber stops at 3.6).
    area = by_metric(review_rows(world.area, YEAR))
    assert area["received"].value == 3 and area["received"].target == 4
    assert area["received"].status == Status.RED
    # The sibling district counts nothing of the own district's.
    assert by_metric(review_rows(world.sibling, YEAR))["received"].value == 0


def test_colour_rule_amber_within_ten_per_cent():
    assert status_of(85, "gte", 85) == Status.GREEN
    assert status_of(77, "gte", 85) == Status.AMBER  # 85 - 8.5 = 76.5
    assert status_of(76, "gte", 85) == Status.RED
    assert status_of(0.054, "lte", 0.05) == Status.AMBER
    assert status_of(0.056, "lte", 0.05) == Status.RED
    assert status_of(None, "gte", 1) == Status.NONE


def test_review_is_written_submitted_frozen_and_then_never_changes(world):
    """GIVEN the district's review WHEN its head submits it and the area chief freezes it THEN the
    figures are stored; a result validated afterwards changes the live figures, not the frozen
    ones; the texts, the comment and the objectives of that year refuse every change."""
    texts = {"achievements": "تراجع الشكايات المتأخرة", "challenges": "نقص الدوريات ليلا", "constraints": ""}
    with pytest.raises(PermissionDenied):
        review_save(actor=world.area_chief, unit=world.district, year=YEAR, texts=texts)
    with pytest.raises(Conflict):  # not submitted yet
        review_freeze(actor=world.area_chief, unit=world.district, year=YEAR, comment="x")
    review_save(actor=world.chief, unit=world.district, year=YEAR, texts=texts, submit=True)
    with pytest.raises(PermissionDenied):  # the head does not freeze their own review
        review_freeze(actor=world.chief, unit=world.district, year=YEAR, comment="ملاحظة")
    review = review_freeze(actor=world.area_chief, unit=world.district, year=YEAR, comment="عمل جيد")
    assert review.state == ReviewState.FROZEN
    stored = {r["metric"]: r for r in review.figures["rows"] if r["metric"]}
    assert stored["result:arrests"]["value"] == 2

    with clock(at(YEAR, 6, 1)):
        late = result_record(
            case=world.first, actor=world.investigator, kind="arrests", quantity=5, occurred_on=date(YEAR, 5, 30)
        )
    result_validate(result=late, actor=world.chief)
    assert by_metric(review_rows(world.district, YEAR))["result:arrests"].value == 7
    review.refresh_from_db()
    assert {r["metric"]: r for r in review.figures["rows"] if r["metric"]}["result:arrests"]["value"] == 2

    with pytest.raises(Conflict):
        review_save(actor=world.chief, unit=world.district, year=YEAR, texts={"challenges": "تعديل"})
    with pytest.raises(Conflict):
        review_freeze(actor=world.area_chief, unit=world.district, year=YEAR, comment="مرة أخرى")
    with pytest.raises(Conflict):
        objective_set_target(
            actor=world.wilaya_chief, unit=world.district, year=YEAR, metric="received", comparator="gte", target="1"
        )
    assert Review.objects.get(pk=review.pk).challenges == "نقص الدوريات ليلا"


def test_frozen_review_page_shows_stored_figures_and_no_form(client, world):
    review_save(actor=world.chief, unit=world.district, year=YEAR, texts={"challenges": "نقص"}, submit=True)
    review_freeze(actor=world.director, unit=world.district, year=YEAR, comment="تعليق المدير")
    client.force_login(world.chief)
    page = client.get(f"/review/units/{world.district.pk}/{YEAR}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="review-texts"' not in body and 'id="frozen-note"' in body and "تعليق المدير" in body
    answer = client.post(f"/review/units/{world.district.pk}/{YEAR}/save/", {"challenges": "تغيير"})
    assert answer.status_code == 409
    assert Review.objects.get(unit=world.district, year=YEAR).challenges == "نقص"


def test_objectives_are_set_by_the_level_above_with_clear_errors(world):
    with pytest.raises(PermissionDenied):  # a head does not set their own objectives
        objective_set_target(
            actor=world.chief, unit=world.district, year=YEAR, metric="received", comparator="gte", target="1"
        )
    with pytest.raises(ValidationFailed) as share:
        objective_set_target(
            actor=world.area_chief,
            unit=world.district,
            year=YEAR,
            metric="within_deadline_share",
            comparator="gte",
            target="120",
        )
    assert "target" in share.value.fields
    with pytest.raises(ValidationFailed):
        objective_set_target(
            actor=world.area_chief, unit=world.district, year=YEAR, metric="no_such", comparator="gte", target="1"
        )
    with pytest.raises(ValidationFailed):
        objective_add_project(actor=world.area_chief, unit=world.district, year=YEAR, title="مداومة", milestones=[])
    project = objective_add_project(
        actor=world.area_chief,
        unit=world.district,
        year=YEAR,
        title="فتح مصلحة للمداومة بسيدي مومن",
        milestones=[("اختيار المقر", date(YEAR, 3, 1)), ("التجهيز", date(YEAR, 9, 1))],
    )
    rows = [r for r in review_rows(world.district, YEAR, today=date(YEAR, 12, 31)) if r.kind == "project"]
    assert [r.objective_id for r in rows] == [project.pk]
    assert rows[0].status == Status.RED  # both milestones past their date, none done


# ------------------------------------------------------------------ access to the pages


def test_who_may_read_and_write_a_review(client, world):
    """A sibling's chief and a desk officer get the 404 of a missing review; the analyst reads
    without any form and is refused every write; the head writes and submits."""
    url = f"/review/units/{world.district.pk}/{YEAR}/"
    for who, expected in ((world.sibling_chief, 404), (world.desk, 404), (world.casa_officer, 404)):
        client.force_login(who)
        assert client.get(url).status_code == expected, who.username
    client.force_login(world.analyst)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="review-texts"' not in body and 'id="review-freeze"' not in body
    assert 'data-metric="received"' in body
    assert client.post(url + "save/", {"challenges": "x", "submit": "1"}).status_code == 403
    assert client.post(url + "freeze/", {"comment": "x"}).status_code == 403
    assert not Review.objects.exists()
    client.force_login(world.chief)
    assert 'id="review-texts"' in client.get(url).content.decode()
    answer = client.post(url + "save/", {"challenges": "نقص الموارد", "submit": "1"})
    assert answer.status_code == 302
    assert Review.objects.get(unit=world.district, year=YEAR).state == ReviewState.SUBMITTED
    client.force_login(world.wilaya_chief)
    assert 'id="review-freeze"' in client.get(url).content.decode()
    empty = client.post(url + "freeze/", {"comment": ""})
    assert empty.status_code == 422
    assert Review.objects.get(unit=world.district, year=YEAR).state == ReviewState.SUBMITTED


def test_rollup_and_shortfalls(client, world):
    """The central chief's roll-up lists the wilayas; a district red on tablets in 2024 and 2025
    appears among the units short two years running."""
    objective_set_target(
        actor=world.director,
        unit=world.central,
        year=YEAR - 1,
        metric="result:psychotropic_tablets",
        comparator="gte",
        target="10",
    )
    for y in (YEAR - 1, YEAR):
        review_save(actor=world.chief, unit=world.district, year=y, texts={"challenges": "نقص"})
    client.force_login(world.director)
    page = client.get(f"/review/?year={YEAR}")
    assert page.status_code == 200
    assert world.wilaya.name_ar in page.content.decode()
    short = client.get(f"/review/shortfalls/{YEAR}/").content.decode()
    assert world.district.name_ar in short and 'id="shortfalls"' in short
    client.force_login(world.sibling_chief)
    assert 'id="no-shortfalls"' in client.get(f"/review/shortfalls/{YEAR}/").content.decode()
    assert client.get("/review/?year=20x5").status_code == 422


def test_quarterly_follow_up_classifies_on_a_fixture(org, make_case):
    """GIVEN 2026 interim targets on complaints received (cumulative 1, 2, 3, 4) and complaints in
    February and July WHEN followed on 15 August THEN Q1 on track, Q2 missed, Q3 at risk (under
    way, short), Q4 not started."""
    director = user_create(actor=None, username="dg", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF])
    for day in (at(2026, 2, 3), at(2026, 7, 20)):
        with clock(day):
            make_case()
    rollups.rebuild()
    objective_set_target(
        actor=director,
        unit=org.central,
        year=2026,
        metric="received",
        comparator="gte",
        target="4",
        quarterly=["1", "2", "3", "4"],
    )
    rows = roadmap.follow_up(org.district, 2026, today=date(2026, 8, 15))
    assert [q["follow"] for q in rows[0]["quarters"]] == [
        Follow.ON_TRACK,
        Follow.MISSED,
        Follow.AT_RISK,
        Follow.PENDING,
    ]
    assert roadmap.classify(1.85, "gte", 2, started=True, ended=True) == Follow.AT_RISK
    with pytest.raises(ValidationFailed):
        objective_set_target(
            actor=director,
            unit=org.central,
            year=2026,
            metric="received",
            comparator="gte",
            target="4",
            quarterly=["1", "2"],
        )


def test_a_missed_quarter_alerts_the_chiefs_once(client, org, make_case):
    """GIVEN a national interim target of 2 complaints by the end of Q1 2026 and one complaint at
    the district WHEN the sweep runs in April THEN the district's chief and the area's chief are
    alerted (once, however often it runs), and see it on the review's home page; the sibling's
    chief is not alerted about the district."""
    from analytics.models import RoadmapAlert
    from analytics.review.services import roadmap_sweep

    director = user_create(actor=None, username="dg", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF])
    with clock(at(2026, 2, 3)):
        make_case()
    rollups.rebuild()
    objective_set_target(
        actor=director,
        unit=org.central,
        year=2026,
        metric="received",
        comparator="gte",
        target="8",
        quarterly=["2", "4", "6", "8"],
    )
    with clock(at(2026, 4, 10)):
        first = roadmap_sweep(today=date(2026, 4, 10))
        again = roadmap_sweep(today=date(2026, 4, 11))
    assert first["quarter"] == 1 and first["alerts"] > 0 and again["alerts"] == 0
    district = RoadmapAlert.objects.get(unit=org.district)
    assert district.value == 1 and district.interim == 2
    assert {u.username for u in district.recipients.all()} == {"chief", "areachief"}
    client.force_login(org.chief)
    page = client.get("/review/?year=2026").content.decode()
    assert 'id="roadmap-alerts"' in page and org.district.name_ar in page
    client.force_login(org.sibling_chief)
    assert org.district.name_ar not in client.get("/review/?year=2026").content.decode()
