"""The liaison's pages of the annual report: generate from the data, add the foreword and the
commentary, freeze (the head), download in Arabic or French."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cases.forms import StyledForm
from core.errors import DomainError
from core.http import form_error, page_errors, role_required
from org import access
from oversight import selectors, services
from oversight.models import AnnualReport
from oversight.report_pdf import report_pdf

LIAISONS = access.roles_for(access.GRIEVANCES)


class GenerateForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), required=False)


class TextsForm(StyledForm):
    foreword_ar = forms.CharField(
        label=_("Foreword (Arabic)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    foreword_fr = forms.CharField(
        label=_("Foreword (French)"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"})
    )
    commentary_ar = forms.CharField(
        label=_("Commentary (Arabic)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    commentary_fr = forms.CharField(
        label=_("Commentary (French)"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"})
    )


def _report(user, year: int) -> AnnualReport:
    return selectors.annual_report_get(user, year)


@login_required
@page_errors
@role_required(*LIAISONS)
def report_list(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.annual_report_generate(actor=request.user, year=form.cleaned_data["year"] or 0)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("The report was generated from the records."))
                return redirect("oversight:report", year=report.year)
        else:
            status = 422
    return render(
        request,
        "oversight/reports.html",
        {"form": form, "reports": selectors.annual_reports_for(request.user)},
        status=status,
    )


@login_required
@page_errors
@role_required(*LIAISONS)
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request.user, year)
    form = TextsForm(
        request.POST or None,
        initial={k: getattr(report, k) for k in ("foreword_ar", "foreword_fr", "commentary_ar", "commentary_fr")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.annual_report_edit(report=report, actor=request.user, texts=form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("The texts were saved."))
                return redirect("oversight:report", year=year)
        else:
            status = 422
    return render(request, "oversight/report.html", {"r": report, "f": report.figures, "form": form}, status=status)


@login_required
@page_errors
@role_required(*LIAISONS)
@require_POST
def report_freeze(request: HttpRequest, year: int) -> HttpResponse:
    services.annual_report_freeze(report=_report(request.user, year), actor=request.user)
    messages.success(request, _("The report is frozen."))
    return redirect("oversight:report", year=year)


@login_required
@page_errors
@role_required(*LIAISONS)
@require_safe
def report_download(request: HttpRequest, year: int, lang: str) -> HttpResponse:
    if lang not in ("ar", "fr"):
        raise Http404
    report = _report(request.user, year)
    response = HttpResponse(report_pdf(report, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{year}-{lang}.pdf"'
    return response
