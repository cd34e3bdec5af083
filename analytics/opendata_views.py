"""The public open-data page and its downloads (no sign-in; rate-limited per address)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from analytics.opendata import SCHEMA, SMALL_CELL, monthly_rows, months_between
from core.errors import DomainError, NotFound
from core.http import json_error, page_errors
from core.net import client_ip
from org.ratelimit import Rule, limit

RATE = Rule(120, 60)


@page_errors
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What is published, how, and the schema of a row."""
    limit(f"opendata:ip:{client_ip(request)}", RATE)
    months = months_between(None, None)
    return render(
        request,
        "analytics/open_data.html",
        {"schema": SCHEMA, "small_cell_max": SMALL_CELL - 1, "first": months[0].key, "last": months[-1].key},
    )


@require_GET
def monthly(request: HttpRequest, fmt: str) -> HttpResponse:
    """Monthly counts by category and province (`?from=YYYY-MM&to=YYYY-MM`), as CSV or JSON."""
    try:
        if fmt not in ("csv", "json"):
            raise NotFound(_("Open data is published as CSV or JSON."))
        limit(f"opendata:ip:{client_ip(request)}", RATE)
        months = months_between(request.GET.get("from"), request.GET.get("to"))
    except DomainError as exc:
        return json_error(exc)
    rows = monthly_rows(months)
    if fmt == "json":
        return JsonResponse(
            {
                "schema": [{"field": f, "type": t, "description": str(d)} for f, t, d in SCHEMA],
                "small_cell": SMALL_CELL,
                "months": [m.key for m in months],
                "rows": rows,
            },
            json_dumps_params={"ensure_ascii": False},
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f for f, _t, _d in SCHEMA])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="amane-open-data-monthly.csv"'
    return response
