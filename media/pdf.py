"""A published communiqué as a PDF: the Arabic text, then the French, on A4 (WeasyPrint; Amiri,
through fontconfig, shapes the Arabic as for the receipts and the oversight letters). Only what the
public page shows: number, date, titles and texts."""

from __future__ import annotations

import threading

from django.conf import settings
from django.template import loader
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from media.models import Communique

_fonts = threading.local()


def communique_html(c: Communique) -> str:
    published = timezone.localtime(c.published_at) if c.published_at else None
    return loader.get_template("media/communique_pdf.html").render({"c": c, "published": published})


def communique_pdf(c: Communique) -> bytes:
    fonts = getattr(_fonts, "config", None) or FontConfiguration()
    _fonts.config = fonts  # one per thread: a Pango font map is not shared between threads
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = HTML(string=communique_html(c), base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    pdf = html.write_pdf(font_config=fonts)
    assert pdf is not None
    return pdf
