"""The indicators. Each docstring is the formula the dashboards and exports show; columns are the
rollups' (analytics.models), summed over the jurisdiction and the period."""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _

from analytics.indicators.registry import (
    BACKLOG,
    COMPLAINTS,
    COUNT,
    DURATION,
    LINE19,
    OVERSIGHT,
    READINESS,
    SATISFACTION,
    SCORE,
    SHARE,
    Sums,
    indicator,
    ratio,
)
from analytics.rollups.line19 import RESPONSE_BANDS


def band_percentile(hist: list[int], p: float) -> float | None:
    """The upper edge (seconds) of the response band holding the p-th percentile (nearest rank);
    infinity when it lies in the open band past the last edge."""
    n = sum(hist)
    if not n:
        return None
    rank = max(math.ceil(n * p / 100), 1)
    seen = 0
    for i, count in enumerate(hist):
        seen += count
        if seen >= rank:
            return float(RESPONSE_BANDS[i]) if i < len(RESPONSE_BANDS) else math.inf
    return math.inf


# ---------------------------------------------------------------- complaints (ComplaintDay)


@indicator(
    "received",
    _("Complaints received"),
    COMPLAINTS,
    COUNT,
    records="received",
    explanation=_("Complaints registered during the period."),
)
def received(s: Sums) -> float | None:
    """sum(received): complaints registered in the period."""
    return s["received"]


@indicator(
    "first_action_hours",
    _("Mean time to first action (hours)"),
    COMPLAINTS,
    DURATION,
    records="first_action",
    explanation=_(
        "Average time, in calendar hours, between the filing of a complaint and the first action taken on "
        "it, for complaints first acted on during the period."
    ),
)
def first_action_hours(s: Sums) -> float | None:
    """sum(first_action_seconds) / sum(first_actions) / 3600: calendar time from intake to the first
    transition, for complaints first acted on in the period."""
    return ratio(s["first_action_seconds"], s["first_actions"] * 3600)


@indicator(
    "first_action_late_share",
    _("First actions past the category's hours"),
    COMPLAINTS,
    SHARE,
    explanation=_("Share of first actions taken later than the number of hours set for the complaint's category."),
)
def first_action_late_share(s: Sums) -> float | None:
    """sum(first_action_late) / sum(first_actions)."""
    return ratio(s["first_action_late"], s["first_actions"])


@indicator(
    "closed",
    _("Complaints closed"),
    COMPLAINTS,
    COUNT,
    records="closed",
    explanation=_("Complaints closed during the period; a reopened complaint counts only at its final closure."),
)
def closed(s: Sums) -> float | None:
    """sum(closed): closures in the period (a reopened complaint counts at its final closure only)."""
    return s["closed"]


@indicator(
    "closure_days",
    _("Mean working time to closure (days)"),
    COMPLAINTS,
    DURATION,
    records="closed",
    explanation=_(
        "Average working time, in days, from filing to closure; time spent waiting on the complainant or the "
        "prosecutor is not counted."
    ),
)
def closure_days(s: Sums) -> float | None:
    """sum(closure_seconds) / sum(closed) / 86400: the pausing clock at closure (time waiting on the
    complainant or the prosecutor excluded)."""
    return ratio(s["closure_seconds"], s["closed"] * 86400)


@indicator(
    "within_deadline_share",
    _("Closed within the deadline"),
    COMPLAINTS,
    SHARE,
    records="closed_late",
    explanation=_(
        "Share of closures made within the number of days set for the complaint's category; the records "
        "behind it are the late closures."
    ),
)
def within_deadline_share(s: Sums) -> float | None:
    """sum(closed_within) / sum(closed): closures whose pausing clock stayed within the category's
    closure days (the records behind it are the late ones)."""
    return ratio(s["closed_within"], s["closed"])


@indicator(
    "reopened",
    _("Complaints reopened"),
    COMPLAINTS,
    COUNT,
    records="reopened",
    explanation=_("Complaints reopened by a chief or by the complainant during the period."),
)
def reopened(s: Sums) -> float | None:
    """sum(reopened): reopenings (by a chief or the complainant) in the period."""
    return s["reopened"]


@indicator(
    "escalations",
    _("Escalations"),
    COMPLAINTS,
    COUNT,
    records="escalations",
    explanation=_("Complaints raised to a chief (unit, area or province) during the period."),
)
def escalations(s: Sums) -> float | None:
    """sum(escalated): escalations to a chief (unit, area, wilaya) made in the period."""
    return s["escalated"]


@indicator(
    "transferred_in",
    _("Complaints received by transfer"),
    COMPLAINTS,
    COUNT,
    explanation=_("Complaints transferred into the units of this jurisdiction during the period."),
)
def transferred_in(s: Sums) -> float | None:
    """sum(transferred_in): transfers into the jurisdiction's units in the period."""
    return s["transferred_in"]


