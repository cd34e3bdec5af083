from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    QUALIFIED = "qualified", _("Qualified")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    AWAITING_COMPLAINANT = "awaiting_complainant", _("Waiting on the complainant")
    REFERRED = "referred", _("Referred to the prosecutor")
    INSTRUCTIONS_RECEIVED = "instructions_received", _("Prosecutor's instructions received")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    COUNTER = "counter", _("District counter")
    DUTY = "duty", _("Duty service")
    LINE19 = "line19", _("Emergency line 19")
    ONLINE = "online", _("Online")
    PRESS = "press", _("Press / social media")
    OMBUDSMAN = "ombudsman", _("Ombudsman (Mediator of the Kingdom)")
    INPPLC = "inpplc", _("INPPLC")
    CNDH = "cndh", _("CNDH")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    REFERRED_COMPETENT = "referred_competent", _("Referred to the competent authority")
    UNFOUNDED = "unfounded", _("Unfounded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LegalSource(models.TextChoices):
    """The text an offence of the reference list is defined by."""

    PENAL_CODE = "penal_code", _("Penal code")
    PRESS_CODE = "press_code", _("Press and publishing code")
    LAW_103_13 = "law_103_13", _("Law 103-13 on violence against women")
    NONE = "none", _("No offence")


class Sensitivity(models.TextChoices):
    """Who may see a case beyond the plain jurisdiction rule."""

    NORMAL = "normal", _("Normal")
    # Domestic violence, sexual offences, minors: the assigned officer, the registering officer
    # and unit chiefs of the jurisdiction only.
    PROTECTED = "protected", _("Protected")
    # Complaints against an officer: the Inspectorate only.
    AGAINST_OFFICER = "against_officer", _("Against an officer (Inspectorate)")


class EventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    TRANSITION = "transition", _("State change")
    TRANSFER = "transfer", _("Transfer")
    ASSIGNMENT = "assignment", _("Assignment")
    NOTE = "note", _("Note")
    ATTACHMENT = "attachment", _("Attachment")
    PERSONAL_DATA_READ = "personal_data_read", _("Personal data shown")
    ESCALATION = "escalation", _("Escalation")
    LINK = "link", _("Linked complaint")
    RECEIPT = "receipt", _("Receipt printed")
    INSTRUCTION = "instruction", _("Prosecutor's instruction")
    INSTRUCTION_EXECUTED = "instruction_executed", _("Instruction executed")


class RevealPurpose(models.TextChoices):
    """Why an officer displays a complainant's identity (law 09-08: every read has a purpose)."""

    CHECK_INTAKE = "check_intake", _("Check what was registered at the counter")
    CONTACT = "contact", _("Contact the complainant")
    HEARING = "hearing", _("Summon or hear the complainant")
    IDENTITY = "identity", _("Check the complainant's identity")
    PROSECUTOR = "prosecutor", _("Prepare the file for the prosecutor")
    GRIEVANCE = "grievance", _("Answer an oversight body")


class RouteTarget(models.TextChoices):
    DISTRICT = "district", _("Competent police district")
    INSPECTORATE = "inspectorate", _("Inspectorate")


class CourtLevel(models.TextChoices):
    """The court a prosecutor's office sits at."""

    FIRST_INSTANCE = "first_instance", _("Court of first instance")
    APPEAL = "appeal", _("Court of appeal")


class InstructionKind(models.TextChoices):
    """What the public prosecutor instructs the police to do on a referred file."""

    HEAR = "hear", _("Hear a person")
    INVESTIGATE = "investigate", _("Investigate further")
    ARREST_PRESENT = "arrest_present", _("Arrest and present")
    CLOSE = "close", _("Close the file")
    OTHER = "other", _("Other")


class ResultKind(models.TextChoices):
    """Operational results recorded on a case: people presented to the prosecutor and seizures
    (the annual review sums the validated ones per unit and period)."""

    ARRESTS = "arrests", _("People presented to the prosecutor")
    TABLETS = "psychotropic_tablets", _("Psychotropic tablets seized")
    CANNABIS_RESIN = "cannabis_resin", _("Cannabis resin seized")
    COCAINE = "cocaine", _("Cocaine seized")
    WEAPONS = "weapons", _("Weapons seized")
    VEHICLES = "vehicles", _("Vehicles seized")
    CASH = "cash", _("Cash seized")


# The unit each kind is counted in, and how many decimals it takes (0: a whole count).
RESULT_UNITS: dict[str, tuple[str, int]] = {
    ResultKind.ARRESTS: ("persons", 0),
    ResultKind.TABLETS: ("tablets", 0),
    ResultKind.CANNABIS_RESIN: ("kg", 3),
    ResultKind.COCAINE: ("g", 3),
    ResultKind.WEAPONS: ("items", 0),
    ResultKind.VEHICLES: ("items", 0),
    ResultKind.CASH: ("MAD", 2),
}


class MeasureUnit(models.TextChoices):
    PERSONS = "persons", _("persons")
    TABLETS = "tablets", _("tablets")
    KG = "kg", _("kg")
    G = "g", _("g")
    ITEMS = "items", _("items")
    MAD = "MAD", _("dirhams")
