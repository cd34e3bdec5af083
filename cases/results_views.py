"""The case page's operational results: record one (officers who work the case), validate it (a
chief of the case's jurisdiction), withdraw one typed by mistake before it is validated."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.forms import ResultForm
from cases.views import _act
from core.http import page_errors


@login_required
@require_POST
@page_errors
def result_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(request.user, reference)
    return _act(
        request,
        case,
        "result",
        ResultForm(request.POST),
        lambda d: services.result_record(
            case=case, actor=request.user, kind=d["kind"], quantity=d["quantity"], occurred_on=d["occurred_on"]
        ),
        _("The result was recorded: it counts once a chief validates it."),
    )


@login_required
@require_POST
@page_errors
def result_validate(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    result = selectors.result_get(request.user, reference, pk)
    return _act(
        request,
        result.case,
        "result_validate",
        forms.Form(request.POST),
        lambda d: services.result_validate(result=result, actor=request.user),
        _("The result was validated."),
    )


@login_required
@require_POST
@page_errors
def result_withdraw(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    result = selectors.result_get(request.user, reference, pk)
    return _act(
        request,
        result.case,
        "result_withdraw",
        forms.Form(request.POST),
        lambda d: services.result_withdraw(result=result, actor=request.user),
        _("The result was withdrawn."),
    )
