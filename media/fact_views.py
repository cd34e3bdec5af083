"""The unit chiefs' page /watch/facts/: the communication cell's requests for facts addressed to
their unit or a unit below, and the answer form. Anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError, NotFound
from core.http import page_errors
from media import forms, selectors, services
from media.views import PAGE_SIZE
from org import access


def _chief(request: HttpRequest) -> None:
    if not access.allows(list(request.user.roles or []), access.MEDIA_FACTS):  # type: ignore[union-attr]
        raise NotFound(_("No such page."))


def _page(request: HttpRequest, *, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    qs = selectors.fact_requests_for(request.user).order_by("answered_at", "-asked_at")  # type: ignore[arg-type]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "media/facts.html", {"page": page, "error": error}, status=status)


@login_required
@page_errors
@require_safe
def fact_list(request: HttpRequest) -> HttpResponse:
    _chief(request)
    return _page(request)


@login_required
@page_errors
@require_POST
def fact_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _chief(request)
    if not selectors.fact_requests_for(request.user).filter(pk=pk).exists():  # type: ignore[arg-type]
        raise NotFound(_("No such request."))  # before the form: missing and forbidden alike
    form = forms.AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Write the answer (at most 4000 characters)."))
        services.fact_answer(request=pk, actor=request.user, answer=form.cleaned_data["answer"])
    except NotFound:
        raise
    except DomainError as exc:
        return _page(request, error=exc, status=exc.status if exc.status != 400 else 422)
    messages.success(request, _("The answer is sent to the communication cell."))
    return redirect("media:facts")
