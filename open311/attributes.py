"""The questions (Open311 "attributes") asked with each service, declared once as data.

They are optional extras that help the officer who qualifies the complaint; the answers are appended
to the complaint's description in Arabic, the service's working language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.errors import ValidationFailed
from core.validators import sane_instant


class Datatype:
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLE = "singlevaluelist"
    MULTI = "multivaluelist"


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    description: Promise
    datatype_description: Promise | str = ""
    required: bool = False
    values: tuple[tuple[str, Promise], ...] = field(default_factory=tuple)
    variable: bool = True


INCIDENT_AT = Attribute(
    "incident_at",
    Datatype.DATETIME,
    _("When did it happen?"),
    _("Date and time, for example 2026-03-01T21:30:00+01:00."),
)
YES_NO = (("yes", _("Yes")), ("no", _("No")))

ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    "theft": (
        INCIDENT_AT,
        Attribute(
            "stolen_item",
            Datatype.SINGLE,
            _("What was stolen?"),
            values=(
                ("phone", _("Mobile phone")),
                ("vehicle", _("Vehicle or motorbike")),
                ("money", _("Money or bank card")),
                ("documents", _("Identity documents")),
                ("other", _("Something else")),
            ),
        ),
    ),
    "traffic_accident": (
        INCIDENT_AT,
        Attribute("injured", Datatype.SINGLE, _("Was anyone injured?"), required=True, values=YES_NO),
    ),
    "nuisance": (
        Attribute(
            "nuisance_kind",
            Datatype.MULTI,
            _("What kind of nuisance?"),
            values=(
                ("noise", _("Noise")),
                ("gathering", _("Gathering on the public road")),
                ("parking", _("Parking blocking the way")),
                ("other", _("Something else")),
            ),
        ),
        Attribute("ongoing", Datatype.SINGLE, _("Is it still going on?"), values=YES_NO),
    ),
    "cybercrime": (
        INCIDENT_AT,
        Attribute("platform", Datatype.STRING, _("Which website, application or network?")),
    ),
}


def attributes_for(service_code: str) -> tuple[Attribute, ...]:
    return ATTRIBUTES.get(service_code, (INCIDENT_AT,))


def _check_one(attribute: Attribute, raw: list[str]) -> str:
    """Validate one answer and return it as a line for the description (labels in Arabic)."""
    values = [v.strip() for v in raw if v.strip()]
    invalid = ValidationFailed(
        _("The answer to %(code)s is not valid.") % {"code": attribute.code}, fields={attribute.code: _("Invalid.")}
    )
    if attribute.datatype in (Datatype.SINGLE, Datatype.MULTI):
        names = dict(attribute.values)
        if any(v not in names for v in values) or (attribute.datatype == Datatype.SINGLE and len(values) > 1):
            raise invalid
        return "، ".join(str(names[v]) for v in values)
    if len(values) > 1:
        raise invalid
    value = values[0]
    if attribute.datatype == Datatype.NUMBER:
        try:
            if not math.isfinite(float(value)):
                raise invalid
        except ValueError:
            raise invalid from None
    elif attribute.datatype == Datatype.DATETIME:
        try:
            moment = parse_datetime(value)
            if moment is None and parse_date(value) is None:
                raise invalid
            if moment is not None:
                value = timezone.localtime(sane_instant(moment)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            raise invalid from None
    limit = 2000 if attribute.datatype == Datatype.TEXT else 200
    if len(value) > limit:
        raise invalid
    return value


def answers_as_text(service_code: str, answers: dict[str, list[str]]) -> str:
    """Check the answers against the service definition; unknown codes and missing required
    answers are refused. Returns the lines appended to the description."""
    declared = {a.code: a for a in attributes_for(service_code)}
    unknown = sorted(set(answers) - set(declared))
    if unknown:
        raise ValidationFailed(
            _("Unknown attribute: %(codes)s.") % {"codes": ", ".join(unknown)},
            fields={code: _("Unknown.") for code in unknown},
        )
    lines: list[str] = []
    for attribute in declared.values():
        raw = answers.get(attribute.code, [])
        if not any(v.strip() for v in raw):
            if attribute.required:
                raise ValidationFailed(
                    _("The attribute %(code)s is required.") % {"code": attribute.code},
                    fields={attribute.code: _("Required.")},
                )
            continue
        with override("ar"):
            lines.append(f"{attribute.description}: {_check_one(attribute, raw)}")
    return "\n".join(lines)


# The spec's datatype_description, "a description of the datatype which helps the user provide their
# input", for an attribute that declares none of its own: never an empty element.
DATATYPE_DESCRIPTIONS = {
    Datatype.STRING: _("Text on one line, at most 200 characters."),
    Datatype.NUMBER: _("A number, for example 2 or 3.5."),
    Datatype.DATETIME: _("Date and time, for example 2026-03-01T21:30:00+01:00."),
    Datatype.TEXT: _("Text, on several lines if needed, at most 2000 characters."),
    Datatype.SINGLE: _("One of the values listed."),
    Datatype.MULTI: _("One or more of the values listed."),
}


def definition_rows(service_code: str) -> list[dict[str, Any]]:
    """The service definition's attributes, in the spec's field order."""
    return [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": str(a.datatype_description or DATATYPE_DESCRIPTIONS[a.datatype]),
            "order": order,
            "description": str(a.description),
            "values": [{"key": key, "name": str(name)} for key, name in a.values],
        }
        for order, a in enumerate(attributes_for(service_code), start=1)
    ]
