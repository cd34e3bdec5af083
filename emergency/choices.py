"""Vocabularies of line 19, stored as readable strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    """P1 is the most urgent (life in danger now); P4 can wait."""

    P1 = "P1", _("P1 — life in danger")
    P2 = "P2", _("P2 — urgent")
    P3 = "P3", _("P3 — prompt")
    P4 = "P4", _("P4 — non-urgent")


class CallState(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    DISPATCHED = "dispatched", _("Patrol dispatched")
    EN_ROUTE = "en_route", _("Patrol en route")
    ON_SCENE = "on_scene", _("Patrol on scene")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    # Ends without a patrol sent.
    CANCELLED = "cancelled", _("Cancelled")
    DUPLICATE = "duplicate", _("Duplicate")
    INFORMATION_ONLY = "information_only", _("Information only")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")


class CallEnd(models.TextChoices):
    """How a call ends without a patrol sent (a subset of `CallState`)."""

    CANCELLED = "cancelled", _("Cancelled")
    DUPLICATE = "duplicate", _("Duplicate")
    INFORMATION_ONLY = "information_only", _("Information only")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")


class IncidentState(models.TextChoices):
    TRIAGED = "triaged", _("Waiting for a patrol")
    DISPATCHED = "dispatched", _("Patrol dispatched")
    EN_ROUTE = "en_route", _("Patrol en route")
    ON_SCENE = "on_scene", _("Patrol on scene")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    # Its calls were moved to another incident by the dispatcher (the same event).
    MERGED = "merged", _("Merged into another incident")


class PatrolKind(models.TextChoices):
    CAR = "car", _("Car")
    MOTORBIKE = "motorbike", _("Motorbike")
    FOOT = "foot", _("On foot")


class PatrolStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ASSIGNED = "assigned", _("Assigned")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    OFF_DUTY = "off_duty", _("Off duty")


class InterventionOutcome(models.TextChoices):
    HANDLED = "handled", _("Handled on the spot")
    ARREST = "arrest", _("Arrest made")
    REFERRED = "referred", _("Referred to a district / the prosecutor")
    NOTHING_FOUND = "nothing_found", _("Nothing found on arrival")
    ASSISTANCE = "assistance", _("Assistance given (ambulance, civil protection)")


class AssignmentEnd(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    REASSIGNED = "reassigned", _("Reassigned to another patrol")
    CANCELLED = "cancelled", _("Cancelled")
    # The patrol was taken off for a more urgent incident; this one went back to the waiting list.
    PREEMPTED = "preempted", _("Taken off for a more urgent incident")


class CallLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic / Darija")
    AMAZIGH = "zgh", _("Amazigh")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
