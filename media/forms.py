"""Forms of the media-watch ingestion pages: they parse; the rules live in `media.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import LTR, StyledForm
from media.services.sources import MAX_POLL_MINUTES, MIN_POLL_MINUTES


def _minutes() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Poll every (minutes)"), min_value=MIN_POLL_MINUTES, max_value=MAX_POLL_MINUTES, initial=30
    )


class SourceForm(StyledForm):
    name = forms.CharField(label=_("Outlet"), max_length=200)
    url = forms.URLField(
        label=_("Feed address (RSS or Atom)"), max_length=1000, assume_scheme="https", widget=forms.URLInput(attrs=LTR)
    )
    poll_minutes = _minutes()


class SourceEditForm(StyledForm):
    active = forms.BooleanField(label=_("Polled"), required=False)
    poll_minutes = _minutes()


class PasteForm(StyledForm):
    text = forms.CharField(
        label=_("Text of the post or article"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    link = forms.URLField(
        label=_("Link"), max_length=1000, required=False, assume_scheme="https", widget=forms.URLInput(attrs=LTR)
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    author = forms.CharField(
        label=_("Author's handle"), max_length=200, required=False, widget=forms.TextInput(attrs=LTR)
    )
    published = forms.DateTimeField(
        label=_("Published at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("File of exported posts (JSON, JSON Lines or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonl,.ndjson,.csv,application/json,text/csv"}),
    )
