"""Verifications and communiqués: the cell checks a claim, records its verdict, drafts a rebuttal
(or a statement, or the annual communiqué), edits it and publishes it on the public page, its feed
and the outbound publisher. Each is one transaction with its audit record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import Conflict, NotFound, ValidationFailed
from media.choices import REBUT_VERDICTS, ActionKind, CommuniqueKind, CommuniqueState, Verdict
from media.models import Communique, Event, Verification
from media.publishers import get_publisher
from media.selectors import annual_drafts_to_approve, cell_officers, communiques_for, verifications_for, watch_for
from media.services.base import event_for_action, record_action
from org.models import User

EVIDENCE_MAX = 4000
TITLE_MAX = 300
BODY_MAX = 10000


@transaction.atomic
def verification_open(*, event: Event, actor: User, assignee: User | None, evidence: str = "") -> Verification:
    """Open the check of a claim, assigned to an officer of the actor's own cell."""
    event = event_for_action(actor, event)
    if assignee is None or assignee.pk not in {u.pk for u in cell_officers(actor)}:
        raise ValidationFailed(
            _("Assign the verification to an officer of your cell."), fields={"assignee": _("Not of your cell.")}
        )
    evidence = (evidence or "").strip()
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationFailed(_("The evidence notes are too long."), fields={"evidence": _("Too long.")})
    now = timezone.now()
    verification = Verification.objects.create(
        event=event, assignee=assignee, evidence=evidence, opened_by=actor, opened_at=now
    )
    record_action(event, ActionKind.VERIFICATION, actor, now)
    audit_record(
        actor=actor, action="media.verification.open", obj=verification, after={"event": event.pk, "to": assignee.pk}
    )
    return verification


