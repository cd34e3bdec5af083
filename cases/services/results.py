"""Operational results recorded on a case: arrests (people presented to the prosecutor, a count)
and seizures by kind and quantity. Officers who work the case record them; a chief of the case's
jurisdiction validates them; only validated results count in a unit's figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from cases.choices import RESULT_UNITS, ResultKind
from cases.models import Case, OperationalResult
from cases.selectors import may
from cases.services.base import require, require_worker
from core.errors import Conflict, PermissionDenied, ValidationFailed
from org import access
from org.models import User

# The largest quantity one operation may record, per kind: past it, the unit was almost surely
# mistaken (grams typed as kilograms), so the form asks again rather than storing it.
RESULT_MAX: dict[str, Decimal] = {
    ResultKind.ARRESTS: Decimal(1_000),
    ResultKind.TABLETS: Decimal(10_000_000),
    ResultKind.CANNABIS_RESIN: Decimal(200_000),
    ResultKind.COCAINE: Decimal(10_000_000),
    ResultKind.WEAPONS: Decimal(10_000),
    ResultKind.VEHICLES: Decimal(1_000),
    ResultKind.CASH: Decimal(100_000_000),
}
# How long before the complaint's registration an operation it led to may be dated.
EARLIEST_BEFORE_CASE = timedelta(days=366)


def result_quantity(kind: str, raw: object) -> Decimal:
    """The quantity typed for `kind`, checked: a positive number, whole for counts, with no more
    decimals than the unit takes, not beyond the largest plausible single operation."""
    if kind not in RESULT_UNITS:
        raise ValidationFailed(_("Choose the kind of result."), fields={"kind": _("Choose a kind from the list.")})
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0:
        raise ValidationFailed(
            _("The quantity must be a number greater than zero."), fields={"quantity": _("Write a number above 0.")}
        )
    message: Any
    if value > RESULT_MAX[kind]:
        message = _("More than %(max)s in one operation: check the quantity and its unit.") % {
            "max": f"{RESULT_MAX[kind]:,}"
        }
        raise ValidationFailed(message, fields={"quantity": message})
    decimals = RESULT_UNITS[kind][1]
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        message = (
            _("This result is a count: write a whole number.")
            if decimals == 0
            else _("At most %(n)d decimals for this unit.") % {"n": decimals}
        )
        raise ValidationFailed(message, fields={"quantity": message})
    return value


def _check_day(case: Case, occurred_on: date | None) -> date:
    if occurred_on is None:
        raise ValidationFailed(_("Give the date of the operation."), fields={"occurred_on": _("Required.")})
    if occurred_on > timezone.localdate():
        raise ValidationFailed(
            _("The operation cannot be dated in the future."), fields={"occurred_on": _("A date in the future.")}
        )
    if occurred_on < timezone.localtime(case.created_at).date() - EARLIEST_BEFORE_CASE:
        raise ValidationFailed(
            _("The operation is dated more than a year before the complaint."),
            fields={"occurred_on": _("Too early for this complaint.")},
        )
    return occurred_on


@transaction.atomic
def result_record(
    *, case: Case, actor: User, kind: str, quantity: object, occurred_on: date | None
) -> OperationalResult:
    """Record one result on the case (waiting for a chief's validation)."""
    require_worker(actor, case)
    value = result_quantity(kind, quantity)
    day = _check_day(case, occurred_on)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    result = OperationalResult.objects.create(
        case=locked,
        unit_id=locked.assigned_unit_id,
        kind=kind,
        quantity=value,
        occurred_on=day,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="case.result_record",
        obj=result,
        after={"case": case.pk, "kind": kind, "quantity": str(value), "occurred_on": day.isoformat()},
    )
    return result


def _locked_result(result: OperationalResult) -> OperationalResult:
    locked = OperationalResult.objects.select_for_update().select_related("case").get(pk=result.pk)
    if locked.validated_at is not None:
        raise Conflict(_("This result is already validated."), code="already_validated")
    return locked


@transaction.atomic
def result_validate(*, result: OperationalResult, actor: User) -> OperationalResult:
    """A chief of the case's jurisdiction validates the result: from now on it counts."""
    require(actor, access.ASSIGN, result.case, _("Only a chief validates operational results."))
    locked = _locked_result(result)
    locked.validated_by = actor
    locked.validated_at = timezone.now()
    locked.save(update_fields=["validated_by", "validated_at"])
    audit_record(actor=actor, action="case.result_validate", obj=locked, after={"case": locked.case_id})
    return locked


@transaction.atomic
def result_withdraw(*, result: OperationalResult, actor: User) -> None:
    """Remove a result typed by mistake, before it is validated: by whoever recorded it or a chief."""
    require_worker(actor, result.case)
    locked = _locked_result(result)
    if locked.recorded_by_id != actor.pk and not may(actor, access.ASSIGN, locked.case):
        raise PermissionDenied(_("Only the officer who recorded it or a chief may withdraw this result."))
    before = {"case": locked.case_id, "kind": locked.kind, "quantity": str(locked.quantity)}
    audit_record(actor=actor, action="case.result_withdraw", obj=locked, before=before)
    locked.delete()
