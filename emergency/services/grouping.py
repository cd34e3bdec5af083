"""Grouping calls into incidents, decided by the dispatcher: confirm a proposal (merge), keep two
incidents apart, split a call out of an incident; and the call-back numbers of an incident's callers
(personal data: read by the command room only, every read audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.validators import normalize_phone
from emergency.choices import CallState, IncidentState
from emergency.models import Call, Incident
from emergency.selectors import calls_visible
from emergency.services.base import (
    lock_incident,
    move_incident,
    publish_incident,
    require_incident_visible,
    require_roles,
)
from emergency.services.calls import _call_stamps_from, assign_incident_reference
from emergency.workflow import DISPATCH_ROLES, LIVE_CALL_STATES, OPEN_INCIDENT_STATES, STEPS
from org import access
from org.models import User

# A call can be split off while nothing has been done for it alone (its incident's patrol stays).
SPLITTABLE_CALL_STATES = frozenset(LIVE_CALL_STATES - {CallState.RESOLVED})


def _lock_pair(a: Incident, b: Incident) -> tuple[Incident, Incident]:
    """Lock two incidents in id order (two dispatchers merging crosswise never deadlock)."""
    first, second = sorted((a, b), key=lambda i: i.pk)
    locked = {first.pk: lock_incident(first), second.pk: lock_incident(second)}
    return locked[a.pk], locked[b.pk]


def _refresh_summary(incident: Incident) -> None:
    """Call count, most urgent priority, first and last call of the incident's live calls."""
    calls = list(incident.calls.filter(state__in=LIVE_CALL_STATES).only("priority", "received_at"))
    if not calls:
        return
    incident.call_count = len(calls)
    incident.priority = min(c.priority for c in calls)  # "P1" < "P2": the most urgent wins
    incident.received_at = min(c.received_at for c in calls)
    incident.last_call_at = max(c.received_at for c in calls)


@transaction.atomic
def incident_merge(*, incident: Incident, into: Incident, actor: User) -> Incident:
    """The dispatcher confirms `incident` is the same event as `into`: its calls move there (taking
    its state), `into` takes the more urgent priority, and `incident` ends as merged."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow grouping calls."))
    require_incident_visible(actor, incident)
    require_incident_visible(actor, into)
    if incident.pk == into.pk:
        raise ValidationFailed(_("An incident cannot be merged into itself."), fields={"into": _("Same incident.")})
    incident, into = _lock_pair(incident, into)
    if incident.wilaya_id != into.wilaya_id:
        raise ValidationFailed(
            _("Only incidents of the same command room can be merged."), fields={"into": _("Other wilaya.")}
        )
    if into.state not in OPEN_INCIDENT_STATES:
        raise Conflict(_("Incident %(ref)s is no longer open.") % {"ref": into.reference})
    if incident.patrol_id is not None:
        raise Conflict(
            _("Incident %(ref)s has a patrol: merge the other incident into it instead.") % {"ref": incident.reference}
        )
    now = timezone.now()
    before = {"state": incident.state, "into": into.reference, "proposal": incident.proposal}
    moved = list(incident.calls.filter(state__in=LIVE_CALL_STATES))
    for call in moved:
        for field, value in {
            "dispatched_at": None,
            "en_route_at": None,
            "on_scene_at": None,
            **_call_stamps_from(into, call.received_at),
        }.items():
            setattr(call, field, value)
        call.incident = into
        call.save(update_fields=["incident", "state", "dispatched_at", "en_route_at", "on_scene_at"])
    move_incident(incident, STEPS["merge"], actor, now)
    incident.merged_into, incident.proposed_merge, incident.call_count = into, None, 0
    incident.save()
    into_before = {"priority": into.priority, "calls": into.call_count}
    _refresh_summary(into)
    if into.proposed_merge_id == incident.pk:
        into.proposed_merge = None
    into.version += 1
    into.save()
    refs = [c.reference for c in moved]
    audit_record(actor=actor, action="incident.merge", obj=incident, before=before, after={"calls": refs})
    audit_record(
        actor=actor,
        action="incident.calls_joined",
        obj=into,
        before=into_before,
        after={"priority": into.priority, "calls": into.call_count, "from": incident.reference, "joined": refs},
    )
    publish_incident(incident)
    publish_incident(into)
    return into


@transaction.atomic
def incident_keep_apart(*, incident: Incident, actor: User) -> Incident:
    """The dispatcher decides the proposed incident is another event: the proposal is dropped (and
    recorded, with its reason, for review)."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow grouping calls."))
    require_incident_visible(actor, incident)
    incident = lock_incident(incident)
    if incident.proposed_merge_id is None:
        raise Conflict(_("Incident %(ref)s has no grouping proposal.") % {"ref": incident.reference})
    proposal = incident.proposal
    incident.proposed_merge = None
    incident.proposal = {**proposal, "kept_apart": True}
    incident.version += 1
    incident.save(update_fields=["proposed_merge", "proposal", "version"])
    audit_record(actor=actor, action="incident.keep_apart", obj=incident, before={"proposal": proposal})
    publish_incident(incident)
    return incident


