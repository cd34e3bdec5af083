"""Forms of the administrator's pages. They parse; the rules live in `org.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.choices import KeyScope
from org.services import KEY_DEFAULT_DAYS, KEY_MAX_DAYS


class KeyCreateForm(forms.Form):
    """A key for a member of staff (the API, as that user) or for a partner organisation."""

    OWNER_CHOICES = [("user", _("A member of staff (API)")), ("partner", _("A partner organisation"))]

    owner = forms.ChoiceField(label=_("Key for"), choices=OWNER_CHOICES, widget=forms.RadioSelect, initial="user")
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    partner = forms.CharField(label=_("Partner"), max_length=120, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Opens"), choices=KeyScope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    name = forms.CharField(label=_("What it is for"), max_length=100)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=KEY_MAX_DAYS, initial=KEY_DEFAULT_DAYS
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == "user" and not data.get("username"):
            self.add_error("username", _("Give the username."))
        if data.get("owner") == "partner" and not data.get("partner"):
            self.add_error("partner", _("Give the partner's name."))
        return data
