"""Every table of the dashboards as CSV or XLSX, with the viewer's filters (unit, period) applied.

Cells are the same numbers the page shows, unrounded; text cells that a spreadsheet would read as a
formula are quoted (CSV injection). The records export carries no personal data: reference,
category, state, unit and dates only.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from analytics.indicators import INDICATORS
from analytics.periods import Period
from analytics.selectors import CHILD_COLUMNS, child_table, indicator_table, priority_table, records_behind
from cases.choices import State
from core.errors import NotFound
from org.models import Unit, User

TABLES = {
    "indicators": _("Indicators"),
    "units": _("Units"),
    "priorities": _("Line 19 by priority"),
    "records": _("Records"),
}
FORMATS = ("csv", "xlsx")
MAX_RECORDS = 50_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _num(value: float | None) -> float | int | str | None:
    if value is None:
        return None
    if math.isinf(value):
        return "> 60"
    return round(value, 4) if isinstance(value, float) else value


def _text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


Table = tuple[list[str], list[list[Any]], str]


def _indicators(user: User, unit: Unit, period: Period, records: str) -> Table:
    header = [_("Code"), _("Indicator"), period.key, _("Previous period"), _("Same period last year"), _("Formula")]
    rows = [
        [
            f.indicator.code,
            str(f.indicator.label),
            _num(f.value),
            _num(f.previous),
            _num(f.last_year),
            f.indicator.formula,
        ]
        for f in indicator_table(user, unit, period)
    ]
    return [str(h) for h in header], rows, str(_("Indicators"))


def _units(user: User, unit: Unit, period: Period, records: str) -> Table:
    header = [str(_("Unit code")), str(_("Unit")), *(str(INDICATORS[c].label) for c in CHILD_COLUMNS)]
    rows = [
        [r["unit"].code, r["unit"].display_name, *(_num(r["cells"][c]) for c in CHILD_COLUMNS)]
        for r in child_table(user, unit, period)
    ]
    return header, rows, str(_("Units"))


def _priorities(user: User, unit: Unit, period: Period, records: str) -> Table:
    codes = [c for c, i in INDICATORS.items() if i.family == "line19"]
    header = [str(_("Priority")), *(str(INDICATORS[c].label) for c in codes)]
    rows = [[p["priority"], *(_num(p["cells"][c]) for c in codes)] for p in priority_table(user, unit, period)]
    return header, rows, str(_("Line 19 by priority"))


def _when(at: Any) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def _records(user: User, unit: Unit, period: Period, records: str) -> Table:
    header = [_("Reference"), _("Category"), _("State"), _("Unit"), _("Registered at"), _("Overdue"), _("Closed at")]
    rows: list[list[Any]] = [
        [
            c.reference,
            c.category.name,
            str(State(c.state).label),
            c.assigned_unit.display_name,
            _when(c.created_at),
            c.overdue,
            _when(c.closed_at),
        ]
        for c in records_behind(user, unit, records, period)[:MAX_RECORDS]
    ]
    return [str(h) for h in header], rows, str(_("Records"))


BUILDERS: dict[str, Callable[[User, Unit, Period, str], Table]] = {
    "indicators": _indicators,
    "units": _units,
    "priorities": _priorities,
    "records": _records,
}


def table(user: User, unit: Unit, period: Period, name: str, records: str = "") -> Table:
    """(header, rows, title) of one table of the unit's dashboard (`records`: which figure's list)."""
    build = BUILDERS.get(name)
    if build is None:
        raise NotFound(_("No such export."))
    return build(user, unit, period, records)


def respond(fmt: str, header: Sequence[str], rows: Sequence[Sequence[Any]], filename: str, title: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_text(h) for h in header])
        for row in rows:
            writer.writerow(["" if v is None else _text(v) for v in row])
        # A byte-order mark so that spreadsheets read the Arabic as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=title[:31] or "Amane")
        sheet.sheet_view.rightToLeft = (get_language() or "ar").startswith("ar")
        sheet.append([_text(h) for h in header])
        for row in rows:
            sheet.append([_text(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
