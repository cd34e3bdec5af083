"""The communication officer's ingestion pages under /watch/: the sources' health (add and change a feed),
pasting a post or article, importing exported posts. Everyone without the media watch gets a 404, as for
a page that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from core.errors import DomainError, NotFound
from core.http import form_error, page_errors
from media import selectors
from media.choices import SourceKind
from media.entry import Entry
from media.forms import ImportForm, PasteForm, SourceEditForm, SourceForm
from media.imports import read_posts
from media.services import ingest, officer_source, source_create, source_update
from org.models import User

PASTED = "media_pasted"  # the session key of the last pasted item (its id never goes in a URL)


def _watcher(request: HttpRequest) -> selectors.Watch:
    watch = selectors.watch_for(request.user)  # type: ignore[arg-type]
    if watch is None:
        raise NotFound(_("Not found."))
    return watch


@login_required
@page_errors
def sources(request: HttpRequest) -> HttpResponse:
    """Each source's health, and the form that adds a feed."""
    _watcher(request)
    form = SourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = source_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(
                    request, _("Feed added: %(name)s. It is polled within the minute.") % {"name": source.name}
                )
                return redirect("media_sources:sources")
        else:
            status = 422
    rows = selectors.sources_for(request.user).annotate(stored=Count("items")).order_by("kind", "name", "pk")  # type: ignore[arg-type]
    return render(request, "media/sources.html", {"sources": rows, "form": form, "now": timezone.now()}, status=status)


@login_required
@page_errors
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _watcher(request)
    source = selectors.sources_for(request.user).filter(pk=pk, kind=SourceKind.FEED).first()  # type: ignore[arg-type]
    if source is None:
        raise NotFound(_("Not found."))
    initial = {"active": source.active, "poll_minutes": source.poll_minutes}
    form = SourceEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source_update(actor=request.user, source=source, **form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Source saved."))
                return redirect("media_sources:sources")
        else:
            status = 422
    return render(request, "media/source_edit.html", {"source": source, "form": form}, status=status)


@login_required
@page_errors
def paste(request: HttpRequest) -> HttpResponse:
    """Paste one post or article: stored, analysed and grouped, then the confirmation names its event."""
    _watcher(request)
    form = PasteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            entry = Entry(
                text=d["text"], link=d["link"], title=d["title"], author=d["author"], published=d["published"]
            )
            result = ingest(actor=request.user, source=officer_source(SourceKind.PASTE), entries=[entry])
            if result.items:
                request.session[PASTED] = result.items[0].pk
                return redirect("media_sources:pasted")
            form.add_error("link", _("This link is already stored."))
            status = 409
        else:
            status = 422
    return render(request, "media/paste.html", {"form": form}, status=status)


@login_required
@page_errors
@require_safe
def pasted(request: HttpRequest) -> HttpResponse:
    """The confirmation: the item pasted last and the event it joined (when the reader may see it)."""
    _watcher(request)
    user: User = request.user  # type: ignore[assignment]
    item = selectors.item_pasted(user, request.session.get(PASTED))
    if item is None:
        return redirect("media_sources:paste")
    visible = item.event_id is not None and selectors.events_for(user).filter(pk=item.event_id).exists()
    event = item.event if visible else None
    context: dict[str, Any] = {"item": item, "event": event, "event_url": f"/watch/events/{event.pk}/" if event else ""}
    if event is not None:
        context["joined"] = event.items_count > 1
    return render(request, "media/pasted.html", context)


@login_required
@page_errors
def import_posts(request: HttpRequest) -> HttpResponse:
    """Upload exported posts; every bad line reported at once, nothing stored when one is bad."""
    _watcher(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            parsed = read_posts(upload.name or "", upload.read())
            errors = parsed.errors
            if not errors:
                result = ingest(actor=request.user, source=officer_source(SourceKind.IMPORT), entries=parsed.entries)
                messages.success(request, _imported(result.stored, result.skipped, len(result.events)))
                return redirect("media_sources:import")
        status = 422
    return render(request, "media/import.html", {"form": form, "errors": errors}, status=status)


def _imported(stored: int, skipped: int, events: int) -> str:
    posts = ngettext("%(n)d post stored", "%(n)d posts stored", stored) % {"n": stored}
    known = ngettext("%(n)d already stored", "%(n)d already stored", skipped) % {"n": skipped}
    grouped = ngettext("in %(n)d event", "in %(n)d events", events) % {"n": events}
    return f"{posts} {grouped}, {known}."
