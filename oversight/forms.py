"""Forms of the liaison's pages: they parse; the rules live in `oversight.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import LTR, StyledForm, UnitChoiceField
from org.models import Unit
from oversight.choices import Body, Closure, GrievanceEventKind, LetterLanguage, Topic
from oversight.services import INQUIRY_UNITS

PURPOSES = [
    ("", "—"),
    ("contact_body", _("Answer a question of the body")),
    ("inquiry", _("Conduct the inquiry")),
    ("answer", _("Write the answer")),
]


def inquiry_units():
    return Unit.objects.filter(kind__in=INQUIRY_UNITS).order_by("path")


class GrievanceForm(StyledForm):
    body = forms.ChoiceField(label=_("Body"), choices=[("", "—"), *Body.choices], required=False)
    body_reference = forms.CharField(
        label=_("The body's reference"), max_length=64, required=False, widget=forms.TextInput(attrs=LTR)
    )
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, initial=Topic.OTHER, required=False)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=200, required=False)
    letter_language = forms.ChoiceField(label=_("Language of the answer"), choices=LetterLanguage.choices, initial="ar")
    units = forms.ModelMultipleChoiceField(label=_("Units concerned"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = inquiry_units()


class ActionForm(StyledForm):
    """One workflow action; the page shows only the fields the action uses."""

    transition = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    answer_text = forms.CharField(
        label=_("Answer"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    letter_language = forms.ChoiceField(
        label=_("Language of the answer"), choices=[("", "—"), *LetterLanguage.choices], required=False
    )
    closure = forms.ChoiceField(label=_("Closed as"), choices=[("", "—"), *Closure.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = {
        "assign_inquiry": ("unit",),
        "draft": ("answer_text", "letter_language", "note"),
        "close": ("closure",),
        "close_unanswered": ("closure", "note"),
    }

    def __init__(self, *args, transition: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{transition}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"]["transition"] = transition
        super().__init__(*args, **kwargs)
        keep = self.FIELDS.get(transition, ())
        for name in ("unit", "answer_text", "letter_language", "closure", "note"):
            if name not in keep:
                del self.fields[name]
        if "unit" in self.fields:
            self.fields["unit"].queryset = inquiry_units()
        if "note" in self.fields and transition == "draft":
            self.fields["note"].label = _("Findings of the inquiry")


class LinkForm(StyledForm):
    reference = forms.CharField(
        label=_("Complaint reference"), max_length=24, required=False, widget=forms.TextInput(attrs=LTR)
    )


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Letter from the body"),
        choices=[(GrievanceEventKind.FOLLOW_UP, _("Follow-up")), (GrievanceEventKind.REMINDER, _("Reminder"))],
    )
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevealForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PURPOSES, required=False)
