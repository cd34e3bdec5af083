"""Communiqués: the cell's drafts under /watch/communiques/ (list, new, edit, publish), and the
public pages under /communiques/ (list, one communiqué by its number, the Atom feed), for anyone,
in the visitor's language. The public side reads only published communiqués, and shows only their
number, kind, titles, texts and date: nothing personal is ever in them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError, NotFound
from core.http import form_error, page_errors
from media import forms, selectors, services
from media.choices import CommuniqueState
from media.models import Communique
from media.pdf import communique_pdf
from media.views import PAGE_SIZE, watcher


def _lang() -> str:
    """The communiqué's language for the visitor: Arabic, else French (English readers get French)."""
    return "ar" if (get_language() or "ar").startswith("ar") else "fr"


def _text(d: dict[str, Any]) -> services.CommuniqueText:
    return services.CommuniqueText(d["title_ar"], d["title_fr"], d["body_ar"], d["body_fr"])


@login_required
@page_errors
@require_safe
def drafts(request: HttpRequest) -> HttpResponse:
    watcher(request)
    qs = selectors.communiques_for(request.user).order_by("state", "-published_at", "-drafted_at")  # type: ignore[arg-type]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    national = selectors.watch_for(request.user).national  # type: ignore[arg-type,union-attr]
    return render(request, "media/communiques.html", {"page": page, "national": national})


@login_required
@page_errors
def communique_new(request: HttpRequest) -> HttpResponse:
    watcher(request)
    form = forms.CommuniqueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = services.communique_draft(
                    actor=request.user, kind=form.cleaned_data["kind"] or "statement", text=_text(form.cleaned_data)
                )
                messages.success(request, _("The communiqué is drafted."))
                return redirect("media:communique", pk=found.pk)
            except DomainError as exc:
                status = form_error(form, exc)
        else:
            status = 422
    return render(request, "media/communique_edit.html", {"form": form, "communique": None}, status=status)


@login_required
@page_errors
def communique_edit(request: HttpRequest, pk: int) -> HttpResponse:
    watcher(request)
    found = selectors.communiques_for(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if found is None:
        raise NotFound(_("No such communiqué."))
    initial = {f: getattr(found, f) for f in ("title_ar", "title_fr", "body_ar", "body_fr")}
    form = forms.CommuniqueForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.communique_edit(communique=found, actor=request.user, text=_text(form.cleaned_data))
                messages.success(request, _("The draft is saved."))
                return redirect("media:communique", pk=found.pk)
            except DomainError as exc:
                status = form_error(form, exc)
        else:
            status = 422
    return render(request, "media/communique_edit.html", {"form": form, "communique": found}, status=status)


@login_required
@page_errors
@require_POST
def communique_publish(request: HttpRequest, pk: int) -> HttpResponse:
    watcher(request)
    found = services.communique_publish(communique=pk, actor=request.user)
    messages.success(request, _("The communiqué is published."))
    return redirect("communiques:detail", number=found.number)


# ---------------------------------------------------------------------------- public


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_communiques(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "media/public_list.html", {"page": page, "lang": _lang()})


@require_safe
def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.published_communiques().filter(number=number).first()
    if found is None:
        return render(request, "404.html", status=404)
    return render(request, "media/public_detail.html", {"c": found, "lang": _lang()})


@require_safe
def public_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The published communiqué as a PDF, Arabic then French; a draft is as missing as no communiqué."""
    found = selectors.published_communiques().filter(number=number).first()
    if found is None:
        return render(request, "404.html", status=404)
    response = HttpResponse(communique_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


class CommuniqueFeed(Feed):
    """Atom feed of the published communiqués, each entry with its Arabic and French text."""

    feed_type = Atom1Feed
    title = _("Communiqués of the national security service")
    subtitle = _("Rebuttals, statements and annual communiqués, in Arabic and French.")

    def link(self) -> str:
        return reverse("communiques:list")

    def items(self) -> list[Communique]:
        return list(selectors.published_communiques()[:50])

    def item_title(self, item: Communique) -> str:
        return f"{item.number} · {item.title_ar} · {item.title_fr}"

    def item_description(self, item: Communique) -> str:
        return f"{item.body_ar}\n\n{item.body_fr}"

    def item_link(self, item: Communique) -> str:
        return reverse("communiques:detail", kwargs={"number": item.number})

    def item_pubdate(self, item: Communique) -> Any:
        return item.published_at

    def item_updateddate(self, item: Communique) -> Any:
        return item.published_at

    def item_guid(self, item: Communique) -> str:
        return f"urn:amane:communique:{item.number}"


public_feed = require_safe(CommuniqueFeed())
# States shown to staff on the drafts list.
STATES = CommuniqueState.choices
