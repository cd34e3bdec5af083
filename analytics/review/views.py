"""Pages of the annual review (/review/): the jurisdiction's roll-up for a year, a unit's review
(figures filled from the indicators and validated results, the head's texts, the comment and
freeze of the level above), its objectives, and the units short of the same target two years
running. Views parse, call a selector or a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from analytics.review import selectors, services
from analytics.review.choices import Status
from analytics.review.display import results_for_page, rows_for_page, value_text
from analytics.review.figures import metric_label
from analytics.review.forms import FreezeForm, ReviewTextsForm
from core.errors import DomainError, ValidationFailed
from core.http import form_error, page_errors, role_required
from media.selectors import annual_drafts_to_approve
from org import access
from org.models import User

REVIEW_ROLES = access.roles_for(access.REVIEW)


def viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or str(timezone.localdate().year)
    if not raw.isdigit() or int(raw) not in selectors.YEARS:
        raise ValidationFailed(_("Write the year as 2026."), fields={"year": _("A year such as 2026.")})
    return int(raw)


@login_required
@page_errors
@role_required(*REVIEW_ROLES)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The jurisdiction's roll-up for the year (national for the central unit)."""
    year = _year(request)
    data = selectors.rollup(viewer(request), year)
    context = {
        **data,
        "year": year,
        "own": rows_for_page(data["own"]),
        "results": results_for_page(data["results"]),
        "statuses": [(s, Status(s).label) for s in Status.values],
        "alerts": [
            {
                "alert": a,
                "label": metric_label(a.objective.metric),
                "value": value_text(a.objective.metric, a.value),
                "interim": value_text(a.objective.metric, a.interim),
            }
            for a in selectors.alerts_for(viewer(request))
        ],
        "to_approve": list(annual_drafts_to_approve(viewer(request))[:5]),
    }
    return render(request, "analytics/review/index.html", context)


def _detail(request: HttpRequest, unit_id: int, year: int, *, status: int = 200, bound: Any = None) -> HttpResponse:
    user = viewer(request)
    unit = selectors.review_unit(user, unit_id)
    selectors.check_year(year)
    page = selectors.review_page(user, unit, year)
    review = page.review
    initial = {k: getattr(review, k) for k in ("achievements", "challenges", "constraints")} if review else {}
    forms = {"texts": ReviewTextsForm(initial=initial), "freeze": FreezeForm()}
    if bound:
        forms[bound[0]] = bound[1]
    frozen = bool(review and review.frozen)
    context = {
        "page": page,
        "unit": unit,
        "year": year,
        "review": review,
        "state": page.state,
        "frozen": frozen,
        "figures": rows_for_page(page.rows),
        "results": results_for_page(page.results),
        "forms": forms,
        "can_write": page.may_write and not frozen,
        "can_freeze": page.may_oversee and page.state == "submitted",
        "trail": [u for u in [*unit.ancestors(), unit] if user.unit and u.path.startswith(user.unit.path)],
    }
    return render(request, "analytics/review/detail.html", context, status=status)


@login_required
@page_errors
@require_GET
def detail(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    return _detail(request, unit_id, year)


def _post(
    request: HttpRequest,
    key: str,
    form: BaseForm,
    call: Callable[[dict[str, Any]], Any],
    done: Any,
    back: Callable[..., HttpResponse],
) -> HttpResponse:
    """Run one form of a review page: the service, then back to the page; or the page again with the
    refusal on the form and its status."""
    if not form.is_valid():
        return back(status=422, bound=(key, form))
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        status = form_error(form, exc)
        return back(status=status, bound=(key, form))
    messages.success(request, done)
    return back()


def _back_to_detail(request: HttpRequest, unit_id: int, year: int) -> Callable[..., HttpResponse]:
    def back(status: int = 302, bound: Any = None) -> HttpResponse:
        if status == 302:
            return redirect("review:detail", unit_id=unit_id, year=year)
        return _detail(request, unit_id, year, status=status, bound=bound)

    return back


def _unit_and_year(request: HttpRequest, unit_id: int, year: int) -> Any:
    unit = selectors.review_unit(viewer(request), unit_id)
    return unit, selectors.check_year(year)


@login_required
@page_errors
@require_POST
def save(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """The head's texts; the "submit" button sends the review to the level above."""
    unit, year = _unit_and_year(request, unit_id, year)
    submit = "submit" in request.POST

    return _post(
        request,
        "texts",
        ReviewTextsForm(request.POST),
        lambda d: services.review_save(actor=viewer(request), unit=unit, year=year, texts=d, submit=submit),
        _("The review was submitted to the level above.") if submit else _("The review was saved."),
        _back_to_detail(request, unit.pk, year),
    )


@login_required
@page_errors
@require_POST
def freeze(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """The level above comments and freezes a submitted review."""
    unit, year = _unit_and_year(request, unit_id, year)

    return _post(
        request,
        "freeze",
        FreezeForm(request.POST),
        lambda d: services.review_freeze(actor=viewer(request), unit=unit, year=year, comment=d["comment"]),
        _("The review was commented and frozen."),
        _back_to_detail(request, unit.pk, year),
    )


@login_required
@page_errors
@require_GET
def shortfalls(request: HttpRequest, year: int) -> HttpResponse:
    """Units of the jurisdiction red on the same target this year and the year before."""
    user = viewer(request)
    selectors.review_unit(user)
    selectors.check_year(year)
    rows = [
        {
            **r,
            "display": rows_for_page([r["this"]])["targets"][0],
            "before_display": rows_for_page([r["before"]])["targets"][0],
        }
        for r in selectors.shortfalls(user, year)
    ]
    return render(request, "analytics/review/shortfalls.html", {"year": year, "rows": rows})
