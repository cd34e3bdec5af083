"""The intake receipt: a real one-page PDF, drawn, bilingual in reading order, with Amiri embedded,
a QR code of the tracking address, and nothing about the complainant.

The PDF is checked with poppler-utils (pdfinfo, pdftoppm, pdftotext, pdffonts), which `make test`
installs. A missing tool fails the tests: a receipt nobody checked is not a passing receipt.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import qrcode
from django.conf import settings
from django.utils import translation
from PIL import Image

from cases.models import Category
from cases.receipts import (
    QR_ERROR_CORRECTION,
    city_name,
    days_ar,
    hours_ar,
    receipt_context,
    render_receipt_html,
    render_receipt_pdf,
    tracking_url,
)
from cases.services import receipt_issue

# What pdftotext adds around right-to-left runs: LRM, RLM, embeddings/overrides, isolates.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# What the make_case fixture registers about the complainant, and the facts of the complaint.
PERSONAL = ["Fictif", "AB123456", "ab123456", "0612345678", "612345678"]
FACTS = ["هاتف محمول", "محطة القطار", "شارع محمد الخامس"]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} not found: install poppler-utils (`make test` does it through "
            "scripts/system-deps.sh, or `apt-get install poppler-utils`)",
            pytrace=False,
        )
    return path


def run(*args: str) -> str:
    done = subprocess.run([tool(args[0]), *args[1:]], capture_output=True, text=True, check=True)
    return done.stdout


def pdf_text(path: Path, *options: str) -> str:
    """pdftotext's output with its bidi control characters removed: what is left must be the
    Arabic in logical (reading) order, as typed."""
    return BIDI_MARKS.sub("", run("pdftotext", "-enc", "UTF-8", *options, str(path), "-"))


@pytest.fixture
def receipt(org, make_case, tmp_path):
    """A case registered at the counter, its receipt issued and rendered to a file."""
    case = make_case()
    code = receipt_issue(case=case, actor=org.desk)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt_pdf(case=case, tracking_code=code))
    return case, code, path


def test_is_a_one_page_a5_pdf(receipt):
    _case, _code, path = receipt
    assert path.read_bytes().startswith(b"%PDF-")
    info = run("pdfinfo", str(path))
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (420, 595)  # A5 portrait, 148 x 210 mm


def test_renders_to_a_drawn_page(receipt, tmp_path):
    _case, _code, path = receipt
    run("pdftoppm", "-r", "100", "-png", "-singlefile", str(path), str(tmp_path / "page"))
    with Image.open(tmp_path / "page.png") as image:
        assert image.size == (583, 827)  # A5 at 100 dpi
        gray = image.convert("L")
    histogram = gray.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    # Text, rules and the QR code: a blank page is 0, a page of solid ink 1 (this one is ~0.05).
    assert 0.03 < dark < 0.15, dark
    # The QR code: a square block of 2.5 mm cells that are mostly ink, about 34 mm wide. Text
    # makes only a few such cells, scattered.
    cell = 10
    cells = gray.resize((gray.width // cell, gray.height // cell), Image.Resampling.BOX)
    dense = [(x, y) for y in range(cells.height) for x in range(cells.width) if cells.getpixel((x, y)) < 128]
    block = largest_cluster(dense, reach=2)
    assert len(block) >= 30, block
    width_mm, height_mm = (
        cell * (1 + max(p[i] for p in block) - min(p[i] for p in block)) * 25.4 / 100 for i in (0, 1)
    )
    assert 25 < width_mm < 40 and 25 < height_mm < 40, (width_mm, height_mm)


def largest_cluster(points: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
    """The largest group of points chained by steps of at most `reach` in x and y."""
    left = set(points)
    best: list[tuple[int, int]] = []
    while left:
        group, todo = [], [left.pop()]
        while todo:
            x, y = todo.pop()
            group.append((x, y))
            near = {(u, v) for u, v in left if abs(u - x) <= reach and abs(v - y) <= reach}
            left -= near
            todo.extend(near)
        best = max(best, group, key=len)
    return best


def test_qr_code_on_the_page_is_the_tracking_address(receipt, tmp_path):
    """The modules printed on the page are exactly the QR code of the tracking address (which
    holds the reference but never the tracking code). No decoder is installed: the module grid is
    located on the rendered page and compared with the grid qrcode makes for the address."""
    case, code, path = receipt
    address = f"{settings.PUBLIC_BASE_URL}/track/?ref={case.reference}"
    assert tracking_url(case.reference) == address
    assert code not in address and code.replace("-", "") not in address

    qr = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=0)
    qr.add_data(address)
    qr.make(fit=True)
    expected = qr.get_matrix()

    run("pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(path), str(tmp_path / "hi"))
    with Image.open(tmp_path / "hi.png") as image:
        page = image.convert("L")
    left, top, right, bottom = locate_qr(page)
    size = len(expected)
    module_w, module_h = (right - left) / size, (bottom - top) / size
    assert abs(module_w - module_h) < 0.5, (module_w, module_h)  # a square symbol
    pixels = page.load()
    printed = [
        [pixels[int(left + (col + 0.5) * module_w), int(top + (row + 0.5) * module_h)] < 128 for col in range(size)]
        for row in range(size)
    ]
    assert printed == expected


def locate_qr(page: Image.Image) -> tuple[int, int, int, int]:
    """Bounding box (left, top, right + 1, bottom + 1) of the QR symbol on a rendered page.

    The largest group of solid 8 x 8 pixel cells is the QR code (finder pattern centres, runs of
    dark modules; bold text makes smaller groups): its box is grown pixel by pixel up to the
    white quiet zone on each side.
    """
    cell = 8
    small = page.resize((page.width // cell, page.height // cell), Image.Resampling.BOX)
    solid = [(x, y) for y in range(small.height) for x in range(small.width) if small.getpixel((x, y)) < 40]
    block = largest_cluster(solid, reach=3)
    assert len(block) >= 10, "no QR code found on the page"
    left = min(x for x, _ in block) * cell
    right = (max(x for x, _ in block) + 1) * cell
    top = min(y for _, y in block) * cell
    bottom = (max(y for _, y in block) + 1) * cell
    pixels = page.load()

    def dark_column(x: int) -> bool:
        return any(pixels[x, y] < 128 for y in range(top, bottom))

    def dark_row(y: int) -> bool:
        return any(pixels[x, y] < 128 for x in range(left, right))

    grown = True
    while grown:
        grown = False
        if dark_column(left - 1):
            left, grown = left - 1, True
        if dark_column(right):
            right, grown = right + 1, True
        if dark_row(top - 1):
            top, grown = top - 1, True
        if dark_row(bottom):
            bottom, grown = bottom + 1, True
    # The box started inside the symbol; shrink any white margin it may have started with.
    while not dark_column(left):
        left += 1
    while not dark_column(right - 1):
        right -= 1
    while not dark_row(top):
        top += 1
    while not dark_row(bottom - 1):
        bottom -= 1
    return left, top, right, bottom


def test_text_is_in_logical_order_and_has_no_personal_data(receipt):
    case, code, path = receipt
    for text in (pdf_text(path), pdf_text(path, "-layout")):
        for phrase in [
            "وصل إيداع شكاية",
            "المديرية العامة للأمن الوطني",
            "المملكة المغربية",
            case.category.name_ar,  # سرقة
            case.assigned_unit.name_ar,
            "شباك الدائرة الأمنية",
        ]:
            assert phrase in text, phrase
            # pdftotext prints Arabic in visual order if the PDF's text is not in logical order.
            assert phrase[::-1] not in text, phrase
        assert case.category.name_ar == "سرقة"
        assert case.reference in text
        assert code in text
        assert f"{settings.PUBLIC_BASE_URL}/track/?ref={case.reference}" in text
        for french in ["Récépissé de dépôt de plainte", "Direction Générale de la Sûreté Nationale"]:
            assert french in text
        assert case.category.name_fr in text  # Vol
        assert case.assigned_unit.name_fr in text
        for leak in PERSONAL + FACTS:
            assert leak not in text, leak


def test_amiri_is_embedded(receipt):
    _case, _code, path = receipt
    fonts = run("pdffonts", str(path)).splitlines()[2:]  # two header lines
    amiri = [line.split() for line in fonts if "Amiri" in line]
    assert amiri, fonts
    for columns in amiri:
        # name type... encoding emb sub uni object ID: embedded, subset, with a ToUnicode map.
        emb, sub, uni = columns[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), columns


def test_stays_on_one_page_with_the_longest_values(org, make_case, tmp_path):
    case = make_case(channel="inpplc")
    printed = Category.objects.filter(sensitivity="normal")  # sensitive ones print a neutral word
    longest = max(printed, key=lambda c: len(c.name_ar) + len(c.name_fr))
    case.category = longest
    case.assigned_unit.name_ar = "الدائرة الأمنية الثانية عشرة التابعة لمنطقة أمن الحي المحمدي عين السبع"
    case.assigned_unit.name_fr = "12e arrondissement de police de la Sûreté de Hay Mohammadi Aïn Sebaâ"
    case.assigned_unit.city = "Casablanca"
    path = tmp_path / "long.pdf"
    path.write_bytes(render_receipt_pdf(case=case, tracking_code="ABCD-EFGH-JKMN-PQRS"))
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(path)), re.M)
    text = " ".join(pdf_text(path).split())  # long values wrap: compare across line ends
    assert longest.name_ar in text
    assert "الهيئة الوطنية للنزاهة والوقاية من الرشوة ومحاربتها" in text


def test_bilingual_whatever_the_interface_language(org, make_case):
    case = make_case()
    for language in ("ar", "fr", "en"):
        with translation.override(language):
            html = render_receipt_html(case=case, tracking_code="ABCD-EFGH-JKMN-PQRS")
            assert translation.get_language() == language
        assert "وصل إيداع شكاية" in html
        assert "Récépissé de dépôt de plainte" in html
        assert 'dir="rtl"' in html and 'dir="ltr"' in html


@pytest.mark.parametrize(
    ("n", "hours", "days"),
    [
        (1, "ساعة واحدة", "يوم واحد"),
        (2, "ساعتان", "يومان"),
        (6, "6 ساعات", "6 أيام"),
        (10, "10 ساعات", "10 أيام"),
        (12, "12 ساعة", "12 يوما"),
        (48, "48 ساعة", "48 يوما"),
        (103, "103 ساعات", "103 أيام"),
        (120, "120 ساعة", "120 يوما"),
    ],
)
def test_arabic_counted_durations(n, hours, days):
    assert hours_ar(n) == hours
    assert days_ar(n) == days


@pytest.mark.parametrize("category", ["domestic_violence", "officer_misconduct"])
def test_sensitive_category_is_not_printed(make_case, org, category, tmp_path):
    """A receipt found by the wrong person must not reveal what the complaint is about."""
    case = make_case(category=category)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt_pdf(case=case, tracking_code=receipt_issue(case=case, actor=org.desk)))
    text = pdf_text(path)
    assert case.category.name_ar not in text and case.category.name_fr not in text
    assert case.reference in text and "شكاية" in text


def test_a_complaint_against_an_officer_never_names_the_inspectorate(org, make_case, tmp_path):
    """GIVEN a complaint against an officer registered at the Hassan counter WHEN its receipt is
    printed THEN it names the district of the place, a neutral category, and a reference of the
    city, never the Inspectorate (the receipt may be found at home or shown at work)."""
    case = make_case(category="officer_misconduct")
    assert case.assigned_unit == org.igsn and case.reference.startswith("RBT-")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt_pdf(case=case, tracking_code="ABCD-EFGH-JKMN-PQRS"))
    text = pdf_text(path)
    assert "المفتشية" not in text and "Inspection" not in text and "IGS" not in text
    assert org.district.name_fr in text


def test_the_arabic_side_names_the_city_in_arabic(org, make_case):
    """The Arabic column printed "Rabat" in Latin letters: the city is named in each column's
    language (from the gazetteer; a city it does not know keeps its recorded name)."""
    case = make_case()
    assert case.assigned_unit.city == "Rabat"
    context = receipt_context(case=case, tracking_code="ABCD-EFGH-JKMN-PQRS")
    assert context["city_ar"] == "الرباط"
    assert context["city_fr"] == "Rabat"
    html = render_receipt_html(case=case, tracking_code="ABCD-EFGH-JKMN-PQRS")
    arabic_column = html.split('<div class="fr"')[0].split('<div class="ar"')[1]
    assert "الرباط" in arabic_column and "Rabat" not in arabic_column
    assert city_name("Casablanca", "ar") == "الدار البيضاء"
    assert city_name("Fès", "ar") == "فاس"
    assert city_name("Ville inconnue", "ar") == "Ville inconnue"
