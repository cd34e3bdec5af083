"""Every staff and citizen page, in Arabic, is in Arabic.

GIVEN the access test's world (the test organisation, a reader of every role in every relation, a
     complaint of each sensitivity) with Arabic as the interface language
WHEN each reader opens every page (GET, HTML) of the URL configuration that answers them 200
THEN the visible text (text, placeholders, titles, labels) has no Latin-script word except names,
     codes and references: what is marked as such (`dir="ltr"`, `translate="no"`, another `lang`),
     the people's and accounts' own names, and the short list of codes below (CNIE, SMS, P1 ...).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from amane.tests.test_access_matrix import ROUTES, build_world, call, readers
from org.models import Unit, User

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9'’-]+")
# Codes, acronyms and names Arabic administrative text writes in Latin letters: formats and
# protocols, institutions' acronyms, keyboard keys, the authenticator apps a user installs, the
# product's own name, and the languages of the language pickers written in their own names.
CODES = {
    *("CNIE", "SMS", "PDF", "JPEG", "PNG", "WebP", "QR", "API", "Open311", "OpenAPI", "JSON", "XML", "CSV"),
    *("GeoJSON", "HTTP", "HTTPS", "TOTP", "OpenID", "Connect", "H3", "Leaflet", "OpenStreetMap"),
    *("DGSN", "IGSN", "INPPLC", "CNDH", "Ctrl", "Enter", "Esc", "Tab"),
    *("Google", "Microsoft", "Authenticator", "Aegis", "FreeOTP", "Amane"),
    *("Français", "English"),
}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "svg"}
# Pages that are not the product's Arabic interface: machine documents and the demo identity provider.
NOT_PAGES = ("api-", "open311:", "identity:idp", "identity:jwks", "identity:oidc", "identity:ttp")


class Visible(HTMLParser):
    """The text a reader sees, minus what is marked as Latin on purpose."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it a Latin zone?
        self.texts: list[str] = []

    def _latin_zone(self, tag: str, attrs: dict[str, str | None]) -> bool:
        lang = (attrs.get("lang") or "ar")[:2]
        return (
            tag in SKIPPED_TAGS
            or tag == "bdi"  # an isolated value: a date, a reference, a file's name
            or attrs.get("dir") == "ltr"
            or attrs.get("translate") == "no"
            or lang not in ("ar", "")
            or attrs.get("type") in ("hidden",)
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = any(self.stack)
        if not inside and not self._latin_zone(tag, a):
            self.texts += [a[name] or "" for name in SHOWN_ATTRIBUTES if a.get(name)]
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base"}:
            self.stack.append(self._latin_zone(tag, a))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.texts.append(data)


def latin_words(html: str, allowed: set[str]) -> set[str]:
    parser = Visible()
    parser.feed(html)
    text = " ".join(parser.texts)
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)  # addresses, paths
    return {w for w in LATIN_WORD.findall(text) if w not in allowed and w.strip("-'’") not in allowed}


def test_every_page_in_arabic_is_in_arabic(settings):
    settings.AMANE_LIVE_BACKEND = "memory"
    settings.AMANE_RATE_LOGIN = settings.AMANE_RATE_TRACKING = settings.AMANE_RATE_FILING = "100000/600"
    settings.LANGUAGE_CODE = "ar"
    world = build_world()
    allowed = set(CODES)
    for user in User.objects.all():
        allowed |= {user.username, user.first_name, user.last_name, *re.split(r"[._@]", user.username)}
    allowed |= {c.reference for c in world.cases.values()}
    allowed |= set(Unit.objects.values_list("code", flat=True))
    allowed |= {f"P{n}" for n in range(1, 5)}  # line-19 priorities
    found: dict[str, set[str]] = {}
    for name, route in sorted(ROUTES.items()):
        if route.method != "get" or route.json or name.startswith(NOT_PAGES):
            continue
        for who in readers():
            for _sensitivity, case in world.cases.items() if route.per_case else [(None, None)]:
                response = call(world, who, route, case)
                if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                    continue
                words = latin_words(response.content.decode(), allowed)
                if words:
                    found.setdefault(name, set()).update(words)
    assert found == {}, "\n".join(f"{name}: {sorted(words)}" for name, words in sorted(found.items()))
