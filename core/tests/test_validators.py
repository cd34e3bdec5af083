import io

import pytest
from django.test import override_settings
from django.utils import translation

from core.errors import ValidationFailed
from core.files import check_attachment
from core.geo import geojson_contains, haversine_m, in_morocco, validate_point
from core.validators import normalize_cnie, normalize_phone


@pytest.mark.parametrize(
    "raw,expected",
    [("ab123456", "AB123456"), (" BE 654321 ", "BE654321"), ("A1234", "A1234"), ("BE٦٥٤٣٢١", "BE654321")],
)
def test_cnie_normalised(raw, expected):
    assert normalize_cnie(raw) == expected


@pytest.mark.parametrize("raw", ["", "123456", "ABC12345", "AB1234567", "AB-12X456", "AB000000"])
def test_cnie_refused(raw):
    with pytest.raises(ValidationFailed) as exc:
        normalize_cnie(raw)
    assert "cnie" in exc.value.fields


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),
        ("0612345678", "+212612345678"),
        ("+212 7 12 34 56 78", "+212712345678"),
        ("00212522123456", "+212522123456"),
    ],
)
def test_phone_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["061234567", "+33612345678", "0912345678", "phone", "+2126123456789"])
def test_phone_refused(raw):
    with pytest.raises(ValidationFailed) as exc:
        normalize_phone(raw)
    assert "phone" in exc.value.fields


@pytest.mark.parametrize(
    "name,lat,lon",
    [
        ("Casablanca", 33.5731, -7.5898),
        ("Rabat", 34.0209, -6.8416),
        ("Tanger", 35.7595, -5.8340),
        ("Oujda", 34.6814, -1.9086),
        ("Fès", 34.0331, -5.0003),
        ("Agadir", 30.4278, -9.5981),
        ("Laâyoune", 27.1536, -13.2033),
        ("Dakhla", 23.6848, -15.9580),
        ("Errachidia", 31.9314, -4.4244),
    ],
)
def test_moroccan_cities_inside(name, lat, lon):
    assert in_morocco(lat, lon), name


@pytest.mark.parametrize(
    "name,lat,lon",
    [
        ("Madrid", 40.4168, -3.7038),
        ("Algiers", 36.7538, 3.0588),
        ("Tlemcen", 34.8783, -1.3150),
        ("Béchar", 31.6238, -2.2162),
        ("Nouakchott", 18.0735, -15.9582),
        ("Atlantic", 32.0, -12.0),
        ("Las Palmas", 28.1235, -15.4363),
        ("Null Island", 0.0, 0.0),
    ],
)
def test_places_abroad_outside(name, lat, lon):
    assert not in_morocco(lat, lon), name
    with pytest.raises(ValidationFailed):
        validate_point(lat, lon)


def test_half_a_point_is_refused():
    with pytest.raises(ValidationFailed):
        validate_point(34.0, None)
    validate_point(None, None)


def test_haversine_rabat_casablanca():
    # Rabat → Casablanca is about 87 km as the crow flies.
    assert 80_000 < haversine_m(34.0209, -6.8416, 33.5731, -7.5898) < 95_000


def test_geojson_polygon_with_hole():
    square = [[-7.0, 33.0], [-6.0, 33.0], [-6.0, 34.0], [-7.0, 34.0], [-7.0, 33.0]]
    hole = [[-6.6, 33.4], [-6.4, 33.4], [-6.4, 33.6], [-6.6, 33.6], [-6.6, 33.4]]
    poly = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square, hole]}}
    assert geojson_contains(poly, 33.2, -6.8)
    assert not geojson_contains(poly, 33.5, -6.5)
    assert not geojson_contains(poly, 35.0, -6.5)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"x" * 100


def test_attachment_accepted_by_content():
    assert check_attachment("scan.pdf", len(PDF), PDF[:64]).content_type == "application/pdf"
    assert check_attachment("photo.PNG", len(PNG), PNG[:64]).content_type == "image/png"


@pytest.mark.parametrize(
    "name,content,field_msg",
    [
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 60, "File type not accepted."),  # a Windows executable
        ("notes.pdf", b"<script>alert(1)</script>", "File type not accepted."),
        ("invoice.jpg", PDF, "Disguised file."),  # a PDF named .jpg
        ("empty.png", b"", "Empty file."),
    ],
)
@translation.override("en")
def test_attachment_refused(name, content, field_msg):
    with pytest.raises(ValidationFailed) as exc:
        check_attachment(name, len(content), io.BytesIO(content).read(64))
    assert str(exc.value.fields["attachment"]) == field_msg


@override_settings(ATTACHMENT_MAX_BYTES=1024)
@translation.override("en")
def test_attachment_too_large():
    with pytest.raises(ValidationFailed) as exc:
        check_attachment("big.pdf", 2048, PDF[:64])
    assert str(exc.value.fields["attachment"]) == "File too large."
