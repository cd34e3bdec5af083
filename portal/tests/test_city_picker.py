"""Issue 11, routing on the phone: a city picker and "use my location" on the filing page; a typed
address, with the city picked, lands at the district of its neighbourhood."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from cases.models import Case
from org.tests.factories import PASSWORD
from portal.tests.factories import filing_post

CASABLANCA = "06.141.01.0"


def test_filing_page_offers_a_city_list_and_my_location(db):
    html = Client().get("/file/").content.decode()
    picker = re.search(r'<select name="city"[^>]*>(.*?)</select>', html, re.S)
    assert picker, "a city picker"
    assert re.search(rf'<option value="{re.escape(CASABLANCA)}">الدار البيضاء</option>', picker.group(1))
    assert 'id="use-location"' in html


def test_city_names_follow_the_page_language(db):
    client = Client()
    client.cookies["django_language"] = "fr"
    html = client.get("/file/").content.decode()
    assert f'<option value="{CASABLANCA}">Casablanca</option>' in html


def test_typed_address_with_picked_city_lands_at_the_neighbourhoods_district(org):
    response = filing_post(Client(), address="Rue 7, Maârif", city=CASABLANCA, latitude="", longitude="")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.assigned_unit == org.district2
    assert case.latitude is None


def test_unknown_city_is_a_form_error(org):
    response = filing_post(Client(), city="99.999", latitude="", longitude="")
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_intake_coordinates_show_no_placeholder_values(org):
    # Grey "34.0209" / "-6.8416" in empty fields read as coordinates already filled in.
    client = Client()
    assert client.login(username="desk", password=PASSWORD)
    html = client.get(reverse("cases:intake")).content.decode()
    for name in ("latitude", "longitude"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert not re.search(r'placeholder="[-\d.,\s]+"', tag), tag
