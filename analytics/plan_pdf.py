"""The shift's patrol plan as a PDF (WeasyPrint, Amiri for Arabic), in the reader's language.

The map is an SVG drawn here from the cells' corners (a local equirectangular projection: the plan
covers a few kilometres), so the PDF needs no tiles, no script and no network.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.template import loader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from analytics.patrol_plan import Plan
from cases.receipts import _font_config  # one font configuration per thread, shared with receipts

SVG_SIZE = 400.0


def plan_svg(plan: Plan) -> dict[str, Any]:
    """Polygons (SVG points) and label positions of the plan's cells, fitted in a square."""
    corners = [p for c in plan.cells for p in c.boundary]
    if not corners:
        return {"size": SVG_SIZE, "cells": []}
    lat0 = sum(p[0] for p in corners) / len(corners)
    k = math.cos(math.radians(lat0))
    xs, ys = [p[1] * k for p in corners], [p[0] for p in corners]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-6
    scale = SVG_SIZE * 0.9 / span
    x0 = min(xs) - (span - (max(xs) - min(xs))) / 2 - span * 0.05 / 0.9
    y1 = max(ys) + (span - (max(ys) - min(ys))) / 2 + span * 0.05 / 0.9

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return round((lon * k - x0) * scale, 1), round((y1 - lat) * scale, 1)

    cells = []
    for c in plan.cells:
        points = " ".join(f"{x},{y}" for x, y in (xy(a, b) for a, b in c.boundary))
        cx, cy = xy(*c.centre)
        cells.append({"rank": c.rank, "points": points, "x": cx, "y": cy})
    return {"size": SVG_SIZE, "cells": cells}


def render_plan_pdf(context: dict[str, Any]) -> bytes:
    """The plan page's context (see `views_blackspots.plan_context`) as A4 PDF bytes."""
    html = loader.get_template("analytics/blackspots/plan_pdf.html").render(
        {**context, "svg": plan_svg(context["plan"])}
    )
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher).write_pdf(
        font_config=_font_config()
    )
    assert pdf is not None
    return pdf