@transaction.atomic
def verification_conclude(
    *, verification: Verification | int, actor: User, verdict: str, evidence: str
) -> Verification:
    """Record the verdict with the evidence it rests on; a verdict is given once."""
    pk = verification.pk if isinstance(verification, Verification) else verification
    found = verifications_for(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such verification."))
    evidence = (evidence or "").strip()
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose the verdict.")
    if not evidence or len(evidence) > EVIDENCE_MAX:
        errors["evidence"] = _("Write the evidence the verdict rests on.")
    if errors:
        raise ValidationFailed(_("The verdict cannot be recorded: correct the marked fields."), fields=errors)
    if found.concluded_at is not None:
        raise Conflict(_("This verification is already concluded."))
    found.verdict, found.evidence = verdict, evidence
    found.concluded_by, found.concluded_at = actor, timezone.now()
    found.save(update_fields=["verdict", "evidence", "concluded_by", "concluded_at"])
    audit_record(actor=actor, action="media.verification.conclude", obj=found, after={"verdict": verdict})
    return found


@dataclass
class CommuniqueText:
    title_ar: str
    title_fr: str
    body_ar: str
    body_fr: str


def _checked(text: CommuniqueText) -> CommuniqueText:
    cleaned = CommuniqueText(*(value.strip() for value in (text.title_ar, text.title_fr, text.body_ar, text.body_fr)))
    errors = {}
    for name, limit in (("title_ar", TITLE_MAX), ("title_fr", TITLE_MAX), ("body_ar", BODY_MAX), ("body_fr", BODY_MAX)):
        value = getattr(cleaned, name)
        if not value:
            errors[name] = _("Required.")
        elif len(value) > limit:
            errors[name] = _("Too long.")
    if errors:
        raise ValidationFailed(_("Write the communiqué in Arabic and in French."), fields=errors)
    return cleaned


def rebuttal_text(verification: Verification) -> CommuniqueText:
    """The pre-filled rebuttal: the event's headline and the verdict, in both languages, for the
    officer to edit (no names: the headline is the outlets' story, the rest is the service's)."""
    headline = verification.event.headline
    return CommuniqueText(
        title_ar="توضيح بخصوص خبر زائف",
        title_fr="Mise au point au sujet d'une fausse information",
        body_ar=(
            f"تداولت بعض المنابر الإعلامية ومواقع التواصل الاجتماعي خبرا بعنوان: «{headline}». "
            "وتوضح المديرية العامة للأمن الوطني أن هذا الخبر غير صحيح، وأن الأبحاث المنجزة لم تؤكد الوقائع "
            "المزعومة. وتهيب المديرية بالجميع تحري الدقة قبل نشر الأخبار."
        ),
        body_fr=(
            f"Des médias et des comptes sur les réseaux sociaux ont relayé une information intitulée « {headline} ». "
            "La DGSN précise que cette information est inexacte : les vérifications menées n'ont pas confirmé "
            "les faits allégués. Elle appelle chacun à vérifier ses sources avant de publier."
        ),
    )


@transaction.atomic
def rebuttal_draft(*, verification: Verification | int, actor: User) -> Communique:
    """A draft rebuttal from a verification concluded false or misleading, pre-filled from its event."""
    pk = verification.pk if isinstance(verification, Verification) else verification
    found = verifications_for(actor).select_related("event").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such verification."))
    if found.verdict not in REBUT_VERDICTS:
        raise Conflict(_("Only a claim found false or misleading is rebutted."))
    event_for_action(actor, found.event)  # the event is locked while its draft is written
    return _draft(actor, CommuniqueKind.REBUTTAL, rebuttal_text(found), event=found.event, verification=found)


@transaction.atomic
def communique_draft(*, actor: User, kind: str, text: CommuniqueText, event: Event | None = None) -> Communique:
    """A draft statement or annual communiqué (a rebuttal comes from its verification)."""
    if watch_for(actor) is None:
        raise NotFound(_("No such page."))
    if kind not in (CommuniqueKind.STATEMENT, CommuniqueKind.ANNUAL):
        raise ValidationFailed(_("Unknown kind of communiqué."), fields={"kind": _("Unknown kind.")})
    if event is not None:
        event = event_for_action(actor, event)
    return _draft(actor, kind, _checked(text), event=event, verification=None)


def _draft(
    actor: User, kind: str, text: CommuniqueText, *, event: Event | None, verification: Verification | None
) -> Communique:
    communique = Communique.objects.create(
        kind=kind,
        title_ar=text.title_ar,
        title_fr=text.title_fr,
        body_ar=text.body_ar,
        body_fr=text.body_fr,
        event=event,
        verification=verification,
        drafted_by=actor,
        drafted_at=timezone.now(),
    )
    audit_record(actor=actor, action="media.communique.draft", obj=communique, after={"kind": kind})
    return communique


def _draft_for(actor: User, communique: Communique | int) -> Communique:
    pk = communique.pk if isinstance(communique, Communique) else communique
    found = communiques_for(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such communiqué."))
    if found.state != CommuniqueState.DRAFT:
        raise Conflict(_("This communiqué is already published."))
    return found


@transaction.atomic
def communique_edit(*, communique: Communique | int, actor: User, text: CommuniqueText) -> Communique:
    found = _draft_for(actor, communique)
    text = _checked(text)
    found.title_ar, found.title_fr, found.body_ar, found.body_fr = (
        text.title_ar,
        text.title_fr,
        text.body_ar,
        text.body_fr,
    )
    if found.approved_at is not None and found.kind == CommuniqueKind.ANNUAL:
        found.approved_by, found.approved_at = None, None  # the director approves the text as published
    found.save(update_fields=["title_ar", "title_fr", "body_ar", "body_fr", "approved_by", "approved_at"])
    audit_record(actor=actor, action="media.communique.edit", obj=found, after={"edited": True})
    return found


@transaction.atomic
def communique_approve(*, communique: Communique | int, actor: User) -> Communique:
    """The director approves the annual communiqué's text; the cell may then publish it."""
    pk = communique.pk if isinstance(communique, Communique) else communique
    found = annual_drafts_to_approve(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such communiqué."))
    found.approved_by, found.approved_at = actor, timezone.now()
    found.save(update_fields=["approved_by", "approved_at"])
    audit_record(actor=actor, action="media.communique.approve", obj=found, after={"approved": True})
    return found


def next_number(year: int) -> str:
    """COM-YEAR-NNNN, one more than the year's last (the unique constraint settles a race)."""
    prefix = f"COM-{year}-"
    last = Communique.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


@transaction.atomic
def communique_publish(*, communique: Communique | int, actor: User) -> Communique:
    """Number it, publish it (the public page and the feed show it), announce it through the
    outbound publisher; a rebuttal stops its event's time-to-rebuttal clock."""
    found = _draft_for(actor, communique)
    _checked(CommuniqueText(found.title_ar, found.title_fr, found.body_ar, found.body_fr))
    if found.kind == CommuniqueKind.ANNUAL and found.approved_at is None:
        raise ValidationFailed(_("The annual communiqué is published once the director has approved its text."))
    now = timezone.now()
    found.number = next_number(timezone.localtime(now).year)
    found.state, found.published_by, found.published_at = CommuniqueState.PUBLISHED, actor, now
    try:
        with transaction.atomic():
            found.save(update_fields=["number", "state", "published_by", "published_at"])
    except IntegrityError:
        raise Conflict(_("Another communiqué was published at the same moment: publish again.")) from None
    if found.event_id is not None:
        event = Event.objects.select_for_update().get(pk=found.event_id)
        if found.kind == CommuniqueKind.REBUTTAL and event.rebutted_at is None:
            event.rebutted_at = now
            event.save(update_fields=["rebutted_at"])
        record_action(event, ActionKind.COMMUNIQUE, actor, now, reference=found.number)
    get_publisher().publish(found)
    audit_record(actor=actor, action="media.communique.publish", obj=found, after={"number": found.number})
    return found
