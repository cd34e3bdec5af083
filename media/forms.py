"""Forms of the media watch's pages (desk and ingestion): they parse; the services check again (they are the rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import LTR, StyledForm
from media.choices import Label, Verdict
from media.services.sources import MAX_POLL_MINUTES, MIN_POLL_MINUTES

YES_NO = [("", "—"), ("1", _("Yes")), ("0", _("No"))]


SELECT = {"class": "form-select form-select-sm"}


class FilterForm(forms.Form):
    label = forms.ChoiceField(
        label=_("Label"), choices=[("", _("All")), *Label.choices], required=False, widget=forms.Select(attrs=SELECT)
    )
    harmful = forms.ChoiceField(
        label=_("Violent or harmful"),
        choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    state = forms.CharField(label=_("State"), required=False, max_length=10)
    q = forms.CharField(
        label=_("Search in headlines"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )


class CorrectForm(forms.Form):
    label = forms.ChoiceField(label=_("Label"), choices=[("", "—"), *Label.choices], required=False)
    harmful = forms.ChoiceField(label=_("Violent or harmful"), choices=YES_NO, required=False)


class ComplaintForm(forms.Form):
    category = forms.CharField(label=_("Kind of complaint"), max_length=50)
    description = forms.CharField(label=_("Facts as published"), widget=forms.Textarea(attrs={"rows": 3}))
    full_name = forms.CharField(label=_("Citizen's name (if they agree)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Citizen's phone"), max_length=30, required=False)


class InterventionForm(forms.Form):
    category = forms.CharField(label=_("Kind of intervention"), max_length=50)
    description = forms.CharField(label=_("What is happening"), widget=forms.Textarea(attrs={"rows": 3}))


class FactsForm(forms.Form):
    question = forms.CharField(label=_("Question to the unit"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(forms.Form):
    assignee = forms.IntegerField(label=_("Assigned to"))
    evidence = forms.CharField(label=_("Evidence notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ConcludeForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    evidence = forms.CharField(label=_("Evidence notes"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class CommuniqueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("statement", _("Statement")), ("annual", _("Annual communiqué"))], required=False
    )
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=300)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=300)
    body_ar = forms.CharField(label=_("Text (Arabic)"), widget=forms.Textarea(attrs={"rows": 8, "dir": "rtl"}))
    body_fr = forms.CharField(label=_("Text (French)"), widget=forms.Textarea(attrs={"rows": 8, "dir": "ltr"}))


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
