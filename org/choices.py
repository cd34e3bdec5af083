from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central directorate")
    WILAYA = "wilaya", _("Wilaya (regional security command)")
    AREA = "area", _("Area / provincial security")
    DISTRICT = "district", _("Police district")
    DUTY = "duty", _("Duty service")
    COMMAND_ROOM = "command_room", _("Command and coordination room")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    COMMUNICATION = "communication", _("Communication cell")
    # Where a complaint that routing cannot place waits for a person to send it on: one per
    # wilaya, and one national desk for complaints that name no city at all.
    ROUTING_DESK = "routing_desk", _("Routing desk")


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front-desk officer")
    INVESTIGATOR = "investigator", _("Investigator")
    UNIT_CHIEF = "unit_chief", _("Unit chief")
    DISPATCHER = "dispatcher", _("Dispatcher")
    PATROL = "patrol", _("Patrol")
    OVERSIGHT = "oversight", _("Oversight liaison")
    INSPECTOR = "inspector", _("Inspectorate officer")
    COMMUNICATION = "communication", _("Communication officer")
    ANALYST = "analyst", _("Analyst / director")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Service account through which the citizen portal and partner systems file complaints.
    PORTAL = "portal", _("Citizen portal (service account)")


class KeyScope(models.TextChoices):
    """What a credential opens: the staff REST API, the Open311 endpoint, the identity check."""

    API = "api", _("REST API (as its user)")
    OPEN311 = "open311", _("Open311 partner")
    TTP = "ttp", _("Trusted-third-party identity check")


class ThrottleScope(models.TextChoices):
    """What a sign-in throttle counts: the failures on one account name, from one address, or of
    API keys from one address."""

    ACCOUNT = "account", _("Account")
    ADDRESS = "address", _("Address")
    API_KEY = "api_key", _("API key address")
