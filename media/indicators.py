"""The media desk's two indicators (DESIGN.md "Indicators"):

- media demands: time from publication to first answer — for events labelled a citizens' demand,
  `first_answer_at - first_seen` (first_seen: the first item's publication or reception);
- rumours: time to a published rebuttal — for events with a published rebuttal,
  `rebutted_at - first_seen`.

Each gives count, median and p90 in seconds over the events first seen in a period. They are shown
on the communication officer's inbox (scoped like the inbox) and registered as the analytics hooks
`media_first_answer` and `rumour_rebuttal` (analytics.indicators.hooks), scoped by unit path.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.metrics import percentile
from media.choices import Label
from media.models import Event

LABELS = {
    "media_first_answer": (
        _("Media demands: time from publication to first answer"),
        _(
            "For each citizens' demand published in the press or on social media: the time from its first "
            "publication to the first action of the communication cell (complaint, intervention, request for "
            "facts, verification or communiqué). Median and 90th percentile over the period's demands answered."
        ),
    ),
    "rumour_rebuttal": (
        _("Rumours: time to a published rebuttal"),
        _(
            "For each claim found false or misleading: the time from its first publication to the publication of "
            "the rebuttal communiqué. Median and 90th percentile over the period's rebutted rumours."
        ),
    ),
}


def _figures(seconds: list[float]) -> dict[str, float | None]:
    return {"count": float(len(seconds)), "median_s": percentile(seconds, 50), "p90_s": percentile(seconds, 90)}


def first_answer(events: QuerySet[Event]) -> dict[str, float | None]:
    rows = events.filter(label=Label.DEMAND, first_answer_at__isnull=False).annotate(
        took=F("first_answer_at") - F("first_seen")
    )
    return _figures([max(r.total_seconds(), 0.0) for r in rows.values_list("took", flat=True)])


def rebuttal(events: QuerySet[Event]) -> dict[str, float | None]:
    rows = events.filter(rebutted_at__isnull=False).annotate(took=F("rebutted_at") - F("first_seen"))
    return _figures([max(r.total_seconds(), 0.0) for r in rows.values_list("took", flat=True)])


def in_period(events: QuerySet[Event], start: date, end: date) -> QuerySet[Event]:
    def aware(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(0, 0)))

    return events.filter(first_seen__gte=aware(start), first_seen__lt=aware(end))


def media_first_answer_hook(unit_path: str, start: date, end: date) -> dict[str, float | None]:
    """analytics hook: the figure for the events placed in the unit's jurisdiction."""
    return first_answer(in_period(Event.objects.filter(unit__path__startswith=unit_path), start, end))


def rumour_rebuttal_hook(unit_path: str, start: date, end: date) -> dict[str, float | None]:
    return rebuttal(in_period(Event.objects.filter(unit__path__startswith=unit_path), start, end))
