"""Month names as Morocco writes them in Arabic dates.

Django formats a date's month with its own catalogue: "F" with gettext("January") ... , "E" with
pgettext("alt. month", ...), "N" with pgettext("abbrev. month", "Jan.") ... and "b" / "M" with
gettext("jan") ... Its Arabic catalogue gives the Middle-Eastern names (نوفمبر); Moroccan
administration and press write يناير، فبراير، مارس، أبريل، ماي، يونيو، يوليوز، غشت، شتنبر، أكتوبر،
نونبر، دجنبر. The project's catalogue (LOCALE_PATHS) takes precedence over Django's, so the same
message ids are declared here, which keeps them in locale/*/django.po with Morocco's names.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The order of the calendar; every date format of every page goes through these.
MOROCCAN_MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)

MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
MONTHS_3 = (
    _("jan"),
    _("feb"),
    _("mar"),
    _("apr"),
    _("may"),
    _("jun"),
    _("jul"),
    _("aug"),
    _("sep"),
    _("oct"),
    _("nov"),
    _("dec"),
)