@transaction.atomic
def call_split(*, call: Call, actor: User) -> Incident:
    """Take a call out of its incident (another event after all): it opens its own waiting incident,
    and the incident it leaves keeps its patrol and its other calls."""
    require_roles(actor, DISPATCH_ROLES, _("Your role does not allow grouping calls."))
    if not calls_visible(actor).filter(pk=call.pk).exists():
        raise NotFound(_("No such call."))
    call = Call.objects.select_for_update(of=("self",)).select_related("category").get(pk=call.pk)
    old = lock_incident(call.incident)
    if call.state not in SPLITTABLE_CALL_STATES:
        raise Conflict(_("This call is closed: it cannot be split off."))
    if old.calls.filter(state__in=LIVE_CALL_STATES).count() < 2:
        raise Conflict(_("This call is the only one of its incident: there is nothing to split."))
    now = timezone.now()
    new = Incident.objects.create(
        category=call.category,
        group=call.category.group,
        priority=call.priority,
        state=IncidentState.TRIAGED,
        wilaya=old.wilaya,
        area=old.area,
        district=old.district,
        latitude=call.latitude,
        longitude=call.longitude,
        address=call.address,
        description=call.description,
        call_count=1,
        last_call_at=call.received_at,
        received_at=call.received_at,
        triaged_at=now,
        created_by=actor,
    )
    assign_incident_reference(new)
    call.incident = new
    call.state, call.dispatched_at, call.en_route_at, call.on_scene_at = CallState.TRIAGED, None, None, None
    call.save(update_fields=["incident", "state", "dispatched_at", "en_route_at", "on_scene_at"])
    before = {"priority": old.priority, "calls": old.call_count}
    _refresh_summary(old)
    old.version += 1
    old.save()
    audit_record(
        actor=actor,
        action="call.split",
        obj=call,
        before={"incident": old.reference, **before},
        after={"incident": new.reference, "left": {"priority": old.priority, "calls": old.call_count}},
    )
    publish_incident(old)
    publish_incident(new)
    return new


@dataclass(frozen=True)
class Caller:
    """One call of an incident with its call-back number (decrypted for the command room)."""

    call_id: int
    reference: str
    number: str


def _require_caller_access(actor: User) -> None:
    """Call-back numbers are for the command room that handles the calls (org.access LINE19_DISPATCH):
    a chief watching the board or a patrol does not see them."""
    if not actor.has_role(*DISPATCH_ROLES) or not access.scopes_for(actor.roles, access.LINE19_DISPATCH):
        raise PermissionDenied(_("Your role does not allow reading callers' numbers."))


@transaction.atomic
def incident_callers(*, incident: Incident, actor: User) -> list[Caller]:
    """The call references and call-back numbers of an incident's calls; the read is audited."""
    _require_caller_access(actor)
    require_incident_visible(actor, incident)
    calls = list(incident.calls.order_by("received_at", "id"))
    out = [Caller(c.pk, c.reference, crypto.decrypt(c.caller_number_enc)) for c in calls]
    audit_record(
        actor=actor,
        action="call.callers_read",
        obj=incident,
        after={"calls": [c.reference for c in out if c.number]},
    )
    return out


@transaction.atomic
def calls_find_by_number(*, number: str, actor: User, limit: int = 50) -> list[Call]:
    """The calls of the actor's command room from this call-back number (newest first), matched on
    the keyed hash: the number itself is never stored or searched in clear. The search is audited
    (without the number)."""
    _require_caller_access(actor)
    try:
        normalised = normalize_phone((number or "").strip())
    except ValidationFailed:
        compact = "".join(ch for ch in (number or "") if ch.isdigit() or ch == "+")
        if compact.startswith("00"):
            compact = "+" + compact[2:]
        if not compact.startswith("+") or len(compact) < 8:
            raise ValidationFailed(
                _("Type a whole phone number to search by call-back number."), fields={"number": _("Invalid number.")}
            ) from None
        normalised = compact
    digest = crypto.keyed_hash("phone", normalised)
    found = list(
        calls_visible(actor).filter(caller_number_hash=digest).order_by("-received_at", "-id")[: max(1, limit)]
    )
    audit_record(
        actor=actor,
        action="call.number_search",
        object_type="emergency.call",
        after={"found": [c.reference for c in found]},
    )
    return found
