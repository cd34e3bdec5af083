"""The answer letter: a PDF on letterhead, Arabic by default (French on request), rendered to a
drawn page, its Arabic extracted in logical order, never the citizen's name."""

from __future__ import annotations

import pytest
from PIL import Image

from cases.tests.test_receipt import pdf_text, run
from oversight.letters import letter_pdf
from oversight.models import Grievance
from oversight.services import GrievanceAction, grievance_transition
from oversight.tests.factories import liaisons, make_grievance

ANSWER = "بعد البحث، تبين أن الشكاية أحيلت على النيابة العامة المختصة بتاريخ 12 مارس."


def approved(org, language="ar") -> Grievance:
    liaison, second, head = liaisons(org)
    g = make_grievance(liaison, letter_language=language, subject="تأخر في معالجة شكاية سرقة")

    def act(g, actor, name, **kw):
        g = Grievance.objects.get(pk=g.pk)
        return grievance_transition(
            grievance=g, actor=actor, transition=name, version=g.version, data=GrievanceAction(**kw)
        )

    g = act(g, liaison, "assign_inquiry", unit=org.district)
    g = act(g, liaison, "draft", answer_text=ANSWER)
    g = act(g, second, "review")
    return act(g, head, "approve")


def test_the_arabic_letter_renders_and_reads_in_logical_order(org, tmp_path):
    g = approved(org)
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf(g))
    assert "Pages:           1" in run("pdfinfo", str(path))
    run("pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", str(path), str(tmp_path / "page"))
    with Image.open(tmp_path / "page.png") as image:
        histogram = image.convert("L").histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert 0.005 < dark < 0.2, dark  # drawn, not blank, not solid
    text = pdf_text(path)
    for phrase in (
        "المملكة المغربية",
        "المديرية العامة للأمن الوطني",
        "مؤسسة وسيط المملكة",
        "تأخر في معالجة شكاية سرقة",
        "أحيلت على النيابة العامة المختصة",
    ):
        assert phrase in text, phrase
        assert phrase[::-1] not in text
    assert g.reference in text and g.body_reference in text
    assert "فاطمة" not in text  # the citizen's name never travels in the letter


def test_the_french_letter_on_request(org, tmp_path):
    g = approved(org, language="fr")
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf(g))
    text = pdf_text(path)
    assert "Direction générale de la Sûreté nationale" in text and "Médiateur du Royaume" in text
    assert "Royaume du Maroc" in text


def test_the_letter_page_is_refused_before_approval_and_served_after(client, org):
    from django.urls import reverse

    g = approved(org)
    client.force_login(g.drafted_by)
    response = client.get(reverse("oversight:letter", args=[g.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert g.events.filter(kind="letter").count() == 1


@pytest.mark.parametrize("state", ["received"])
def test_no_letter_without_approval(client, org, state):
    from django.urls import reverse

    liaison = liaisons(org)[0]
    g = make_grievance(liaison)
    client.force_login(liaison)
    assert client.get(reverse("oversight:letter", args=[g.reference])).status_code == 409
