"""The citizen's pages speak the language the citizen chose, down to the help texts.

GIVEN the filing form, whose description help names its limit
WHEN it is shown in French, in English, then in Arabic
THEN the help text is in that language: it is translated when the page is made, never once at
     import time in whatever language was active then.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from cases.services import DESCRIPTION_MAX

pytestmark = pytest.mark.django_db

HELP = "Describe the facts: what, when, who was involved (at most %(n)s characters)."


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_filing_help_text_follows_the_page_language(org, client, language):
    with translation.override(language):
        expected = gettext(HELP) % {"n": DESCRIPTION_MAX}
    others = []
    for other in {"fr", "en", "ar"} - {language}:
        with translation.override(other):
            others.append(gettext(HELP) % {"n": DESCRIPTION_MAX})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/file/").content.decode()
    assert expected in page
    assert not [text for text in others if text != expected and text in page]


def test_the_assurance_level_is_a_word_of_the_page_not_a_code(org, client):
    """The filing page showed a signed-in citizen's level of assurance as the provider's code
    ("substantial"), in English on the Arabic page."""
    from identity.tests.factories import login_citizen, make_citizen

    login_citizen(client, make_citizen(assurance_level="substantial"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/file/").content.decode()
    with translation.override("ar"):
        assert gettext("substantial") in page
    assert "substantial" not in page
