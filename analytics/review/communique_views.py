"""/review/communique/: the central communication cell generates the annual communiqué of a year
from the national figures; the draft opens on the media desk's edit page (edit, then publish once
the director has approved it at /review/communique/<pk>/approve/). Anyone else — wilaya cells
included — gets the 404 of a missing page."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from analytics.review import communique
from core.errors import NotFound, ValidationFailed
from core.http import page_errors
from media.selectors import annual_drafts_to_approve
from media.services import communique_approve
from org.models import User


@login_required
@page_errors
def generate(request: HttpRequest) -> HttpResponse:
    """GET: the years to choose from; POST: the year's draft, then its edit page."""
    user = cast(User, request.user)
    if not communique.may_generate(user):
        raise NotFound(_("No such page."))
    years = communique.years_open()
    if request.method == "POST":
        raw = request.POST.get("year", "")
        if not raw.isdigit():
            raise ValidationFailed(
                _("Choose a past or the current year."), fields={"year": _("Not a year of the record.")}
            )
        draft = communique.annual_communique_draft(actor=user, year=int(raw))
        messages.success(request, _("The annual communiqué is drafted: check it, edit it, then publish it."))
        return redirect("media:communique", pk=draft.pk)
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "analytics/review/communique.html", {"years": years[:6], "last": years[1]})


@login_required
@page_errors
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The director reads the annual communiqué as it will be published and approves it."""
    user = cast(User, request.user)
    draft = annual_drafts_to_approve(user).filter(pk=pk).first()
    if draft is None:
        raise NotFound(_("No such page."))
    if request.method == "POST":
        communique_approve(communique=draft, actor=user)
        messages.success(request, _("Approved: the communication cell may now publish the communiqué."))
        return redirect("review:communique_approve", pk=draft.pk)
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "analytics/review/communique_approve.html", {"communique": draft})
