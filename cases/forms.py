"""Forms of the staff pages. They parse and render; the rules live in the services.

A form only turns request data into typed values (a Category, a float, a Unit). Whether a CNIE is
valid, a point is in Morocco or a file is what its name says is decided by `cases.services`, whose
`DomainError.fields` are put back on these forms by `cases.views.form_error`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.choices import Channel, InstructionKind, Outcome, Priority, ResultKind, RevealPurpose, State
from cases.models import ProsecutorOffice
from cases.workflow import FIELD_LABELS, Transition
from org.choices import UnitKind
from org.models import Unit, User
from org.selectors import officers_for, officers_of, transfer_targets

LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
# Numbers, identifiers and coordinates read left to right even on an Arabic page.
LTR = {"dir": "ltr", "autocomplete": "off"}


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class CategorySelect(forms.Select):
    """A category select whose options carry their procedure, so the page shows it without a
    round-trip (see static/js/amane.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        category = getattr(value, "instance", None)
        if category is not None:
            deadlines = _("First action within %(hours)s hours, closure within %(days)s days.") % {
                "hours": category.first_action_hours,
                "days": category.closure_days,
            }
            option["attrs"].update(
                {
                    "data-procedure": category.procedure,
                    "data-deadlines": str(deadlines),
                    "data-prosecutor": "1" if category.prosecutor_mandatory else "",
                    "data-priority": category.default_priority,
                    "data-anonymous": "1" if category.allows_anonymous else "",
                }
            )
        return option


class OffenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.display_name} ({obj.code})"