@indicator(
    "referred",
    _("Referrals to the prosecutor"),
    COMPLAINTS,
    COUNT,
    records="referred",
    explanation=_("Judicial files referred to the prosecutor during the period."),
)
def referred(s: Sums) -> float | None:
    """sum(referred): judicial files referred to the prosecutor in the period."""
    return s["referred"]


@indicator(
    "instructions_days",
    _("Mean time from referral to instructions (days)"),
    COMPLAINTS,
    DURATION,
    explanation=_(
        "Average time, in days, from referral to the prosecutor to the receipt of the prosecutor's "
        "instructions, for instructions received during the period."
    ),
)
def instructions_days(s: Sums) -> float | None:
    """sum(referral_seconds) / sum(instructions) / 86400, for instructions received in the period."""
    # Execution of the instructions: from the oversight app's structured instructions when merged
    # (TODO hook `judicial_executed`, analytics.indicators.hooks).
    return ratio(s["referral_seconds"], s["instructions"] * 86400)


# ---------------------------------------------------------------- open backlog (BacklogNow, now)


@indicator(
    "open",
    _("Open complaints"),
    BACKLOG,
    COUNT,
    records="open",
    explanation=_("Complaints not yet closed, now."),
)
def open_backlog(s: Sums) -> float | None:
    """sum(open): complaints not closed, now."""
    return s["open"]


@indicator(
    "overdue",
    _("Overdue"),
    BACKLOG,
    COUNT,
    records="overdue",
    explanation=_("Open complaints past a running deadline, now."),
)
def overdue(s: Sums) -> float | None:
    """sum(overdue): open complaints past a running deadline, now."""
    return s["overdue"]


@indicator(
    "escalated_now",
    _("Escalated, still open"),
    BACKLOG,
    COUNT,
    records="escalated",
    explanation=_("Open complaints raised to a chief, now."),
)
def escalated_now(s: Sums) -> float | None:
    """sum(escalated): open complaints raised to a chief, now."""
    return s["escalated"]


@indicator(
    "waiting_complainant",
    _("Waiting on the complainant"),
    BACKLOG,
    COUNT,
    records="waiting_complainant",
    explanation=_("Open complaints waiting on the complainant, now; their clock is paused."),
)
def waiting_complainant(s: Sums) -> float | None:
    """sum(open) where state = awaiting_complainant (the clock is paused)."""
    return s["by_state"].get("awaiting_complainant", 0)


@indicator(
    "waiting_prosecutor",
    _("Waiting on the prosecutor"),
    BACKLOG,
    COUNT,
    records="waiting_prosecutor",
    explanation=_("Open complaints waiting on the prosecutor, now; their clock is paused."),
)
def waiting_prosecutor(s: Sums) -> float | None:
    """sum(open) where state = referred (the clock is paused)."""
    return s["by_state"].get("referred", 0)


@indicator(
    "backlog_over_30_share",
    _("Open for more than 30 days"),
    BACKLOG,
    SHARE,
    records="open_old",
    explanation=_("Share of open complaints filed more than 30 days ago."),
)
def backlog_over_30_share(s: Sums) -> float | None:
    """(sum(age_31_90) + sum(age_over_90)) / sum(open): age of the open backlog since intake."""
    return ratio(s["age_31_90"] + s["age_over_90"], s["open"])


@indicator(
    "backlog_over_90_share",
    _("Open for more than 90 days"),
    BACKLOG,
    SHARE,
    explanation=_("Share of open complaints filed more than 90 days ago."),
)
def backlog_over_90_share(s: Sums) -> float | None:
    """sum(age_over_90) / sum(open): the oldest part of the open backlog (an annual objective)."""
    return ratio(s["age_over_90"], s["open"])


# ---------------------------------------------------------------- line 19 (ResponseDay)


@indicator(
    "incidents",
    _("Line-19 incidents with a patrol"),
    LINE19,
    COUNT,
    explanation=_("Line-19 incidents received during the period to which a patrol was sent."),
)
def incidents(s: Sums) -> float | None:
    """sum(incidents): incidents received in the period that got a patrol."""
    return s["incidents"]


@indicator(
    "call_processing_min",
    _("Mean call processing (minutes)"),
    LINE19,
    DURATION,
    explanation=_("Average time, in minutes, from the call being received to a patrol being dispatched."),
)
def call_processing_min(s: Sums) -> float | None:
    """sum(call_processing_s) / sum(call_processing_n) / 60: call received → patrol dispatched."""
    return ratio(s["call_processing_s"], s["call_processing_n"] * 60)


