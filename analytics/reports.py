"""The monthly summary of a unit as a PDF (WeasyPrint, Amiri for the Arabic), in Arabic or French.

The same figures as the dashboard (`selectors.indicator_table`, `child_table`): this month, the month
before and the same month a year earlier, and the units below. Aggregates only: no record, no name.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from analytics.indicators.registry import BACKLOG, COMPLAINTS, FAMILY_LABELS, LINE19, OVERSIGHT, READINESS, SATISFACTION
from analytics.periods import Period
from analytics.selectors import CHILD_COLUMNS, child_table, indicator_table
from core.errors import ValidationFailed
from org.models import Unit, User

LANGUAGES = ("ar", "fr")
ORDER = (BACKLOG, COMPLAINTS, LINE19, READINESS, SATISFACTION, OVERSIGHT)
_fonts = threading.local()


def report_language(raw: str | None) -> str:
    """`?lang=` ar (default) or fr; anything else is refused."""
    lang = (raw or "ar").strip().lower()
    if lang not in LANGUAGES:
        raise ValidationFailed(_("The report exists in Arabic (ar) and French (fr)."), fields={"lang": _("ar or fr.")})
    return lang


def monthly_html(user: User, unit: Unit, period: Period, lang: str) -> str:
    if period.month is None:
        raise ValidationFailed(_("The summary is monthly: choose a month (YYYY-MM)."), fields={"period": _("A month.")})
    with translation.override(lang):
        figures = indicator_table(user, unit, period)
        rows = child_table(user, unit, period)
        return loader.render_to_string(
            "analytics/report.html",
            {
                "unit": unit,
                "period": period,
                "lang": lang,
                "sections": [(FAMILY_LABELS[fam], [f for f in figures if f.indicator.family == fam]) for fam in ORDER],
                "children": rows,
                "child_columns": CHILD_COLUMNS,
                "made_at": timezone.localtime(),
            },
        )


def monthly_pdf(user: User, unit: Unit, period: Period, lang: str) -> bytes:
    html = monthly_html(user, unit, period, lang)
    fonts = getattr(_fonts, "config", None) or FontConfiguration()
    _fonts.config = fonts  # one per thread: a Pango font map is not shared between threads
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher).write_pdf(
        font_config=fonts
    )
    assert pdf is not None
    return pdf
