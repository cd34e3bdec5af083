"""The Inspectorate's pages on complaints against officers: the list, one complaint (the officer,
the allegations, the findings and the outcome) and an officer's record of sustained findings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cases.choices import Sensitivity
from cases.forms import LTR, OfficerChoiceField, StyledForm, UnitChoiceField
from cases.selectors import listed_cases
from core.errors import DomainError
from core.http import form_error, page_errors, role_required
from org import access
from org.models import Unit, User
from oversight import officers
from oversight.choices import AllegationKind, Finding, OfficerOutcome
from oversight.models import OfficerComplaint

INSPECTORS = access.roles_for(access.OFFICER_FINDINGS)


class OfficerForm(StyledForm):
    officer = OfficerChoiceField(label=_("Officer concerned"), queryset=User.objects.none(), required=False)
    officer_unit = UnitChoiceField(label=_("Unit of the officer"), queryset=Unit.objects.none(), required=False)
    incident_on = forms.DateField(
        label=_("Date of the facts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    vehicle_number = forms.CharField(
        label=_("Vehicle number"), max_length=20, required=False, widget=forms.TextInput(attrs=LTR)
    )
    description = forms.CharField(
        label=_("Description of the officer"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    allegations = forms.MultipleChoiceField(
        label=_("Allegations"), choices=AllegationKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(unit__isnull=False, is_active=True).order_by("username")
        self.fields["officer_unit"].queryset = Unit.objects.order_by("path")


class ConcludeForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *OfficerOutcome.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        for a in allegations:
            self.fields[f"finding_{a.pk}"] = forms.ChoiceField(
                label=a.get_kind_display(),
                choices=[("", "—"), *Finding.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def findings(self) -> dict[int, str]:
        return {int(k.removeprefix("finding_")): v for k, v in self.cleaned_data.items() if k.startswith("finding_")}


@login_required
@page_errors
@role_required(*INSPECTORS)
@require_safe
def officer_complaint_list(request: HttpRequest) -> HttpResponse:
    qs = listed_cases(request.user).filter(sensitivity=Sensitivity.AGAINST_OFFICER).select_related("category")
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    # The officer (or their unit) of every row in the same query: one per row was an N+1.
    found = OfficerComplaint.objects.filter(case__in=page.object_list).select_related("officer", "officer_unit")
    records = {oc.case_id: oc for oc in found}
    rows = [(case, records.get(case.pk)) for case in page.object_list]
    return render(request, "oversight/officer_list.html", {"page": page, "rows": rows})


def _page(request: HttpRequest, case, *, status: int = 200, officer_form=None, conclude_form=None, error: Any = None):
    oc = OfficerComplaint.objects.filter(case=case).select_related("officer", "officer_unit").first()
    allegations = list(oc.allegations.all()) if oc else []
    initial: dict[str, Any] = {}
    if oc:
        initial = {
            "officer": oc.officer_id,
            "officer_unit": oc.officer_unit_id,
            "incident_on": oc.incident_on,
            "place": oc.place,
            "vehicle_number": oc.vehicle_number,
            "description": oc.description,
            "allegations": [a.kind for a in allegations],
        }
    context = {
        "case": case,
        "oc": oc,
        "allegations": allegations,
        "officer_form": officer_form or OfficerForm(initial=initial),
        "conclude_form": conclude_form or (ConcludeForm(allegations=allegations) if allegations else None),
        "error": error,
    }
    return render(request, "oversight/officer_complaint.html", context, status=status)


@login_required
@page_errors
def officer_complaint(request: HttpRequest, reference: str) -> HttpResponse:
    # No role guard before the look-up: anyone but the Inspectorate gets the same 404 as for a
    # missing complaint (a 403 would confirm that the reference exists).
    case = officers.officer_complaint_case(request.user, reference)
    if request.method != "POST":
        return _page(request, case)
    form = OfficerForm(request.POST)
    if not form.is_valid():
        return _page(request, case, status=422, officer_form=form)
    d = form.cleaned_data
    try:
        officers.officer_complaint_record(
            case=case,
            actor=request.user,
            data=officers.OfficerInput(
                officer=d["officer"],
                officer_unit=d["officer_unit"],
                incident_on=d["incident_on"],
                place=d["place"],
                vehicle_number=d["vehicle_number"],
                description=d["description"],
                allegations=d["allegations"],
            ),
        )
    except DomainError as exc:
        return _page(request, case, status=form_error(form, exc), officer_form=form, error=exc.message)
    messages.success(request, _("The officer and the allegations were recorded."))
    return redirect("oversight:officer_complaint", reference=case.reference)


@login_required
@page_errors
@require_POST
def officer_complaint_conclude(request: HttpRequest, reference: str) -> HttpResponse:
    case = officers.officer_complaint_case(request.user, reference)
    oc = OfficerComplaint.objects.filter(case=case).first()
    form = ConcludeForm(request.POST, allegations=list(oc.allegations.all()) if oc else [])
    if not form.is_valid():
        return _page(request, case, status=422, conclude_form=form)
    try:
        officers.officer_complaint_conclude(
            case=case,
            actor=request.user,
            findings=form.findings(),
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        return _page(request, case, status=form_error(form, exc), conclude_form=form, error=exc.message)
    messages.success(request, _("The findings were recorded and the complaint closed."))
    return redirect("oversight:officer_complaint", reference=case.reference)


@login_required
@page_errors
@role_required(*INSPECTORS)
@require_safe
def officer_record(request: HttpRequest, officer_id: int) -> HttpResponse:
    rows = officers.officer_record(request.user, officer_id)
    officer = User.objects.get(pk=officer_id)
    return render(request, "oversight/officer_record.html", {"rows": rows, "officer": officer})
