"""The answer letter to the body, as a PDF on the service's letterhead: in Arabic (right to left),
or in French when the body asked for it. It carries the body's reference, ours, the subject and the
approved answer, and never the citizen's name (the body knows it; a letter travels).

Amiri (fonts-hosny-amiri, through fontconfig) shapes the Arabic, as for the receipt.
"""

from __future__ import annotations

from django.conf import settings
from django.template import loader
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from oversight.choices import Body
from oversight.models import Grievance

TEMPLATE = "oversight/letter.html"


def letter_html(grievance: Grievance) -> str:
    lang = grievance.letter_language or "ar"
    with translation.override(lang):
        context = {
            "g": grievance,
            "lang": lang,
            "dir": "rtl" if lang == "ar" else "ltr",
            "body_name": str(Body(grievance.body).label),
            "date": timezone.localtime(grievance.sent_at or timezone.now()).strftime("%d/%m/%Y"),
            "received": timezone.localtime(grievance.received_at).strftime("%d/%m/%Y"),
            "paragraphs": [p.strip() for p in grievance.answer_text.split("\n") if p.strip()],
        }
        return loader.get_template(TEMPLATE).render(context)


def letter_pdf(grievance: Grievance) -> bytes:
    """The letter as PDF bytes; nothing is fetched (no network, no file)."""
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = HTML(string=letter_html(grievance), base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    pdf = html.write_pdf()
    assert pdf is not None
    return pdf
