"""The deadline sweep: overdue cases marked and escalated unit → area → wilaya."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from cases import deadlines
from cases.choices import EventKind
from cases.models import Case, Escalation
from cases.services.base import add_event
from org.choices import UnitKind
from org.models import Unit
from org.selectors import chiefs_of


def escalation_unit(case: Case, level: int) -> Unit:
    """Level 1: the unit itself; 2: the area above it; 3: the wilaya."""
    chain = [case.assigned_unit, *reversed(case.assigned_unit.ancestors())]
    wanted = {2: UnitKind.AREA, 3: UnitKind.WILAYA}.get(level)
    if wanted is None:
        return case.assigned_unit
    for unit in chain:
        if unit.kind == wanted:
            return unit
    return chain[min(level - 1, len(chain) - 1)]


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Mark overdue cases and escalate them level by level. Idempotent; run periodically."""
    now = now or timezone.now()
    delays = [timedelta(hours=h) for h in settings.ESCALATION_DELAYS_HOURS]
    stats = {"overdue": 0, "escalations": 0}
    candidates = (
        Case.objects.filter(clock_running_since__isnull=False)
        .filter(Q(state_due_at__lt=now) | Q(closure_due_at__lt=now))
        .values_list("pk", flat=True)
    )
    for pk in list(candidates.iterator()):
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("assigned_unit", "category").get(pk=pk)
            due = deadlines.missed_deadline(case)
            if due is None or due >= now:
                continue
            if not case.overdue:
                case.overdue = True
                stats["overdue"] += 1
                audit_record(actor=None, action="case.overdue", obj=case, after={"due_at": due})
            late = now - due
            level = case.escalation_level
            while level < len(delays) and late >= delays[level]:
                level += 1
                unit = escalation_unit(case, level)
                esc, created = Escalation.objects.get_or_create(
                    case=case, level=level, due_at=due, defaults={"unit": unit, "at": now}
                )
                if created:
                    escalation_announce(esc, case, unit, level, now)
                    audit_record(
                        actor=None,
                        action="case.escalate",
                        obj=case,
                        after={"level": level, "unit": unit.pk, "due_at": due},
                    )
                    stats["escalations"] += 1
            case.escalation_level = level
            case.save(update_fields=["overdue", "escalation_level"])
    return stats


def escalation_announce(esc: Escalation, case: Case, unit: Unit, level: int, now: datetime, **extra: Any) -> None:
    """A new escalation reaches the chiefs of its unit and the case's timeline (the unit's name in
    French too, for reading the event after the unit is renamed; pages show it in the reader's
    language from its id)."""
    esc.recipients.set(chiefs_of(unit))
    add_event(
        case,
        EventKind.ESCALATION,
        None,
        now,
        data={"level": level, "unit": unit.pk, "unit_name": unit.name_fr, **extra},
    )
