"""Operational results recorded on a case (kept apart from `cases.models` for its size; imported
there so Django finds the model)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import RESULT_UNITS, MeasureUnit, ResultKind


class OperationalResult(models.Model):
    """An arrest count (people presented to the prosecutor: a number, never a name) or a seizure of
    one kind with its quantity, recorded on the case by an officer who works it, counted in the
    unit's results once a chief has validated it. `unit` is the unit holding the case when the
    result was recorded: the unit whose operation it was."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=ResultKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    occurred_on = models.DateField(_("date of the operation"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("operational result")
        verbose_name_plural = _("operational results")
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(
                fields=["occurred_on", "kind"], name="result_validated_day", condition=Q(validated_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="result_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.quantity}"

    @property
    def measure(self) -> str:
        return str(MeasureUnit(RESULT_UNITS[self.kind][0]).label)

    @property
    def amount(self) -> str:
        """The quantity without trailing zeros (12, 3.5), as the unit counts it."""
        return format_quantity(self.kind, self.quantity)


def format_quantity(kind: str, quantity: object) -> str:
    decimals = RESULT_UNITS[kind][1]
    text = f"{float(str(quantity)):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
