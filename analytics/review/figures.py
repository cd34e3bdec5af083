"""The figures of a unit's year: what each objective's metric achieved, its colour against the
target, and the trend against the year before. Pure reads over the rollups and the validated
operational results; the review's selectors scope who may ask, the services store them at freeze.

Metrics an objective may target: an indicator of the registry (its code; never the Inspectorate's
complaints against officers), or `result:<kind>` — the validated operational results of the kind
(arrests, seizures), summed over the unit and every unit below it for the year.

Colour (said on the page): green when the target is met; amber when short of it by at most 10 % of
the target; red beyond; grey with no figure. A project is green when every milestone is done, red
when one is past its date and not done, amber otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from analytics.indicators import INDICATORS
from analytics.indicators.registry import BACKLOG, COMPLAINTS, LINE19, READINESS, SATISFACTION, SHARE
from analytics.models_review import Milestone, Objective
from analytics.periods import Period
from analytics.review.choices import Comparator, ObjectiveKind, Status
from analytics.selectors import _blank as blank_sums
from analytics.selectors import family_sums
from cases.choices import RESULT_UNITS, ResultKind, Sensitivity
from cases.selectors import unit_results
from org.models import Unit

# Review figures count normal complaints only: one set of figures for chiefs and analysts alike.
SENSITIVITIES = (Sensitivity.NORMAL,)
FAMILIES = (COMPLAINTS, BACKLOG, LINE19, READINESS, SATISFACTION)
RESULT_PREFIX = "result:"
AMBER_BAND = 0.10


def metric_choices() -> list[tuple[str, Any]]:
    """Every metric an objective may target: indicators, then operational results."""
    out: list[tuple[str, Any]] = [(i.code, i.label) for i in INDICATORS.values() if i.family in FAMILIES]
    return out + [(f"{RESULT_PREFIX}{k.value}", k.label) for k in ResultKind]


def metric_label(metric: str) -> Any:
    if metric.startswith(RESULT_PREFIX):
        kind = metric[len(RESULT_PREFIX) :]
        return ResultKind(kind).label if kind in ResultKind.values else metric
    ind = INDICATORS.get(metric)
    return ind.label if ind else metric


def is_share(metric: str) -> bool:
    ind = INDICATORS.get(metric)
    return bool(ind and ind.kind == SHARE)


def measure_of(metric: str) -> str:
    """The unit a result metric counts in (kg, g, dirhams...); empty for indicators."""
    kind = metric[len(RESULT_PREFIX) :] if metric.startswith(RESULT_PREFIX) else ""
    return RESULT_UNITS[kind][0] if kind in RESULT_UNITS else ""


def status_of(value: float | None, comparator: str, target: float | None) -> str:
    """Green / amber / red against the target (see the module's docstring), none without a figure."""
    if value is None or target is None:
        return Status.NONE
    band = AMBER_BAND * abs(target)
    if comparator == Comparator.AT_MOST:
        return Status.GREEN if value <= target else Status.AMBER if value <= target + band else Status.RED
    return Status.GREEN if value >= target else Status.AMBER if value >= target - band else Status.RED


def project_status(milestones: list[dict[str, Any]], today: date) -> str:
    if not milestones:
        return Status.NONE
    if all(m["done"] for m in milestones):
        return Status.GREEN
    late = any(not m["done"] and date.fromisoformat(m["due"]) < today for m in milestones)
    return Status.RED if late else Status.AMBER


@dataclass(frozen=True)
class Span(Period):
    """A year's start up to `until` (excluded): the roadmap's figures to the end of a quarter."""

    until: date = date.max

    @property
    def end(self) -> date:
        return min(self.until, date(self.year + 1, 1, 1))


class Achieved:
    """The achieved values of one unit's jurisdiction for one year (or the start of a year up to
    `until`), computed once per family."""

    def __init__(self, unit: Unit, year: int, until: date | None = None):
        period = Span(year, None, until) if until else Period(year)
        self.sums = {
            # No row: zero of every count (a unit that received nothing received 0), no share.
            fam: family_sums(fam, unit, None if fam == BACKLOG else period, SENSITIVITIES).get(None) or blank_sums(fam)
            for fam in FAMILIES
        }
        self.results: dict[str, Decimal] = unit_results(unit, period.start, period.end)

    def value(self, metric: str) -> float | None:
        if metric.startswith(RESULT_PREFIX):
            return float(self.results.get(metric[len(RESULT_PREFIX) :], Decimal(0)))
        ind = INDICATORS.get(metric)
        if ind is None or ind.family not in FAMILIES:
            return None
        return ind.value(self.sums[ind.family])


@dataclass
class Row:
    """One objective as the review shows it (and stores it when frozen)."""

    objective_id: int
    kind: str
    metric: str = ""
    title: str = ""
    comparator: str = ""
    target: float | None = None
    value: float | None = None
    last_year: float | None = None
    status: str = Status.NONE
    inherited_from: int | None = None
    milestones: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def effective_objectives(unit: Unit, year: int) -> list[Objective]:
    """The unit's targets, each metric taken from the nearest unit of its chain that set one (the
    unit itself, else its parent... up to the central unit's national defaults), then its own
    projects."""
    chain = [int(p) for p in unit.path.strip("/").split("/") if p]
    depth = {pk: i for i, pk in enumerate(chain)}
    nearest: dict[str, Objective] = {}
    targets = Objective.objects.filter(year=year, kind=ObjectiveKind.TARGET, unit_id__in=chain)
    for obj in sorted(targets, key=lambda o: depth[o.unit_id]):
        nearest[obj.metric] = obj  # deeper units come later and win
    projects = Objective.objects.filter(year=year, kind=ObjectiveKind.PROJECT, unit=unit).prefetch_related("milestones")
    return [*sorted(nearest.values(), key=lambda o: (o.metric, o.pk)), *projects]


def _milestones(obj: Objective) -> list[dict[str, Any]]:
    ms: list[Milestone] = list(obj.milestones.all())
    return [{"id": m.pk, "text": m.text, "due": m.due.isoformat(), "done": m.done_at is not None} for m in ms]


def review_rows(unit: Unit, year: int, *, today: date | None = None) -> list[Row]:
    """Every objective of the unit for the year with its achieved value, last year's and colour."""
    today = today or timezone.localdate()
    now, before = Achieved(unit, year), Achieved(unit, year - 1)
    rows = []
    for obj in effective_objectives(unit, year):
        row = Row(objective_id=obj.pk, kind=obj.kind, inherited_from=None if obj.unit_id == unit.pk else obj.unit_id)
        if obj.kind == ObjectiveKind.PROJECT:
            row.title = obj.title
            row.milestones = _milestones(obj)
            row.status = project_status(row.milestones, min(today, date(year, 12, 31)))
        else:
            row.metric, row.comparator, row.target = obj.metric, obj.comparator, obj.target
            row.value, row.last_year = now.value(obj.metric), before.value(obj.metric)
            row.status = status_of(row.value, obj.comparator, obj.target)
        rows.append(row)
    return rows


def results_table(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The validated operational results of the year and the year before, per kind."""
    start, end = Period(year).start, Period(year).end
    this, last = unit_results(unit, start, end), unit_results(unit, date(year - 1, 1, 1), start)
    return [
        {"kind": k.value, "value": float(this.get(k.value, 0)), "last_year": float(last.get(k.value, 0))}
        for k in ResultKind
    ]
