"""The annual report as a PDF in Arabic or French, with bar charts drawn as inline SVG (nothing is
fetched), from the figures stored on the report (a frozen report prints what was frozen)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template import loader
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from oversight.choices import AllegationKind, Body, Closure, Finding, OfficerOutcome, Topic
from oversight.models import AnnualReport

BAR_MAX = 100  # width of the longest bar, in percent of the chart


def bars(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of a bar chart: label, value, bar width (percent of the largest)."""
    top = max(counts.values(), default=0) or 1
    return [
        {"label": labels.get(key, key), "value": value, "width": round(BAR_MAX * value / top, 1)}
        for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def report_context(report: AnnualReport, lang: str) -> dict[str, Any]:
    f = report.figures
    g, o = f["grievances"], f["officers"]
    outcomes = {**_labels(Closure.choices), "open": str(translation.gettext("Still open"))}
    findings = {**_labels(Finding.choices), "pending": str(translation.gettext("Pending"))}
    officer_outcomes = {**_labels(OfficerOutcome.choices), "pending": str(translation.gettext("Pending"))}
    share = None if not g["answered"] else round(100 * g["answered_within_deadline"] / g["answered"])
    trend_top = max([max(t["grievances"], t["officer_complaints"]) for t in f["trend"]] or [1]) or 1
    return {
        "r": report,
        "f": f,
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "foreword": report.foreword_ar if lang == "ar" else report.foreword_fr,
        "commentary": report.commentary_ar if lang == "ar" else report.commentary_fr,
        "by_body": bars(g["by_body"], _labels(Body.choices)),
        "by_topic": bars(g["by_topic"], _labels(Topic.choices)),
        "by_outcome": bars(g["by_outcome"], outcomes),
        "by_unit": bars(g["by_unit"], {}),
        "by_allegation": bars(o["by_allegation"], _labels(AllegationKind.choices)),
        "by_finding": bars(o["by_finding"], findings),
        "officer_outcomes": bars(o["by_outcome"], officer_outcomes),
        "share_within": share,
        "trend": [
            {
                **t,
                "g_width": round(BAR_MAX * t["grievances"] / trend_top, 1),
                "o_width": round(BAR_MAX * t["officer_complaints"] / trend_top, 1),
            }
            for t in f["trend"]
        ],
        "wilayas": [{**w, "name": w["name_ar"] if lang == "ar" else w["name_fr"]} for w in f["per_wilaya"]],
        "against": f["against_previous_year"],
        "change": abs(f["against_previous_year"]["grievances_change"] or 0),
    }


def report_html(report: AnnualReport, lang: str) -> str:
    with translation.override(lang):
        return loader.get_template("oversight/annual_report.html").render(report_context(report, lang))


def report_pdf(report: AnnualReport, lang: str) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = HTML(string=report_html(report, lang), base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    pdf = html.write_pdf()
    assert pdf is not None
    return pdf
