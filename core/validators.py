"""Validators for Moroccan identifiers: CNIE numbers and +212 phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed

# A CNIE number is one or two capital letters (the issuing prefecture) followed by digits,
# 1 to 6 of them for older cards, for example "BE123456" or "A12345".
CNIE_RE = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
# Moroccan numbers: 9 digits after +212 (or a leading 0 at home); mobiles start with 6 or 7,
# landlines with 5, and 8 for some services.
PHONE_RE = re.compile(r"^\+212[5-8][0-9]{8}$")


# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits typed on an Arabic keyboard.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_cnie(raw: str) -> str:
    value = re.sub(r"[\s\-]", "", (raw or "").translate(_DIGITS)).upper()
    if not CNIE_RE.match(value) or not re.search(r"[1-9]", value):
        raise ValidationFailed(
            _("The CNIE number is not valid: one or two letters followed by up to six digits."),
            fields={"cnie": _("Invalid CNIE number.")},
        )
    return value


def normalize_phone(raw: str) -> str:
    value = re.sub(r"[\s\-().]", "", (raw or "").translate(_DIGITS))
    if value.startswith("00212"):
        value = "+212" + value[5:]
    elif value.startswith("212"):
        value = "+" + value
    elif value.startswith("0") and len(value) == 10:
        value = "+212" + value[1:]
    if not PHONE_RE.match(value):
        raise ValidationFailed(
            _("The phone number is not a valid Moroccan number (+212 followed by 9 digits)."),
            fields={"phone": _("Invalid phone number.")},
        )
    return value


# Real time-zone offsets run from UTC-12:00 to UTC+14:00 (PostgreSQL refuses beyond ±15:59).
MAX_OFFSET = timedelta(hours=14)
# Dates outside this window are typing mistakes (and years 1 or 9999 overflow on conversion).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def sane_instant(value: datetime) -> datetime:
    """`value` as an aware datetime (a naive one is read in the service's time zone); ValueError
    for an offset no clock has or a year outside 1900..2199."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValueError("time zone offset out of range")
    if not EARLIEST.year <= value.year < LATEST.year:
        raise ValueError("date out of range")
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value


def require_fields(action: Any, required: Iterable[str], data: Any, labels: Mapping[str, Any]) -> None:
    """Refuse, naming every one in the same answer, the `required` attributes of `data` left empty
    (None or blank text). `action` and `labels` are the workflow's words for the act and its fields."""
    missing = {}
    for name in required:
        value = getattr(data, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing[name] = _("%(field)s is required.") % {"field": labels[name]}
    if missing:
        raise ValidationFailed(
            _("%(action)s needs: %(fields)s.")
            % {"action": action, "fields": ", ".join(str(labels[n]) for n in missing)},
            fields=missing,
        )
