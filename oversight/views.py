"""The liaison's pages under /oversight/: the grievances, one grievance and its actions, the answer
letter. Views parse, call one selector or service, and render; a refusal comes back on its form
with its 4xx status (nothing is written: every service is one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cases.selectors import visible_cases
from core.errors import Conflict, DomainError
from core.http import form_error, page_errors, role_required
from org import access
from oversight import selectors, services
from oversight.choices import Body, GrievanceState
from oversight.forms import ActionForm, FollowUpForm, GrievanceForm, LinkForm, RevealForm
from oversight.letters import letter_pdf
from oversight.models import Grievance
from oversight.workflow import TRANSITIONS, transitions_from

LIAISONS = access.roles_for(access.GRIEVANCES)
PAGE_SIZE = 25


def start_of_day(day: date | None) -> datetime | None:
    return None if day is None else timezone.make_aware(datetime.combine(day, time(0, 0)))


@login_required
@page_errors
@role_required(*LIAISONS)
@require_safe
def grievance_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    state = state if state in ("open", "", *GrievanceState.values) else "open"
    body = request.GET.get("body", "")
    body = body if body in Body.values else ""
    page = Paginator(selectors.grievance_list(request.user, state=state, body=body), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "state": state,
        "body": body,
        "states": GrievanceState.choices,
        "bodies": Body.choices,
        "now": timezone.now(),
    }
    return render(request, "oversight/list.html", context)


@login_required
@page_errors
@role_required(*LIAISONS)
def grievance_new(request: HttpRequest) -> HttpResponse:
    form = GrievanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                g = services.grievance_register(
                    actor=request.user,
                    data=services.GrievanceInput(
                        body=d["body"],
                        body_reference=d["body_reference"],
                        received_at=start_of_day(d["received_on"]) or timezone.now(),
                        subject=d["subject"],
                        summary=d["summary"],
                        topic=d["topic"] or "other",
                        citizen_name=d["citizen_name"],
                        letter_language=d["letter_language"],
                        units=list(d["units"]),
                    ),
                )
            except DomainError as exc:
                status = form_error(form, exc, {"received_at": ("received_on",)})
            else:
                messages.success(request, _("The grievance was registered."))
                return redirect("oversight:detail", reference=g.reference)
        else:
            status = 422
    return render(request, "oversight/new.html", {"form": form}, status=status)


@login_required
@page_errors
@role_required(*LIAISONS)
@require_safe
def grievance_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, selectors.grievance_get(request.user, reference))


def _page(
    request: HttpRequest,
    g: Grievance,
    *,
    status: int = 200,
    bound: tuple[str, Any] | None = None,
    error: Any = None,
    citizen_name: str | None = None,
) -> HttpResponse:
    user = request.user
    actions = []
    for t in transitions_from(g.state):
        form = ActionForm(transition=t.name, initial={"version": g.version, "answer_text": g.answer_text})
        if bound and bound[0] == t.name:
            form = bound[1]
        actions.append((t, form))
    forms = {"link": LinkForm(), "follow_up": FollowUpForm(), "reveal": RevealForm()}
    if bound and bound[0] in forms:
        forms[bound[0]] = bound[1]
    linked = list(g.complaint_links.select_related("case").order_by("linked_at"))
    openable = set(visible_cases(user).filter(pk__in=[lk.case_id for lk in linked]).values_list("pk", flat=True))
    context = {
        "g": g,
        "actions": actions,
        "forms": forms,
        "error": error,
        "linked": [(lk, lk.case_id in openable) for lk in linked],
        "units": g.units.order_by("path"),
        "events": [
            (e, TRANSITIONS[e.transition].label if e.transition in TRANSITIONS else "")
            for e in g.events.select_related("actor").order_by("at", "id")
        ],
        "citizen_name": citizen_name,
        "has_name": bool(g.citizen_name_enc),
        "now": timezone.now(),
        "can_letter": g.approved_by_id is not None and g.state in ("approved", "sent", "closed"),
    }
    return render(request, "oversight/detail.html", context, status=status)


def _act(request: HttpRequest, g: Grievance, key: str, form, call: Callable[[dict[str, Any]], Any], done: Any):
    if not form.is_valid():
        return _page(request, g, status=422, bound=(key, form))
    try:
        call(form.cleaned_data)
    except Conflict as exc:
        fresh = selectors.grievance_get(request.user, g.reference)
        return _page(request, fresh, status=exc.status, error=exc.message)
    except DomainError as exc:
        status = form_error(form, exc, {"received_at": ("received_on",)})
        return _page(request, g, status=status, bound=(key, form), error=exc.message)
    messages.success(request, done)
    return redirect("oversight:detail", reference=g.reference)


@login_required
@page_errors
@role_required(*LIAISONS)
@require_POST
def grievance_act(request: HttpRequest, reference: str) -> HttpResponse:
    g = selectors.grievance_get(request.user, reference)
    name = request.POST.get("transition", "")
    if name not in TRANSITIONS:
        return _page(request, g, status=422, error=_("Unknown action."))
    form = ActionForm(request.POST, transition=name)

    def call(d: dict[str, Any]) -> Grievance:
        return services.grievance_transition(
            grievance=g,
            actor=request.user,
            transition=name,
            version=d["version"],
            data=services.GrievanceAction(
                note=d.get("note") or "",
                unit=d.get("unit"),
                answer_text=d.get("answer_text") or "",
                closure=d.get("closure") or "",
                letter_language=d.get("letter_language") or "",
            ),
        )

    return _act(request, g, name, form, call, _("Done: %(action)s.") % {"action": TRANSITIONS[name].label})


@login_required
@page_errors
@role_required(*LIAISONS)
@require_POST
def grievance_link(request: HttpRequest, reference: str) -> HttpResponse:
    g = selectors.grievance_get(request.user, reference)
    return _act(
        request,
        g,
        "link",
        LinkForm(request.POST),
        lambda d: services.grievance_link(grievance=g, actor=request.user, reference=d["reference"]),
        _("The complaint was linked."),
    )


@login_required
@page_errors
@role_required(*LIAISONS)
@require_POST
def grievance_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    g = selectors.grievance_get(request.user, reference)
    return _act(
        request,
        g,
        "follow_up",
        FollowUpForm(request.POST),
        lambda d: services.grievance_follow_up(
            grievance=g,
            actor=request.user,
            kind=d["kind"],
            received_at=start_of_day(d["received_on"]) or timezone.now(),
            note=d["note"],
        ),
        _("The letter from the body was recorded; the clock runs again."),
    )


@login_required
@page_errors
@role_required(*LIAISONS)
@require_POST
def grievance_reveal(request: HttpRequest, reference: str) -> HttpResponse:
    g = selectors.grievance_get(request.user, reference)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _page(request, g, status=422, bound=("reveal", form))
    try:
        name = services.grievance_reveal(grievance=g, actor=request.user, purpose=form.cleaned_data["purpose"])
    except DomainError as exc:
        return _page(request, g, status=form_error(form, exc), bound=("reveal", form))
    return _page(request, g, citizen_name=name)


@login_required
@page_errors
@role_required(*LIAISONS)
@require_safe
def grievance_letter(request: HttpRequest, reference: str) -> HttpResponse:
    """The answer letter on letterhead, in the language the body asked for."""
    g = services.grievance_letter_issue(grievance=selectors.grievance_get(request.user, reference), actor=request.user)
    response = HttpResponse(letter_pdf(g), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{g.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
