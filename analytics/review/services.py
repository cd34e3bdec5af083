"""Writes of the annual review, each in one transaction with its audit record: objectives set by the
level above (targets and projects), milestones marked done by the head, the head's texts and
submission, and the comment and freeze of the level above (which stores the figures for good)."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.indicators import INDICATORS
from analytics.indicators.registry import COUNT, SCORE
from analytics.models_review import Milestone, Objective, Review, RoadmapAlert
from analytics.review.choices import Comparator, ObjectiveKind, ReviewState
from analytics.review.figures import is_share, metric_choices, results_table, review_rows
from analytics.review.roadmap import last_ended_quarter, missed
from analytics.review.selectors import REVIEWED_KINDS, check_year, may_oversee, may_write, review_unit
from audit.services import audit_record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from org.models import Unit, User
from org.selectors import chiefs_of

TEXT_MAX = 10_000
TITLE_MAX = 300


def _overseer(actor: User, unit: Unit, year: int) -> None:
    review_unit(actor, unit.pk)  # 404 outside the jurisdiction
    check_year(year)
    if not may_oversee(actor, unit):
        raise PermissionDenied(_("The objectives of a unit are set by a chief of the level above."))
    if Review.objects.filter(unit=unit, year=year, state=ReviewState.FROZEN).exists():
        raise Conflict(_("The review of this year is frozen: its objectives no longer change."), code="frozen")


def _number(raw: object, field: str) -> float:
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationFailed(_("Write a number."), fields={field: _("Write a number.")})
    return value


def target_value(metric: str, raw: object) -> float:
    """The target as typed (a share in per cent, a mean rating out of 5, a count, minutes, days...)
    in the metric's own scale (a share is 0–1)."""
    value = _number(raw, "target")
    if value < 0:
        raise ValidationFailed(_("A target cannot be negative."), fields={"target": _("Zero or more.")})
    if is_share(metric):
        if value > 100:
            raise ValidationFailed(_("A share is at most 100 %."), fields={"target": _("Between 0 and 100.")})
        return round(value / 100, 6)
    ind = INDICATORS.get(metric)
    if ind is not None and ind.kind == SCORE and value > 5:
        raise ValidationFailed(_("A rating is out of 5."), fields={"target": _("Between 0 and 5.")})
    if (ind is not None and ind.kind == COUNT) and value != int(value):
        raise ValidationFailed(
            _("This target is a count: write a whole number."), fields={"target": _("Whole number.")}
        )
    return value


def _quarterly(metric: str, raw: list[object] | None) -> list[float]:
    """The roadmap's four interim targets (cumulative at each quarter's end), or none at all."""
    values = [v for v in (raw or []) if str(v).strip() != ""]
    if not values:
        return []
    if len(values) != 4:
        raise ValidationFailed(
            _("Give an interim target for each of the four quarters, or none."),
            fields={"quarterly": _("Four values, or none.")},
        )
    return [target_value(metric, v) for v in values]


@transaction.atomic
def objective_set_target(
    *,
    actor: User,
    unit: Unit,
    year: int,
    metric: str,
    comparator: str,
    target: object,
    quarterly: list[object] | None = None,
) -> Objective:
    """Set (or change) the unit's target on one metric for the year."""
    _overseer(actor, unit, year)
    if metric not in dict(metric_choices()):
        raise ValidationFailed(_("Choose an indicator from the list."), fields={"metric": _("Not in the list.")})
    if comparator not in Comparator.values:
        raise ValidationFailed(_("Choose at least or at most."), fields={"comparator": _("Not in the list.")})
    value = target_value(metric, target)
    quarters = _quarterly(metric, quarterly)
    obj, created = Objective.objects.select_for_update().get_or_create(
        unit=unit,
        year=year,
        kind=ObjectiveKind.TARGET,
        metric=metric,
        defaults={
            "comparator": comparator,
            "target": value,
            "quarterly": quarters,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    before = None if created else {"comparator": obj.comparator, "target": obj.target, "quarterly": obj.quarterly}
    if not created:
        obj.comparator, obj.target, obj.quarterly, obj.set_by, obj.set_at = (
            comparator,
            value,
            quarters,
            actor,
            timezone.now(),
        )
        obj.save()
    after = {"unit": unit.pk, "year": year, "metric": metric, "comparator": comparator, "target": value}
    audit_record(actor=actor, action="objective.set", obj=obj, before=before, after={**after, "quarterly": quarters})
    return obj


@transaction.atomic
def objective_add_project(
    *, actor: User, unit: Unit, year: int, title: str, milestones: list[tuple[str, date | None]]
) -> Objective:
    """A project for the unit (for example a new duty service) with its dated milestones."""
    _overseer(actor, unit, year)
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("Give the project a title (300 characters at most)."), fields={"title": _("Required.")}
        )
    steps = [(t.strip(), d) for t, d in milestones if (t or "").strip() or d]
    if not steps:
        raise ValidationFailed(_("Give the project at least one milestone."), fields={"milestones": _("Required.")})
    for text, due in steps:
        if not text or due is None or len(text) > TITLE_MAX:
            raise ValidationFailed(
                _("Every milestone needs a text and a date."), fields={"milestones": _("A text and a date.")}
            )
    obj = Objective.objects.create(
        unit=unit, year=year, kind=ObjectiveKind.PROJECT, title=title, set_by=actor, set_at=timezone.now()
    )
    Milestone.objects.bulk_create([Milestone(objective=obj, text=t, due=d) for t, d in steps if d is not None])
    after = {"unit": unit.pk, "year": year, "title": title, "milestones": len(steps)}
    audit_record(actor=actor, action="objective.set", obj=obj, after=after)
    return obj


@transaction.atomic
def objective_remove(*, actor: User, objective: Objective) -> None:
    _overseer(actor, objective.unit, objective.year)
    before = {"unit": objective.unit_id, "year": objective.year, "metric": objective.metric, "title": objective.title}
    audit_record(actor=actor, action="objective.remove", obj=objective, before=before)
    objective.delete()


@transaction.atomic
def milestone_done(*, actor: User, milestone: Milestone) -> Milestone:
    """The head of the unit marks one of its project's milestones done."""
    unit = milestone.objective.unit
    review_unit(actor, unit.pk)
    if not may_write(actor, unit):
        raise PermissionDenied(_("The head of the unit marks its milestones done."))
    if Review.objects.filter(unit=unit, year=milestone.objective.year, state=ReviewState.FROZEN).exists():
        raise Conflict(_("The review of this year is frozen."), code="frozen")
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.done_at is None:
        locked.done_at, locked.done_by = timezone.now(), actor
        locked.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor, action="objective.milestone_done", obj=locked, after={"objective": locked.objective_id}
        )
    return locked


