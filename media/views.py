"""The communication officer's desk under /watch/: the inbox of events, one event with its items and
actions, verifications, communiqué drafts; and the unit chiefs' requests for facts. Views parse, call
one selector or service, and render; a refusal comes back on its page with its 4xx status (nothing
is written: every service is one transaction). Other roles get the 404 of a missing page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cases.selectors import active_categories
from core.errors import DomainError, NotFound
from core.http import page_errors
from emergency.selectors import active_call_categories
from media import forms, indicators, selectors, services
from media.choices import EventState, Label, Verdict
from media.models import Event

PAGE_SIZE = 25


def watcher(request: HttpRequest) -> None:
    """Only a communication cell's officers have the desk; anyone else gets a 404."""
    if selectors.watch_for(request.user) is None:  # type: ignore[arg-type]
        raise NotFound(_("No such page."))


def _event(request: HttpRequest, pk: int) -> Event:
    found = selectors.events_for(request.user).select_related("unit").filter(pk=pk).first()  # type: ignore[arg-type]
    if found is None:
        raise NotFound(_("No such event."))
    return found


def _figures(request: HttpRequest) -> list[dict[str, Any]]:
    events = selectors.events_for(request.user)  # type: ignore[arg-type]
    out = []
    for code, compute in (("media_first_answer", indicators.first_answer), ("rumour_rebuttal", indicators.rebuttal)):
        label, explanation = indicators.LABELS[code]
        out.append({"code": code, "label": label, "explanation": explanation, **compute(events)})
    return out


@login_required
@page_errors
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    watcher(request)
    form = forms.FilterForm(request.GET or None)
    events = selectors.events_for(request.user).select_related("unit").order_by("-first_seen", "-pk")  # type: ignore[arg-type]
    f = form.cleaned_data if form.is_valid() else {}
    if f.get("label"):
        events = events.filter(label=f["label"])
    if f.get("harmful") in ("0", "1"):
        events = events.filter(harmful=f["harmful"] == "1")
    if f.get("state") in EventState.values:
        events = events.filter(state=f["state"])
    if f.get("q"):
        events = events.filter(headline__icontains=f["q"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "states": EventState.choices, "figures": _figures(request)}
    return render(request, "media/inbox.html", context)


def _spread(items: list) -> list[tuple[Any, int]]:
    """Items per day of publication (or reception): how the story spread."""
    days = Counter(timezone.localtime(i.published_at or i.received_at).date() for i in items)
    return sorted(days.items())


def _event_page(
    request: HttpRequest, event: Event, *, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    items = list(selectors.items_for(request.user).filter(event=event).order_by("published_at", "pk"))  # type: ignore[arg-type]
    places = sorted({p.get("name", "") for i in items for p in (i.places or []) if isinstance(p, dict)} - {""})
    context = {
        "event": event,
        "items": items,
        "spread": _spread(items),
        "places": places,
        "labels": Label.choices,
        "verdicts": Verdict.choices,
        "actions": event.actions.select_related("by"),
        "corrections": event.corrections.select_related("officer")[:10],
        "fact_requests": event.fact_requests.select_related("unit"),
        "verifications": event.verifications.select_related("assignee"),
        "communiques": event.communiques.all(),
        "officers": selectors.cell_officers(request.user),  # type: ignore[arg-type]
        "categories": active_categories(),
        "call_categories": active_call_categories(),
        "error": error,
    }
    return render(request, "media/event.html", context, status=status)


@login_required
@page_errors
@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    watcher(request)
    return _event_page(request, _event(request, pk))


def _act(request: HttpRequest, pk: int, form_class: type, act: Callable[[Event, dict], Any], done: Any) -> HttpResponse:
    """Run one action of the event page: the form, then the service; a refusal re-renders the page
    with the message and its status, a success goes back to the event."""
    watcher(request)
    event = _event(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _event_page(request, event, error=DomainError(first), status=422)
    try:
        act(event, form.cleaned_data)
    except NotFound:
        raise
    except DomainError as exc:
        return _event_page(request, event, error=exc, status=exc.status)
    messages.success(request, done)
    return redirect("media:event", pk=event.pk)


@login_required
@page_errors
@require_POST
def event_correct(request: HttpRequest, pk: int) -> HttpResponse:
    def act(event: Event, d: dict) -> Any:
        harmful = None if d["harmful"] == "" else d["harmful"] == "1"
        return services.event_correct(event=event, actor=request.user, label=d["label"], harmful=harmful)

    return _act(request, pk, forms.CorrectForm, act, _("The triage is corrected."))


@login_required
@page_errors
@require_POST
def event_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    def act(event: Event, d: dict) -> Any:
        return services.event_open_complaint(event=event, actor=request.user, data=services.ComplaintInput(**d))

    return _act(request, pk, forms.ComplaintForm, act, _("The complaint is registered for the unit."))


@login_required
@page_errors
@require_POST
def event_intervention(request: HttpRequest, pk: int) -> HttpResponse:
    def act(event: Event, d: dict) -> Any:
        return services.event_open_intervention(event=event, actor=request.user, **d)

    return _act(request, pk, forms.InterventionForm, act, _("The intervention is on the line-19 board."))


@login_required
@page_errors
@require_POST
def event_facts(request: HttpRequest, pk: int) -> HttpResponse:
    def act(event: Event, d: dict) -> Any:
        return services.fact_request(event=event, actor=request.user, question=d["question"])

    return _act(request, pk, forms.FactsForm, act, _("The unit is asked for the facts."))


@login_required
@page_errors
@require_POST
def event_verify(request: HttpRequest, pk: int) -> HttpResponse:
    def act(event: Event, d: dict) -> Any:
        officers = {u.pk: u for u in selectors.cell_officers(request.user)}  # type: ignore[arg-type]
        assignee = officers.get(d["assignee"])
        return services.verification_open(event=event, actor=request.user, assignee=assignee, evidence=d["evidence"])

    return _act(request, pk, forms.VerifyForm, act, _("The verification is opened."))


def _verification_event(request: HttpRequest, vpk: int) -> int:
    found = selectors.verifications_for(request.user).filter(pk=vpk).values_list("event_id", flat=True).first()  # type: ignore[arg-type]
    if found is None:
        raise NotFound(_("No such verification."))
    return found


@login_required
@page_errors
@require_POST
def verification_conclude(request: HttpRequest, vpk: int) -> HttpResponse:
    watcher(request)

    def act(event: Event, d: dict) -> Any:
        return services.verification_conclude(verification=vpk, actor=request.user, **d)

    return _act(request, _verification_event(request, vpk), forms.ConcludeForm, act, _("The verdict is recorded."))


@login_required
@page_errors
@require_POST
def rebuttal_draft(request: HttpRequest, vpk: int) -> HttpResponse:
    watcher(request)
    event_pk = _verification_event(request, vpk)
    try:
        communique = services.rebuttal_draft(verification=vpk, actor=request.user)
    except NotFound:
        raise
    except DomainError as exc:
        return _event_page(request, _event(request, event_pk), error=exc, status=exc.status)
    messages.success(request, _("The rebuttal is drafted: check it in both languages, then publish it."))
    return redirect("media:communique", pk=communique.pk)
