"""The objectives page of a unit and year: the objectives in force (own and inherited), and for a
chief of the level above the forms to set a target (with the roadmap's quarterly interim targets),
add a project with milestones, or remove an objective; the head marks milestones done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from analytics.review import roadmap, selectors, services
from analytics.review.display import rows_for_page
from analytics.review.figures import metric_label
from analytics.review.forms import ProjectForm, TargetForm
from analytics.review.views import _post, _unit_and_year, viewer
from core.errors import DomainError
from core.http import page_errors


def _page(request: HttpRequest, unit_id: int, year: int, *, status: int = 200, bound: Any = None) -> HttpResponse:
    user = viewer(request)
    unit, year = _unit_and_year(request, unit_id, year)
    forms: dict[str, Any] = {"target": TargetForm(), "project": ProjectForm()}
    if bound:
        forms[bound[0]] = bound[1]
    page = selectors.review_page(user, unit, year)
    frozen = bool(page.review and page.review.frozen)
    context = {
        "unit": unit,
        "year": year,
        "figures": rows_for_page(page.rows),
        "own": [
            (o, metric_label(o.metric) if o.metric else o.title) for o in selectors.objectives_set_here(unit, year)
        ],
        "forms": forms,
        "can_set": page.may_oversee and not frozen,
        "can_write": page.may_write and not frozen,
        "roadmap": roadmap.follow_up(unit, year),
    }
    return render(request, "analytics/review/objectives.html", context, status=status)


@login_required
@page_errors
@require_GET
def objectives(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    return _page(request, unit_id, year)


def _back(request: HttpRequest, unit_id: int, year: int) -> Any:
    def back(status: int = 302, bound: Any = None) -> HttpResponse:
        if status == 302:
            return redirect("review:objectives", unit_id=unit_id, year=year)
        return _page(request, unit_id, year, status=status, bound=bound)

    return back


@login_required
@page_errors
@require_POST
def target_set(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit, year = _unit_and_year(request, unit_id, year)
    return _post(
        request,
        "target",
        TargetForm(request.POST),
        lambda d: services.objective_set_target(
            actor=viewer(request),
            unit=unit,
            year=year,
            metric=d["metric"],
            comparator=d["comparator"],
            target=d["target"],
            quarterly=[d.get(f"q{i}") or "" for i in range(1, 5)],
        ),
        _("The target was set."),
        _back(request, unit.pk, year),
    )


@login_required
@page_errors
@require_POST
def project_add(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit, year = _unit_and_year(request, unit_id, year)
    form = ProjectForm(request.POST)
    return _post(
        request,
        "project",
        form,
        lambda d: services.objective_add_project(
            actor=viewer(request), unit=unit, year=year, title=d["title"], milestones=form.milestones()
        ),
        _("The project was added."),
        _back(request, unit.pk, year),
    )


def _simple(request: HttpRequest, unit_id: int, year: int, act: Any, done: Any) -> HttpResponse:
    """A one-button act (remove an objective, mark a milestone done): refusals come back as the page's
    message with their status."""
    try:
        act()
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return _page(request, unit_id, year, status=exc.status)
    messages.success(request, done)
    return redirect("review:objectives", unit_id=unit_id, year=year)


@login_required
@page_errors
@require_POST
def objective_remove(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.objective_get(viewer(request), pk)
    return _simple(
        request,
        obj.unit_id,
        obj.year,
        lambda: services.objective_remove(actor=viewer(request), objective=obj),
        _("The objective was removed."),
    )


@login_required
@page_errors
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    ms = selectors.milestone_get(viewer(request), pk)
    return _simple(
        request,
        ms.objective.unit_id,
        ms.objective.year,
        lambda: services.milestone_done(actor=viewer(request), milestone=ms),
        _("The milestone was marked done."),
    )
