"""The annual communiqué: the national figures of the year written in Arabic and French equal the
hand-computed ones, protected and against-officer complaints are never counted, nothing personal
appears, and only the central communication cell generates it."""

import re
import subprocess
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from PIL import Image

from analytics import rollups
from analytics.review.communique import annual_communique_draft, number
from audit.models import AuditRecord
from cases.services import TransitionInput as Move
from cases.services import case_transition, result_record, result_validate
from cases.tests.factories import required_fields
from core.errors import NotFound, ValidationFailed
from demo.clock import clock
from media.choices import CommuniqueKind, CommuniqueState
from media.models import Communique
from media.services import communique_approve, communique_edit, communique_publish
from media.services.communiques import CommuniqueText
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD
from oversight.models import Grievance
from oversight.tests.factories import liaisons, make_grievance

pytestmark = pytest.mark.django_db
YEAR = 2025
PERSONAL = ("Fictif Test", "AB123456", "0612345678", "فاطمة الزهراء المختلقة", "شارع محمد الخامس")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(org, make_case):
    """GIVEN in 2025: three normal complaints (two closed within their deadline), one protected and
    one against an officer (never counted); 2 people presented to the prosecutor, 2 500 000 tablets
    and 1.5 kg of resin validated, 100 g of cocaine recorded but not validated; two grievances
    received, one answered; in 2024 one more complaint and one grievance (another year)."""
    org.cell = user_create(
        actor=None, username="com.c", password=PASSWORD, unit=org.central, roles=[Role.COMMUNICATION]
    )
    org.wcell = user_create(
        actor=None, username="com.w", password=PASSWORD, unit=org.wilaya, roles=[Role.COMMUNICATION]
    )
    liaison = liaisons(org)[0]
    with clock(at(2024, 5, 1)):
        make_case()
        make_grievance(liaison, ref="MR/2024/1")
    with clock(at(YEAR, 3, 10)):
        first = make_case()
        closing = [make_case(category="lost_documents") for _ in range(2)]
        make_case(category="domestic_violence")
        make_case(category="officer_misconduct")
        answered = make_grievance(liaison, ref="MR/2025/1")
        make_grievance(liaison, ref="MR/2025/2", body="cndh")
    # The answer's sending is another issue's workflow: only its date matters here.
    Grievance.objects.filter(pk=answered.pk).update(sent_at=at(YEAR, 4, 1))
    with clock(at(YEAR, 3, 12)):
        for case in closing:
            case_transition(
                case=case,
                actor=org.investigator,
                transition="close",
                data=Move(outcome="withdrawn", **required_fields("close")),
            )
        records = [
            result_record(case=first, actor=org.investigator, kind=kind, quantity=q, occurred_on=date(YEAR, 3, 11))
            for kind, q in (("arrests", "2"), ("psychotropic_tablets", "2500000"), ("cannabis_resin", "1,5"))
        ]
        result_record(case=first, actor=org.investigator, kind="cocaine", quantity="100", occurred_on=date(YEAR, 3, 11))
        for r in records:
            result_validate(result=r, actor=org.chief)
    org.director = user_create(
        actor=None, username="director.t", password=PASSWORD, unit=org.central, roles=[Role.UNIT_CHIEF]
    )
    rollups.rebuild()
    return org


def test_the_communique_says_the_hand_computed_national_figures(world):
    c = annual_communique_draft(actor=world.cell, year=YEAR)
    assert c.kind == CommuniqueKind.ANNUAL and c.state == CommuniqueState.DRAFT
    assert "2025" in c.title_ar and "2025" in c.title_fr
    fr, ar = c.body_fr, c.body_ar
    assert "Plaintes reçues par les services : 3." in fr  # not 5: protected and against-officer left out
    assert "بلغ عدد الشكايات التي توصلت بها المصالح 3." in ar
    assert "100 % des plaintes clôturées l'ont été dans les délais." in fr
    assert "contrôle : 2 reçues, 1 ayant reçu réponse." in fr
    assert "والرقابة 2، تمت الإجابة عن 1 منها." in ar
    assert "Personnes présentées au parquet compétent : 2." in fr
    assert "comprimés psychotropes : 2 500 000 comprimés" in fr and "résine de cannabis : 1,5 kg" in fr
    assert "الأقراص المهلوسة: 2 500 000 قرص" in ar and "مخدر الشيرا: 1,5 كلغ" in ar
    assert "cocaïne" not in fr  # recorded, never validated
    assert "19" not in fr.replace("2025", "")  # no line-19 figure this year: no sentence about it
    assert "satisfaction" not in fr
    for datum in PERSONAL:
        assert datum not in c.title_ar + c.title_fr + ar + fr
    audit = AuditRecord.objects.filter(action="media.communique.draft", object_id=str(c.pk)).get()
    assert audit.actor_id == world.cell.pk


