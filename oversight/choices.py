from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Words the project's catalogue (which takes precedence over this app's) translates for a
# complaint carry the "grievance" context here: a grievance is received, then filed (محفوظ).


class Body(models.TextChoices):
    """The institution that forwarded the grievance."""

    OMBUDSMAN = "ombudsman", _("Ombudsman (Mediator of the Kingdom)")
    INPPLC = "inpplc", _("INPPLC (integrity and anti-corruption authority)")
    CNDH = "cndh", _("CNDH (national human-rights council)")
    OTHER = "other", _("Other institution")


class GrievanceState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("grievance", "Received")
    INQUIRY = "inquiry", _("Inquiry under way")
    DRAFTED = "drafted", _("Answer drafted")
    REVIEWED = "reviewed", _("Answer reviewed")
    APPROVED = "approved", _("Answer approved by the head")
    SENT = "sent", _("Answer sent")
    CLOSED = "closed", pgettext_lazy("grievance", "Closed")


class Closure(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    REDIRECTED = "redirected", _("Redirected to the competent authority")
    OUTSIDE_REMIT = "outside_remit", _("Outside the police's remit")


class LetterLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")


class GrievanceEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("grievance", "Registered")
    TRANSITION = "transition", _("State change")
    LINK = "link", _("Complaint linked")
    FOLLOW_UP = "follow_up", _("Follow-up from the body")
    REMINDER = "reminder", _("Reminder from the body")
    OVERDUE = "overdue", _("Deadline missed")
    ESCALATION = "escalation", pgettext_lazy("grievance", "Escalation")
    LETTER = "letter", _("Answer letter produced")
    REVEAL = "reveal", _("Citizen's name shown")


class AllegationKind(models.TextChoices):
    """What an officer is said to have done (the Inspectorate's categories)."""

    FORCE = "force", _("Excessive use of force")
    DISCOURTESY = "discourtesy", _("Discourtesy or insult")
    CORRUPTION = "corruption", _("Bribe or corruption")
    ABUSE = "abuse", _("Abuse of authority")
    DISCRIMINATION = "discrimination", _("Discrimination")
    NEGLECT = "neglect", _("Neglect of duty")
    OTHER = "other", _("Other conduct")


class Finding(models.TextChoices):
    """The finding on one allegation, as civilian oversight bodies record them."""

    SUSTAINED = "sustained", _("Sustained")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")
    UNFOUNDED = "unfounded", _("Unfounded")
    EXONERATED = "exonerated", _("Exonerated")


class OfficerOutcome(models.TextChoices):
    NONE = "none", _("No action")
    TRAINING = "training", _("Training")
    DISCIPLINARY = "disciplinary", _("Disciplinary council")
    JUDICIAL = "judicial", _("Referral to the prosecutor")


class Topic(models.TextChoices):
    """What a grievance is about (the annual report counts them by topic)."""

    DELAY = "delay", _("Complaint not processed or too slow")
    REFUSAL = "refusal", _("Complaint refused at the counter")
    CONDUCT = "conduct", _("Officer's conduct")
    CUSTODY = "custody", _("Police custody")
    CORRUPTION = "corruption", _("Corruption")
    DOCUMENTS = "documents", _("Identity papers and certificates")
    OTHER = "other", _("Other")
