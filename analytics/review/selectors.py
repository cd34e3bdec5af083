"""Reads of the annual review, narrowed to the viewer: chiefs and analysts see the reviews of the
units of their jurisdiction (`org.access.REVIEW`); anyone else, and any unit outside, gets the 404
of a missing unit. Who may write what is decided here too (`may_write`, `may_oversee`), so pages
offer only the forms the services will accept."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from analytics.models_review import Milestone, Objective, Review, RoadmapAlert
from analytics.review.choices import ReviewState, Status
from analytics.review.figures import Row, results_table, review_rows
from analytics.selectors import jurisdiction_unit
from core.errors import NotFound
from org import access
from org.choices import Role, UnitKind
from org.models import Unit, User

YEARS = range(2000, 2200)
# Units that keep a review: the chain of command, not the rooms and desks beside it.
REVIEWED_KINDS = (UnitKind.CENTRAL, UnitKind.WILAYA, UnitKind.AREA, UnitKind.DISTRICT, UnitKind.DUTY)


def may_read(user: User) -> bool:
    return user.unit_id is not None and access.allows(user.roles, access.REVIEW)


def review_unit(user: User, unit_id: int | None = None) -> Unit:
    """The viewer's unit or a unit of their jurisdiction; missing and outside alike are 404."""
    return jurisdiction_unit(user, unit_id, access.REVIEW)


def check_year(year: int) -> int:
    if year not in YEARS:
        raise NotFound(_("No review for this year."))
    return year


def is_chief(user: User) -> bool:
    return user.has_role(Role.UNIT_CHIEF) and user.unit_id is not None


def may_write(user: User, unit: Unit) -> bool:
    """The head of the unit writes its review and marks its milestones done."""
    return is_chief(user) and user.unit_id == unit.pk


def may_oversee(user: User, unit: Unit) -> bool:
    """A chief of a unit above sets the objectives and comments and freezes the review; the central
    unit, with nobody above it, does both for itself (its objectives are the national defaults)."""
    own = user.unit
    if not is_chief(user) or own is None:
        return False
    if unit.pk == own.pk:
        return own.parent_id is None
    return unit.path.startswith(own.path)


def review_of(unit: Unit, year: int) -> Review | None:
    return Review.objects.filter(unit=unit, year=year).first()


def rows_of(unit: Unit, year: int, review: Review | None) -> list[Row]:
    """A frozen review's stored figures; otherwise computed now."""
    if review is not None and review.frozen:
        return [Row(**r) for r in review.figures.get("rows", [])]
    return review_rows(unit, year)


def results_of(unit: Unit, year: int, review: Review | None) -> list[dict[str, Any]]:
    if review is not None and review.frozen:
        return list(review.figures.get("results", []))
    return results_table(unit, year)


@dataclass
class ReviewPage:
    unit: Unit
    year: int
    review: Review | None
    rows: list[Row]
    results: list[dict[str, Any]]
    may_write: bool
    may_oversee: bool

    @property
    def state(self) -> str:
        return self.review.state if self.review else ReviewState.DRAFT


def review_page(user: User, unit: Unit, year: int) -> ReviewPage:
    review = review_of(unit, year)
    return ReviewPage(
        unit=unit,
        year=year,
        review=review,
        rows=rows_of(unit, year, review),
        results=results_of(unit, year, review),
        may_write=may_write(user, unit),
        may_oversee=may_oversee(user, unit),
    )


def objectives_set_here(unit: Unit, year: int) -> list[Objective]:
    """The objectives set on this very unit (the ones its overseer may change or remove)."""
    return list(Objective.objects.filter(unit=unit, year=year).prefetch_related("milestones"))


def objective_get(user: User, pk: int) -> Objective:
    obj = Objective.objects.select_related("unit").filter(pk=pk).first()
    if obj is None or not may_read(user) or user.unit is None or not obj.unit.path.startswith(user.unit.path):
        raise NotFound(_("No such objective."))
    return obj


def milestone_get(user: User, pk: int) -> Milestone:
    ms = Milestone.objects.select_related("objective__unit").filter(pk=pk).first()
    if ms is None or not may_read(user) or user.unit is None or not ms.objective.unit.path.startswith(user.unit.path):
        raise NotFound(_("No such milestone."))
    return ms


def reviewed_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, kind__in=REVIEWED_KINDS).order_by("code"))


def rollup(user: User, year: int) -> dict[str, Any]:
    """The viewer's jurisdiction for the year: its own results, and per unit below it the review's
    state and how many objectives are green, amber and red."""
    unit = review_unit(user)
    own = review_of(unit, year)
    rows = []
    for child in reviewed_children(unit):
        review = review_of(child, year)
        counts = Counter(r.status for r in rows_of(child, year, review))
        rows.append({"unit": child, "review": review, "counts": {s: counts.get(s, 0) for s in Status.values}})
    return {"unit": unit, "results": results_of(unit, year, own), "rows": rows, "own": rows_of(unit, year, own)}


def shortfalls(user: User, year: int) -> list[dict[str, Any]]:
    """Units of the jurisdiction red on the same target in `year` and the year before (frozen
    figures where the review is frozen, computed ones otherwise), for accountability. Only units
    that keep a review for one of the two years are examined."""
    own = review_unit(user)
    units = Unit.objects.filter(
        pk__in=Review.objects.filter(year__in=(year, year - 1), unit__path__startswith=own.path).values("unit_id")
    ).order_by("path")
    out = []
    for unit in units:
        red = {}
        for y in (year - 1, year):
            red[y] = {r.metric: r for r in rows_of(unit, y, review_of(unit, y)) if r.metric and r.status == Status.RED}
        for metric in sorted(set(red[year]) & set(red[year - 1])):
            out.append({"unit": unit, "metric": metric, "this": red[year][metric], "before": red[year - 1][metric]})
    return out


def alerts_for(user: User) -> list[RoadmapAlert]:
    """The missed quarters addressed to the viewer (latest first), within their jurisdiction."""
    if user.unit is None:
        return []
    return list(
        RoadmapAlert.objects.filter(recipients=user, unit__path__startswith=user.unit.path)
        .select_related("unit", "objective")
        .order_by("-at", "-id")[:20]
    )