def _locked_review(unit: Unit, year: int) -> Review:
    review, _created = Review.objects.select_for_update().get_or_create(
        unit=unit, year=year, defaults={"updated_at": timezone.now()}
    )
    if review.frozen:
        raise Conflict(_("This review is frozen: it can no longer be changed."), code="frozen")
    return review


def _text(value: str, field: str) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationFailed(_("This text is too long."), fields={field: _("10,000 characters at most.")})
    return text


@transaction.atomic
def review_save(*, actor: User, unit: Unit, year: int, texts: dict[str, str], submit: bool = False) -> Review:
    """The head writes achievements, challenges and constraints; `submit` sends the review to the
    level above (it stays editable until frozen, so a remark can still be answered)."""
    review_unit(actor, unit.pk)
    check_year(year)
    if not may_write(actor, unit):
        raise PermissionDenied(_("The review of a unit is written by its head."))
    review = _locked_review(unit, year)
    before = {"state": review.state}
    for name in ("achievements", "challenges", "constraints"):
        setattr(review, name, _text(texts.get(name, ""), name))
    if submit:
        if not review.challenges and not review.achievements:
            raise ValidationFailed(
                _("Write the achievements or the challenges before submitting."),
                fields={"challenges": _("Required to submit.")},
            )
        review.state, review.submitted_at, review.submitted_by = ReviewState.SUBMITTED, timezone.now(), actor
    review.updated_at = timezone.now()
    review.save()
    action = "review.submit" if submit else "review.save"
    audit_record(actor=actor, action=action, obj=review, before=before, after={"state": review.state, "year": year})
    return review


def frozen_figures(unit: Unit, year: int) -> dict[str, Any]:
    rows = [r.as_json() for r in review_rows(unit, year)]
    payload = {"rows": rows, "results": results_table(unit, year), "computed_at": timezone.now()}
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


@transaction.atomic
def review_freeze(*, actor: User, unit: Unit, year: int, comment: str) -> Review:
    """The level above comments a submitted review and freezes it: the figures are stored as they
    are now and the review never changes again."""
    review_unit(actor, unit.pk)
    check_year(year)
    if not may_oversee(actor, unit):
        raise PermissionDenied(_("A review is frozen by a chief of the level above."))
    review = _locked_review(unit, year)
    if review.state != ReviewState.SUBMITTED:
        raise Conflict(_("The head of the unit has not submitted this review yet."), code="not_submitted")
    review.comment = _text(comment, "comment")
    if not review.comment:
        raise ValidationFailed(_("Write a comment before freezing."), fields={"comment": _("Required.")})
    review.figures = frozen_figures(unit, year)
    review.state, review.frozen_at, review.frozen_by = ReviewState.FROZEN, timezone.now(), actor
    review.updated_at = review.frozen_at
    review.save()
    audit_record(
        actor=actor, action="review.freeze", obj=review, after={"year": year, "rows": len(review.figures["rows"])}
    )
    return review


@transaction.atomic
def roadmap_sweep(*, today: date | None = None) -> dict[str, int]:
    """Alert the chiefs of a unit and of the level above when the unit missed a quarter's interim
    target (the latest quarter over). Idempotent: an alert is raised once per objective, unit and
    quarter. Units examined: those of the chain of command (`REVIEWED_KINDS`)."""
    today = today or timezone.localdate()
    year, quarter = last_ended_quarter(today)
    raised = 0
    for unit in Unit.objects.filter(kind__in=REVIEWED_KINDS).select_related("parent").order_by("path"):
        for miss in missed(unit, year, quarter):
            alert, created = RoadmapAlert.objects.get_or_create(
                objective=miss["objective"],
                unit=unit,
                quarter=quarter,
                defaults={"value": miss["value"], "interim": miss["interim"], "at": timezone.now()},
            )
            if not created:
                continue
            alert.recipients.set([*chiefs_of(unit), *(chiefs_of(unit.parent) if unit.parent else [])])
            after = {"unit": unit.pk, "year": year, "quarter": quarter, "metric": miss["objective"].metric}
            audit_record(actor=None, action="objective.quarter_missed", obj=alert, after=after)
            raised += 1
    return {"year": year, "quarter": quarter, "alerts": raised}
