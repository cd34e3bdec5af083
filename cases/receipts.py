"""The receipt handed over at intake (وصل إيداع شكاية / récépissé de dépôt de plainte), as a PDF.

The receipt is always bilingual, Arabic (right to left) and French (left to right), whatever the
language of the officer's screen. It carries what the citizen needs to follow the complaint (the
reference, the tracking code, the tracking address as text and as a QR code, the deadlines) and no
personal data at all: it is handed over and may be lost.

Fonts come from fontconfig: Debian's Amiri (fonts-hosny-amiri) shapes the Arabic and also has Latin
glyphs. The receipt is printed while the citizen waits at the counter, so what can be reused between
receipts (the compiled template, the font configuration) is built once.
"""

from __future__ import annotations

import base64
import functools
import io
import threading
from typing import Any
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.template import loader
from django.utils import timezone, translation
from qrcode.image.pil import PilImage
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from cases.choices import Channel, Sensitivity
from cases.models import Case
from cases.selectors import public_unit
from core import gazetteer
from core.textnorm import normalize

NEUTRAL_CATEGORY_AR = "شكاية"
NEUTRAL_CATEGORY_FR = "Plainte"

TEMPLATE = "cases/receipt.html"
QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M  # survives a fold or a coffee stain

# The receipt is fixed bilingual: these labels are printed as they are, not through gettext.
CHANNEL_LABELS: dict[str, tuple[str, str]] = {
    Channel.COUNTER: ("شباك الدائرة الأمنية", "Guichet de l'arrondissement"),
    Channel.DUTY: ("مصلحة المداومة", "Service de permanence"),
    Channel.LINE19: ("خط النجدة 19", "Police secours (19)"),
    Channel.ONLINE: ("عبر الإنترنت", "En ligne"),
    Channel.PRESS: ("الصحافة ووسائل التواصل الاجتماعي", "Presse et réseaux sociaux"),
    Channel.OMBUDSMAN: ("مؤسسة وسيط المملكة", "Médiateur du Royaume"),
    Channel.INPPLC: ("الهيئة الوطنية للنزاهة والوقاية من الرشوة ومحاربتها", "INPPLC"),
    Channel.CNDH: ("المجلس الوطني لحقوق الإنسان", "CNDH"),
}


def tracking_url(reference: str) -> str:
    """The public tracking address of a case. The tracking code is never put in it: addresses end
    up in logs and browser histories; the citizen types the code."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/track/?{urlencode({'ref': reference})}"


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a PNG data URI, one pixel per module.

    The template prints it with `image-rendering: pixelated`, so the PDF tells viewers and printers
    not to interpolate and the modules stay sharp squares at any size. A bitmap rather than an SVG
    path because WeasyPrint parses SVG paths in Python: that alone was a third of the render time.
    """
    qr = qrcode.QRCode(
        error_correction=QR_ERROR_CORRECTION,
        box_size=1,
        border=4,  # the quiet zone the standard asks for; scanners need it
        image_factory=PilImage,
    )
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _count_ar(n: int, one: str, two: str, few: str, many: str) -> str:
    """An Arabic counted noun: 1 and 2 are words, 3-10 take the plural, 11-99 the singular."""
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def hours_ar(n: int) -> str:
    return _count_ar(n, "ساعة واحدة", "ساعتان", "ساعات", "ساعة")


def days_ar(n: int) -> str:
    return _count_ar(n, "يوم واحد", "يومان", "أيام", "يوما")


def _count_fr(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _channel_labels(channel: str) -> tuple[str, str]:
    if channel in CHANNEL_LABELS:
        return CHANNEL_LABELS[channel]
    # A channel added later without receipt labels: its own label in each language.
    label = Channel(channel).label if channel in Channel.values else channel
    with translation.override("ar"):
        arabic = str(label)
    with translation.override("fr"):
        french = str(label)
    return arabic, french


@functools.cache
def city_name(city: str, language: str) -> str:
    """A unit's city (recorded in Latin letters) in `language`, from the gazetteer's cities; a city
    the gazetteer does not know keeps its recorded name."""
    for place in gazetteer.search(city, kinds=["city"], limit=3):
        if normalize(place.name_fr) == normalize(city):
            return place.name(language)
    return city


def receipt_context(*, case: Case, tracking_code: str) -> dict[str, Any]:
    """What the receipt prints, computed here so that the template stays plain markup.

    Only the case, its category and its unit are read: nothing of the complainant.
    """
    category = case.category
    unit = public_unit(case)
    received = timezone.localtime(case.created_at, timezone.get_default_timezone())
    url = tracking_url(case.reference)
    channel_ar, channel_fr = _channel_labels(case.channel)
    return {
        "reference": case.reference,
        "tracking_code": tracking_code,
        "unit_ar": unit.name_ar,
        "unit_fr": unit.name_fr,
        "city_ar": city_name(unit.city, "ar"),
        "city_fr": unit.city,
        "date": received.strftime("%d/%m/%Y"),
        "time": received.strftime("%H:%M"),
        # A receipt can be lost or found at home: a sensitive category (domestic violence, sexual
        # offence, minors, a complaint against an officer) is printed under a neutral wording.
        "category_ar": category.name_ar if category.sensitivity == Sensitivity.NORMAL else NEUTRAL_CATEGORY_AR,
        "category_fr": category.name_fr if category.sensitivity == Sensitivity.NORMAL else NEUTRAL_CATEGORY_FR,
        "channel_ar": channel_ar,
        "channel_fr": channel_fr,
        "first_action_ar": hours_ar(category.first_action_hours),
        "first_action_fr": _count_fr(category.first_action_hours, "heure"),
        "closure_ar": days_ar(category.closure_days),
        "closure_fr": _count_fr(category.closure_days, "jour"),
        "tracking_url": url,
        "qr": qr_data_uri(url),
    }


@functools.cache
def _template():
    return loader.get_template(TEMPLATE)


_per_thread = threading.local()


def _font_config() -> FontConfiguration:
    # Reused between receipts (fontconfig and Pango set-up is the slow part of a first render),
    # one per thread because a Pango font map is not meant to be shared between threads.
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        config = _per_thread.font_config = FontConfiguration()
    return config


def render_receipt_html(*, case: Case, tracking_code: str) -> str:
    # The labels are literal Arabic and French in the template; rendering under a fixed language
    # keeps anything locale-dependent independent of the officer's UI language.
    with translation.override("ar"):
        return _template().render(receipt_context(case=case, tracking_code=tracking_code))


def render_receipt_pdf(*, case: Case, tracking_code: str) -> bytes:
    """The one-page bilingual A5 receipt of `case`, as PDF bytes.

    `tracking_code` is the clear code: from `services.receipt_issue` (which records the printing in
    the timeline and the audit chain) or from the case just returned by `complaint_register`.
    """
    html = render_receipt_html(case=case, tracking_code=tracking_code)
    # Only data: URIs (the QR code) are fetched: a receipt never waits on the network or reads a
    # file. A font shipped in static/fonts would need "file" here.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=_font_config())
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
