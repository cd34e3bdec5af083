"""Every table of the dashboards as CSV or XLSX, with the viewer's filters (unit, period) applied.

Cells are the same numbers the page shows, unrounded; text cells that a spreadsheet would read as a
formula are quoted (CSV injection). The records export carries no personal data: reference,
category, state, unit and dates only.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
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


def table(
    user: User, unit: Unit, period: Period, name: str, records: str = ""
) -> tuple[list[str], list[list[Any]], str]:
    """(header, rows, title) of one table of the unit's dashboard."""
    if name == "indicators":
        header = [
            str(_("Code")),
            str(_("Indicator")),
            period.key,
            str(_("Previous period")),
            str(_("Same period last year")),
            str(_("Formula")),
        ]
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
        return header, rows, str(_("Indicators"))
    if name == "units":
        header = [str(_("Unit code")), str(_("Unit")), *(str(INDICATORS[c].label) for c in CHILD_COLUMNS)]
        rows = [
            [r["unit"].code, r["unit"].display_name, *(_num(r["cells"][c]) for c in CHILD_COLUMNS)]
            for r in child_table(user, unit, period)
        ]
        return header, rows, str(_("Units"))
    if name == "priorities":
        codes = [c for c, i in INDICATORS.items() if i.family == "line19"]
        header = [str(_("Priority")), *(str(INDICATORS[c].label) for c in codes)]
        rows = [[p["priority"], *(_num(p["cells"][c]) for c in codes)] for p in priority_table(user, unit, period)]
        return header, rows, str(_("Line 19 by priority"))
    if name == "records":
        header = [
            str(_("Reference")),
            str(_("Category")),
            str(_("State")),
            str(_("Unit")),
            str(_("Registered at")),
            str(_("Overdue")),
            str(_("Closed at")),
        ]
        qs = records_behind(user, unit, records, period)[:MAX_RECORDS]
        rows = [
            [
                c.reference,
                c.category.name,
                str(State(c.state).label),
                c.assigned_unit.display_name,
                timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
                c.overdue,
                timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            ]
            for c in qs
        ]
        return header, rows, str(_("Records"))
    raise NotFound(_("No such export."))


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