@indicator(
    "turnout_min",
    _("Mean turnout (minutes)"),
    LINE19,
    DURATION,
    explanation=_("Average time, in minutes, from a patrol being dispatched to it being on its way."),
)
def turnout_min(s: Sums) -> float | None:
    """sum(turnout_s) / sum(turnout_n) / 60: dispatched → en route."""
    return ratio(s["turnout_s"], s["turnout_n"] * 60)


@indicator(
    "travel_min",
    _("Mean travel (minutes)"),
    LINE19,
    DURATION,
    explanation=_("Average time, in minutes, from a patrol being on its way to it arriving on scene."),
)
def travel_min(s: Sums) -> float | None:
    """sum(travel_s) / sum(travel_n) / 60: en route → on scene."""
    return ratio(s["travel_s"], s["travel_n"] * 60)


@indicator(
    "response_median_min",
    _("Median response, upper bound (minutes)"),
    LINE19,
    DURATION,
    explanation=_(
        "Half of the patrols arrived on scene within this many minutes of the call (upper bound of the time band)."
    ),
)
def response_median_min(s: Sums) -> float | None:
    """Upper edge of the response band (RESPONSE_BANDS) holding the median of received → on scene."""
    p = band_percentile(s["response_hist"], 50)
    return p / 60 if p is not None else None


@indicator(
    "response_p90_min",
    _("90th percentile of response, upper bound (minutes)"),
    LINE19,
    DURATION,
    explanation=_(
        "Nine patrols out of ten arrived on scene within this many minutes of the call (upper bound of the time band)."
    ),
)
def response_p90_min(s: Sums) -> float | None:
    """Upper edge of the response band holding the 90th percentile of received → on scene."""
    p = band_percentile(s["response_hist"], 90)
    return p / 60 if p is not None else None


@indicator(
    "under_target_share",
    _("On scene within the priority's target"),
    LINE19,
    SHARE,
    explanation=_("Share of patrols on scene within the target time set for the incident's priority."),
)
def under_target_share(s: Sums) -> float | None:
    """sum(under_target) / sum(response_n): on scene within AMANE_RESPONSE_TARGETS_MINUTES."""
    return ratio(s["under_target"], s["response_n"])


# ---------------------------------------------------------------- readiness (ReadinessDay)


@indicator(
    "readiness_share",
    _("Patrols on duty against the roster"),
    READINESS,
    SHARE,
    explanation=_("Share of the period's planned roster shifts whose patrol signed on."),
)
def readiness_share(s: Sums) -> float | None:
    """sum(signed_on) / sum(planned): roster shifts of the period whose patrol signed on."""
    return ratio(s["signed_on"], s["planned"])


# ---------------------------------------------------------------- survey (SatisfactionDay)


@indicator(
    "survey_answers",
    _("Survey answers"),
    SATISFACTION,
    COUNT,
    explanation=_("Satisfaction surveys answered during the period."),
)
def survey_answers(s: Sums) -> float | None:
    """sum(answers): satisfaction surveys answered in the period."""
    return s["answers"]


@indicator(
    "satisfied_share",
    _("Satisfied (4 or 5 out of 5)"),
    SATISFACTION,
    SHARE,
    explanation=_("Share of survey answers rating the service 4 or 5 out of 5."),
)
def satisfied_share(s: Sums) -> float | None:
    """sum(satisfied) / sum(answers)."""
    return ratio(s["satisfied"], s["answers"])


@indicator(
    "mean_rating",
    _("Mean rating (out of 5)"),
    SATISFACTION,
    SCORE,
    explanation=_("Average rating given in the survey answers, out of 5."),
)
def mean_rating(s: Sums) -> float | None:
    """sum(rating_sum) / sum(answers)."""
    return ratio(s["rating_sum"], s["answers"])


@indicator(
    "feel_safer_share",
    _("Feel safer"),
    SATISFACTION,
    SHARE,
    explanation=_('Share of survey answers saying yes to "Do you feel safer?".'),
)
def feel_safer_share(s: Sums) -> float | None:
    """sum(safer_yes) / sum(answers): answered "yes" to "do you feel safer?"."""
    return ratio(s["safer_yes"], s["answers"])


# ---------------------------------------------------------------- against officers (Inspectorate only)


@indicator(
    "against_officer_received",
    _("Complaints against officers received"),
    OVERSIGHT,
    COUNT,
    explanation=_("Complaints against officers registered during the period; shown to the Inspectorate only."),
)
def against_officer_received(s: Sums) -> float | None:
    """sum(received) over the against-officer sensitivity; shown to the Inspectorate only."""
    # Ombudsman grievances: from the oversight app when merged (TODO hook `grievances`).
    return s["received"]


@indicator(
    "against_officer_closed",
    _("Complaints against officers closed"),
    OVERSIGHT,
    COUNT,
    explanation=_("Complaints against officers closed during the period."),
)
def against_officer_closed(s: Sums) -> float | None:
    """sum(closed) over the against-officer sensitivity."""
    return s["closed"]
