"""Forms of the administrator's pages. They parse; the rules live in `org.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.http import client_ip
from org.choices import KeyScope
from org.services import KEY_DEFAULT_DAYS, KEY_MAX_DAYS
from org.services.throttle import SignInNotice, Throttled, login_failed, login_gate, login_succeeded


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


class StaffLoginForm(AuthenticationForm):
    """Django's sign-in form behind the throttle of `org.services.throttle`: a name or an address
    that must wait is refused before any password is checked; a failure is counted; a success
    clears the counters and keeps what the user must be told (`notice`)."""

    throttled: Throttled | None = None
    notice: SignInNotice | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        address = client_ip(self.request) if self.request is not None else "unknown"
        try:
            login_gate(username=username, address=address)
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                login_failed(username=username, address=address)
                raise self.get_invalid_login_error()
        except Throttled as exc:
            self.throttled = exc
            raise ValidationError(str(exc.message), code="throttled") from None
        self.confirm_login_allowed(self.user_cache)
        self.notice = login_succeeded(username=username, address=address)
        return self.cleaned_data


class CodeForm(forms.Form):
    """A code of the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control otp-code",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )
