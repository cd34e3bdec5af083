from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The institution that forwarded the grievance."""

    OMBUDSMAN = "ombudsman", _("Ombudsman (Mediator of the Kingdom)")
    INPPLC = "inpplc", _("INPPLC (integrity and anti-corruption authority)")
    CNDH = "cndh", _("CNDH (national human-rights council)")
    OTHER = "other", _("Other institution")


class GrievanceState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INQUIRY = "inquiry", _("Inquiry under way")
    DRAFTED = "drafted", _("Answer drafted")
    REVIEWED = "reviewed", _("Answer reviewed")
    APPROVED = "approved", _("Answer approved by the head")
    SENT = "sent", _("Answer sent")
    CLOSED = "closed", _("Closed")


class Closure(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    REDIRECTED = "redirected", _("Redirected to the competent authority")
    OUTSIDE_REMIT = "outside_remit", _("Outside the police's remit")


class LetterLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")


class GrievanceEventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    TRANSITION = "transition", _("State change")
    LINK = "link", _("Complaint linked")
    FOLLOW_UP = "follow_up", _("Follow-up from the body")
    REMINDER = "reminder", _("Reminder from the body")
    OVERDUE = "overdue", _("Deadline missed")
    ESCALATION = "escalation", _("Escalation")
    LETTER = "letter", _("Answer letter produced")
    REVEAL = "reveal", _("Citizen's name shown")
