"""Forms of the public pages. They check shape and size; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.services import DESCRIPTION_MAX
from core import gazetteer
from core.errors import ValidationFailed
from core.validators import normalize_phone
from org.models import Partner
from portal.antibot import HONEYPOT_FIELD
from portal.models import ContactChannel, Safer
from portal.services import COMMENT_MAX, REASON_MAX

LANGUAGE_CHOICES = [("ar", "العربية"), ("fr", "Français"), ("en", "English")]
MAX_FILES = 3


def city_choices() -> list[tuple[str, str]]:
    """Morocco's cities (urban communes, from the gazetteer) by name in the page's language."""
    lang = (get_language() or "ar")[:2]
    attr = {"fr": "name_fr", "en": "name_en"}.get(lang, "name_ar")
    named = [(p.code, getattr(p, attr) or p.name_fr) for p in gazetteer.places(kinds=["city"])]
    return sorted(named, key=lambda choice: choice[1])


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and aria-invalid on the fields in error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class FilingForm(StyledForm):
    category = forms.ChoiceField(label=_("Kind of complaint"))
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    city = forms.ChoiceField(
        label=_("City"),
        required=False,
        help_text=_("With the neighbourhood in the address, enough to send your complaint to the right station."),
    )
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    contact_channel = forms.ChoiceField(
        label=_("How should we tell you about progress?"),
        choices=ContactChannel.choices,
        initial=ContactChannel.SMS,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=200, required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    language = forms.ChoiceField(label=_("Language of the messages"), choices=LANGUAGE_CHOICES)
    # Rendered by the template (several files in one input); here so that a refused file is
    # marked on its own field. Each file is checked by the services.
    attachments = forms.FileField(label=_("Documents and photos (optional)"), required=False)
    pow_challenge = forms.CharField(widget=forms.HiddenInput, max_length=300, required=False)
    pow_nonce = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the request's language: at class level it froze in the language active
        # at import time.
        self.fields["description"].help_text = _(
            "Describe the facts: what, when, who was involved (at most %(n)s characters)."
        ) % {"n": DESCRIPTION_MAX}
        self.categories = {c.code: c for c in categories}
        self.fields["category"].choices = [("", _("Choose…"))] + [(c.code, c.name) for c in categories]
        self.fields["city"].choices = [("", _("Choose the city…")), *city_choices()]
        # The honeypot: hidden from people (and from screen readers), filled by naive bots.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            max_length=200,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean_category(self):
        code = self.cleaned_data["category"]
        if code not in self.categories:
            raise ValidationError(_("Choose a kind of complaint from the list."))
        return self.categories[code]

    def clean(self):
        data = super().clean()
        channel = data.get("contact_channel")
        if channel == ContactChannel.SMS:
            raw = data.get("phone", "")
            if not raw:
                self.add_error("phone", _("Give a mobile number to receive SMS, or choose another option."))
            else:
                try:
                    data["phone"] = normalize_phone(raw)
                except ValidationFailed as exc:
                    self.add_error("phone", exc.message)
        elif channel == ContactChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address to receive e-mails, or choose another option."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Give both coordinates, or neither."))
        return data


class TrackForm(StyledForm):
    ref = forms.CharField(label=_("Reference"), max_length=32, widget=forms.TextInput(attrs={"dir": "ltr"}))
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReopenForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you reopen the complaint?"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class SurveyForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("How do you rate the service?"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = very poor, 5 = very good"),
    )
    feels_safer = forms.ChoiceField(label=_("Do you feel safer?"), choices=Safer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=COMMENT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsentForm(StyledForm):
    """The citizen lets an organisation check their identity (a bank, an operator...)."""

    partner = forms.ModelChoiceField(label=_("Organisation"), queryset=Partner.objects.none(), empty_label="—")
    purpose = forms.CharField(
        label=_("What for"),
        max_length=300,
        help_text=_("For example: opening a bank account."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=30)

    def __init__(self, *args, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(pk__in=[p.pk for p in partners]).order_by("name")
