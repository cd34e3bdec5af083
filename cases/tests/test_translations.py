"""The Arabic and French catalogues are complete, clean and compiled.

Every msgid has a real translation (no empty msgstr, no fuzzy entry), keeps the placeholders and
markup of its source, and the committed .mo says exactly what the .po says (a .po edited without
`compilemessages` fails here).
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
# Apps built later keep their own catalogues (APP/locale), so two teams never edit one .po file.
CATALOGUES = [LOCALE, *(p.parents[2] for p in sorted(ROOT.glob("*/locale/ar/LC_MESSAGES/django.po")))]
TRANSLATED = ("ar", "fr")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w+\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for what makemessages writes (no polib needed)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=lineno)
            entries.append(entry)
        return entry

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start(lineno).flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            start(lineno).msgctxt = ast.literal_eval(line[8:])
            target = ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural = ast.literal_eval(line[13:])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            start(lineno).msgid = ast.literal_eval(line[6:])
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            m = re.match(r"msgstr(?:\[(\d+)\])?\s+(\".*\")$", line)
            index = int(m.group(1) or 0)
            entry.msgstr[index] = ast.literal_eval(m.group(2))
            target = ("msgstr", index)
        elif line.startswith('"') and entry is not None and target is not None:
            chunk = ast.literal_eval(line)
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += chunk
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + chunk)
    return entries


def catalogue(lang: str, base: Path = LOCALE) -> list[Entry]:
    path = base / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make messages`"
    return parse_po(path)


def mo_key(entry: Entry):
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return msgid


@pytest.mark.parametrize("base", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang, base):
    entries = catalogue(lang, base)
    messages = [e for e in entries if e.msgid]
    assert len(messages) > (100 if base == LOCALE else 0)
    header = next(e for e in entries if not e.msgid)
    assert "fuzzy" not in header.flags
    assert f"Language: {lang}\n" in header.msgstr[0]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries in {lang}: {fuzzy}"
    empty = [e.msgid for e in messages if not all(v.strip() for v in e.msgstr.values())]
    assert not empty, f"untranslated in {lang}: {empty}"


@pytest.mark.parametrize("base", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_placeholders_and_markup(lang, base):
    for e in catalogue(lang, base):
        if not e.msgid:
            continue
        for text in e.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(e.msgid)), e.msgid
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(e.msgid)), e.msgid


@pytest.mark.parametrize("base", CATALOGUES, ids=lambda p: p.parent.name)
def test_arabic_is_written_in_arabic(base):
    # Identifiers such as "INPPLC" may stay Latin in French, never all of Arabic.
    latin_only = [
        e.msgid
        for e in catalogue("ar", base)
        if e.msgid and not re.search(r"[\u0600-\u06FF]", "".join(e.msgstr.values()))
    ]
    assert not latin_only, latin_only


@pytest.mark.parametrize("base", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("lang", ("ar", "fr", "en"))
def test_compiled_catalogue_matches_the_po(lang, base):
    """The committed .mo holds exactly the .po's translations (compilemessages was run)."""
    mo_path = base / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `manage.py compilemessages`"
    with mo_path.open("rb") as fh:
        compiled = gnu_gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for e in catalogue(lang, base):
        if not e.msgid or "fuzzy" in e.flags or not any(e.msgstr.values()):
            continue
        if e.msgid_plural is None:
            assert compiled.get(mo_key(e)) == e.msgstr[0], f"stale .mo for {lang}: {e.msgid!r}"
        else:
            for n, text in e.msgstr.items():
                assert compiled.get((mo_key(e), n)) == text, f"stale .mo for {lang}: {e.msgid!r}"


def test_django_serves_the_catalogues():
    with translation.override("ar"):
        assert gettext("My cases") == "شكاياتي"
        assert gettext("Refer to the prosecutor") == "الإحالة على النيابة العامة"
        assert gettext("The place is outside Morocco. Check the coordinates.").startswith("المكان خارج المغرب")
        assert translation.get_language_bidi()
    with translation.override("fr"):
        assert gettext("My cases") == "Mes plaintes"
        assert gettext("Refer to the prosecutor") == "Transmettre au parquet"
        assert not translation.get_language_bidi()
    with translation.override("en"):
        assert gettext("My cases") == "My cases"