class CoordinateField(forms.FloatField):
    """A coordinate as typed at a Moroccan counter: a comma or the Arabic decimal separator (٫)
    works as well as a dot, and Arabic-Indic digits are read as digits."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u066b", ".").replace(",", ".")
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one is checked by the service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class StyledForm(forms.Form):
    """Gives every widget its Bootstrap class, so templates render fields with `{{ field }}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def default_channel(user: User) -> str:
    """A district's counter registers walk-ins, a duty service its own channel."""
    kind = user.unit.kind if user.unit_id else None
    if kind == UnitKind.DUTY:
        return Channel.DUTY
    if kind == UnitKind.COMMAND_ROOM:
        return Channel.LINE19
    return Channel.COUNTER


class IntakeForm(StyledForm):
    """The counter's form, in the order an officer fills it with the keyboard."""

    category = CategoryChoiceField(
        label=_("Category"),
        queryset=selectors.active_categories(),
        to_field_name="code",
        empty_label=_("Choose the kind of complaint"),
        widget=CategorySelect(attrs={"autofocus": True}),
    )
    anonymous = forms.BooleanField(label=_("Anonymous complaint"), required=False)
    full_name = forms.CharField(label=_("Complainant's full name"), max_length=200, required=False)
    cnie = forms.CharField(
        label=_("CNIE number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**LTR, "placeholder": "AB123456"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**LTR, "inputmode": "tel", "placeholder": "06 12 34 56 78"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput(attrs={**LTR, "autocomplete": "off"})
    )
    language = forms.ChoiceField(label=_("Contact language"), choices=LANGUAGES, initial="ar")
    notify_consent = forms.BooleanField(
        label=_("The complainant agrees to receive an SMS or e-mail at each step of the complaint"),
        required=False,
        help_text=_("Acknowledgement, main steps, closing notice and satisfaction survey, in the contact language."),
    )
    description = forms.CharField(label=_("Facts"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label=_("Address of the facts"), max_length=300, required=False)
    # No placeholder: grey numbers in an empty field read as coordinates already filled in.
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        widget=forms.TextInput(attrs={**LTR, "inputmode": "decimal"}),
        help_text=_("Optional: the map fills it; without it, the address is placed by its neighbourhood."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        required=False,
        widget=forms.TextInput(attrs={**LTR, "inputmode": "decimal"}),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("As the category says")), *Priority.choices],
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    assigned_unit = UnitChoiceField(
        label=_("Handling unit (only to override the routing)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("As proposed by routing"),
    )
    routing_reason = forms.CharField(label=_("Reason for the override"), max_length=300, required=False)
    attachments = MultipleFileField(label=_("Attachments (PDF, JPEG, PNG, WebP)"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_unit"].queryset = transfer_targets(user)
        self.fields["channel"].initial = default_channel(user)


class CaseFilterForm(StyledForm):
    """The filters of the unit queue and of "my cases" (GET parameters)."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), ("open", _("Open")), *State.choices],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), ("1", _("Overdue")), ("0", _("On time"))],
    )
    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All officers"),
    )
    q = forms.CharField(label=_("Reference"), required=False, max_length=24, widget=forms.TextInput(attrs=LTR))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((c.code, c.name) for c in selectors.active_categories()),
        ]
        self.fields["officer"].queryset = officers_for(user)

    def filters(self) -> selectors.CaseFilters:
        self.is_valid()  # a wrong value drops that filter only: cleaned_data keeps the others
        data = self.cleaned_data
        overdue = data.get("overdue")
        officer = data.get("officer")
        return selectors.CaseFilters(
            state=data.get("state", ""),
            category=data.get("category", ""),
            channel=data.get("channel", ""),
            overdue=None if not overdue else overdue == "1",
            officer=officer.pk if officer else None,
            q=data.get("q", ""),
        )


# Fields a transition offers beyond the ones it requires.
TRANSITION_EXTRA = {"refer": ("office", "sent"), "record_instructions": ("instruction_kind", "instruction_due_at")}


class TransitionForm(StyledForm):
    """One workflow action; only the fields the transition requires are kept."""

    transition = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=FIELD_LABELS["note"], max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=FIELD_LABELS["outcome"], choices=[("", "—"), *Outcome.choices])
    prosecutor_office = forms.CharField(label=FIELD_LABELS["prosecutor_office"], max_length=200)
    prosecutor_reference = forms.CharField(
        label=FIELD_LABELS["prosecutor_reference"], max_length=64, widget=forms.TextInput(attrs=LTR)
    )
    unit = UnitChoiceField(label=FIELD_LABELS["unit"], queryset=Unit.objects.none())
    # The prosecutor's side: the office from the reference list (the free-text office stays for an
    # office not in it), what was sent; the instruction's kind and deadline.
    office = forms.ModelChoiceField(
        label=FIELD_LABELS["office"], queryset=ProsecutorOffice.objects.none(), required=False
    )
    sent = forms.CharField(
        label=FIELD_LABELS["sent"], max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    instruction_kind = forms.ChoiceField(
        label=FIELD_LABELS["instruction_kind"], choices=[("", "—"), *InstructionKind.choices], required=False
    )
    instruction_due_at = forms.DateField(
        label=FIELD_LABELS["instruction_due_at"], required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    offence = OffenceChoiceField(
        label=FIELD_LABELS["offence"], queryset=selectors.active_offences(), empty_label=_("Choose the offence")
    )
    report = forms.CharField(
        label=FIELD_LABELS["report"],
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and found, and why the complaint is closed."),
    )

    def __init__(self, *args, transition: Transition, user: User, **kwargs):
        kwargs.setdefault("auto_id", f"id_{transition.name}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"]["transition"] = transition.name
        super().__init__(*args, **kwargs)
        self.transition = transition
        extra = TRANSITION_EXTRA.get(transition.name, ())
        for name in ("office", "sent", "instruction_kind", "instruction_due_at"):
            if name not in extra:
                del self.fields[name]
        if "office" in self.fields:
            self.fields["office"].queryset = selectors.prosecutor_offices()
        for name in ("note", "outcome", "prosecutor_office", "prosecutor_reference", "unit", "offence", "report"):
            if name not in transition.required:
                del self.fields[name]
            elif name == "prosecutor_office":
                # Filled from the list when an office is chosen there.
                self.fields[name].required = False
                self.fields[name].label = _("Other office (not in the list)")
            else:
                # Required fields are checked by the service (one message, one place); the
                # browser's `required` attribute still helps the officer.
                self.fields[name].required = False
                self.fields[name].widget.attrs["required"] = True
        if "unit" in self.fields:
            self.fields["unit"].queryset = transfer_targets(user)


class ExecuteInstructionForm(StyledForm):
    """The execution of a prosecutor's instruction, reported back with its date."""

    report = forms.CharField(
        label=_("How it was executed"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    executed_on = forms.DateField(
        label=_("Executed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NoteForm(StyledForm):
    note = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (unit)"),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers_of(unit)


class AttachForm(StyledForm):
    file = forms.FileField(
        label=_("File (PDF, JPEG, PNG, WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )


class RevealForm(forms.Form):
    """Why the officer needs the complainant's identity, and which part of it."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *RevealPurpose.choices])
    show = forms.MultipleChoiceField(
        label=_("Show"),
        choices=[("full_name", _("Name")), ("cnie", _("CNIE")), ("phone", _("Phone"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["full_name", "cnie", "phone"],
    )


class ResultForm(StyledForm):
    """An operational result typed on the case page; the quantity is checked by the service (a
    count is whole, a weight takes its unit's decimals), whose refusal comes back on the field."""

    kind = forms.ChoiceField(label=_("Result"), choices=ResultKind.choices)
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=24,
        help_text=_("People or items: a whole number; cannabis resin in kg, cocaine in g, cash in dirhams."),
        widget=forms.TextInput(attrs={**LTR, "inputmode": "decimal"}),
    )
    occurred_on = forms.DateField(label=_("Date of the operation"), widget=forms.DateInput(attrs={"type": "date"}))