def test_another_year_has_its_own_figures(world):
    c = annual_communique_draft(actor=world.cell, year=2024)
    assert "Plaintes reçues par les services : 1." in c.body_fr
    assert "contrôle : 1 reçues, 0 ayant reçu réponse." in c.body_fr
    assert "saisie" not in c.body_fr


def test_only_the_central_cell_generates_it(world):
    for user in (world.wcell, world.chief, world.investigator):
        with pytest.raises(NotFound):
            annual_communique_draft(actor=user, year=YEAR)
    with pytest.raises(ValidationFailed):
        annual_communique_draft(actor=world.cell, year=timezone.localdate().year + 1)
    assert not Communique.objects.exists()


def test_numbers_are_written_the_moroccan_way():
    assert number(2500000) == "2 500 000"
    assert number(1.5, 3) == "1,5"
    assert number(12.0, 1) == "12"


def test_the_cell_generates_from_the_page_and_lands_on_the_draft(world, client):
    client.force_login(world.wcell)
    assert client.get("/review/communique/").status_code == 404
    assert client.post("/review/communique/", {"year": YEAR}).status_code == 404
    client.force_login(world.cell)
    page = client.get("/review/communique/")
    assert page.status_code == 200 and f'value="{YEAR}"' in page.content.decode()
    assert client.post("/review/communique/", {"year": "x"}).status_code == 422
    answer = client.post("/review/communique/", {"year": YEAR})
    c = Communique.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/watch/communiques/{c.pk}/"
    assert 'href="/review/communique/"' in client.get("/watch/communiques/").content.decode()


BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_the_published_communique_prints_arabic_then_french(world, client, tmp_path):
    """THEN the PDF renders to a drawn page whose text holds the Arabic title, then the French one;
    a draft is a 404."""
    c = annual_communique_draft(actor=world.cell, year=YEAR)
    assert client.get("/communiques/COM-2026-0001/pdf/").status_code == 404  # not published yet
    communique_approve(communique=c, actor=world.director)
    with clock(at(2026, 1, 15)):
        c = communique_publish(communique=c, actor=world.cell)
    annual_communique_draft(actor=world.cell, year=2024)
    answer = client.get(f"/communiques/{c.number}/pdf/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    path = tmp_path / "c.pdf"
    path.write_bytes(answer.content)
    text = BIDI_MARKS.sub(
        "",
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    flat = " ".join(text.split())
    # pdftotext places the year of a right-to-left line where it is drawn: the words are checked
    # in reading order, the year apart.
    words = c.title_ar.replace(str(YEAR), "").strip()
    assert words in flat and str(YEAR) in flat
    assert flat.index(words) < flat.index(c.title_fr)
    assert "2 500 000" in flat
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        histogram = image.convert("L").histogram()
    assert 0.005 < sum(histogram[:128]) / sum(histogram) < 0.3  # ink, not a blank page
    assert client.get("/communiques/COM-2026-0002/pdf/").status_code == 404  # the draft of 2024
    assert client.get(f"/communiques/{c.number}/").content.decode().count(f"/communiques/{c.number}/pdf/") == 1


def test_the_director_approves_before_the_cell_publishes(world, client):
    """GIVEN the cell's draft WHEN the cell publishes before the director approved THEN it is refused
    and nothing is published; only the director may approve (others: the 404 of a missing page); an
    edit after the approval asks for it again; once approved, the cell publishes."""
    draft = annual_communique_draft(actor=world.cell, year=YEAR)
    with pytest.raises(ValidationFailed):
        communique_publish(communique=draft, actor=world.cell)
    assert Communique.objects.get(pk=draft.pk).state == CommuniqueState.DRAFT
    for other in (world.cell, world.chief, world.wcell):
        with pytest.raises(NotFound):
            communique_approve(communique=draft, actor=other)
    url = f"/review/communique/{draft.pk}/approve/"
    for other in (world.cell, world.chief):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(world.director)
    assert client.get("/review/").content.decode().count(url) == 1  # the director's review links to it
    assert draft.title_ar in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert AuditRecord.objects.filter(action="media.communique.approve", object_id=str(draft.pk)).exists()
    edited = CommuniqueText(draft.title_ar + " (تعديل)", draft.title_fr, draft.body_ar, draft.body_fr)
    communique_edit(communique=draft, actor=world.cell, text=edited)
    with pytest.raises(ValidationFailed):
        communique_publish(communique=draft, actor=world.cell)
    communique_approve(communique=draft, actor=world.director)
    assert communique_publish(communique=draft, actor=world.cell).state == CommuniqueState.PUBLISHED
