"""Forms of the review pages: they parse; the rules (who, which metric, which numbers) live in
`analytics.review.services`, whose refusals come back on these fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.review.choices import Comparator
from analytics.review.figures import metric_choices
from cases.forms import StyledForm

LTR = {"dir": "ltr", "autocomplete": "off", "inputmode": "decimal"}
MILESTONES = 3


def _text(label: Any, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": rows}))


class ReviewTextsForm(StyledForm):
    achievements = _text(_("Achievements to build on"))
    challenges = _text(_("Challenges and shortcomings to overcome"))
    constraints = _text(_("Constraints"))


class FreezeForm(StyledForm):
    comment = forms.CharField(
        label=_("Comment of the level above"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TargetForm(StyledForm):
    metric = forms.ChoiceField(label=_("Indicator"))
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices)
    target = forms.CharField(
        label=_("Target"),
        max_length=20,
        help_text=_("A share in per cent (85 for 85 %), a rating out of 5, minutes, days or a count."),
        widget=forms.TextInput(attrs=LTR),
    )
    q1 = forms.CharField(label=_("End of quarter 1"), required=False, max_length=20, widget=forms.TextInput(attrs=LTR))
    q2 = forms.CharField(label=_("End of quarter 2"), required=False, max_length=20, widget=forms.TextInput(attrs=LTR))
    q3 = forms.CharField(label=_("End of quarter 3"), required=False, max_length=20, widget=forms.TextInput(attrs=LTR))
    q4 = forms.CharField(label=_("End of quarter 4"), required=False, max_length=20, widget=forms.TextInput(attrs=LTR))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()  # type: ignore[attr-defined]


class ProjectForm(StyledForm):
    title = forms.CharField(label=_("Project"), max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MILESTONES + 1):
            self.fields[f"m{i}_text"] = forms.CharField(
                label=_("Milestone %(n)d") % {"n": i},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"m{i}_due"] = forms.DateField(
                label=_("Due by"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
            )

    def milestones(self) -> list[tuple[str, date | None]]:
        d = self.cleaned_data
        return [(d.get(f"m{i}_text") or "", d.get(f"m{i}_due")) for i in range(1, MILESTONES + 1)]
