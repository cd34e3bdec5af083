"""The desk's services: each action from an event, its audit record, and nothing half-written on
bad input; the scoping of the cells (a wilaya's cell acts only on its wilaya's events)."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from cases.models import Case
from cases.selectors import visible_cases
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from emergency.models import Incident
from media import services
from media.choices import ActionKind, EventState, Label, LabelSource
from media.models import Action, Correction, Event, FactRequest
from media.tests.factories import make_event

pytestmark = pytest.mark.django_db


def audited(action: str, obj) -> bool:
    return AuditRecord.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_a_correction_replaces_the_model_label_and_is_stored(morg):
    event = make_event(morg.district)
    services.event_correct(event=event, actor=morg.com, label=Label.CLAIM, harmful=True)
    event.refresh_from_db()
    assert (event.label, event.harmful, event.label_source) == (Label.CLAIM, True, LabelSource.OFFICER)
    assert Correction.objects.get(event=event).officer == morg.com
    assert audited("media.event.correct", event)
    assert event.state == EventState.FOLLOWED
    services.event_correct(event=event, actor=morg.com, label=Label.DEMAND)
    assert Event.objects.get(pk=event.pk).first_answer_at is None  # a correction answers nobody


def test_a_bad_correction_writes_nothing(morg):
    event = make_event(morg.district)
    with pytest.raises(ValidationFailed):
        services.event_correct(event=event, actor=morg.com, label="nonsense")
    with pytest.raises(ValidationFailed):
        services.event_correct(event=event, actor=morg.com)
    assert not Correction.objects.exists() and not Action.objects.exists()
    assert Event.objects.get(pk=event.pk).label_source == LabelSource.MODEL


def test_another_wilayas_cell_cannot_act_and_the_central_cell_can(morg):
    event = make_event(morg.district)
    with pytest.raises(NotFound):
        services.event_correct(event=event, actor=morg.com_casa, label=Label.OTHER)
    with pytest.raises(NotFound):
        services.event_correct(event=event, actor=morg.chief, label=Label.OTHER)
    services.event_correct(event=event, actor=morg.com_central, label=Label.OTHER)
    assert Correction.objects.count() == 1


def test_a_complaint_for_the_unit_starts_the_demand_clock_and_stays_unread_by_the_cell(morg):
    event = make_event(morg.district, label=Label.DEMAND)
    data = services.ComplaintInput(
        category="theft", description="سرقات متكررة بحي حسان حسب ما نشر", full_name="سعاد المختلقة"
    )
    case = services.event_open_complaint(event=event, actor=morg.com, data=data)
    assert (case.channel, case.assigned_unit) == ("press", morg.district)
    assert not visible_cases(morg.com).filter(pk=case.pk).exists()  # registering gives no reading
    assert visible_cases(morg.chief).filter(pk=case.pk).exists()
    event.refresh_from_db()
    assert event.first_answer_at is not None
    assert Action.objects.get(event=event, kind=ActionKind.COMPLAINT).reference == case.reference
    assert audited("media.event.complaint", event) and audited("case.create", case)


def test_a_refused_complaint_writes_nothing(morg):
    event = make_event(morg.district, label=Label.DEMAND)
    with pytest.raises(ValidationFailed):
        services.event_open_complaint(
            event=event, actor=morg.com, data=services.ComplaintInput(category="no-such", description="x")
        )
    unplaced = make_event(None, label=Label.DEMAND)
    with pytest.raises(ValidationFailed):
        services.event_open_complaint(
            event=unplaced, actor=morg.com_central, data=services.ComplaintInput(category="theft", description="x")
        )
    assert not Case.objects.exists() and not Action.objects.exists()
    assert Event.objects.get(pk=event.pk).first_answer_at is None


def test_an_intervention_goes_to_the_wilayas_board(morg):
    event = make_event(morg.district, label=Label.INCIDENT)
    incident = services.event_open_intervention(event=event, actor=morg.com, category="fight", description="شجار")
    assert (incident.wilaya, incident.created_by, incident.call_count) == (morg.wilaya, morg.com, 0)
    assert incident.reference
    assert audited("incident.report", incident) and audited("media.event.intervention", event)
    from emergency.selectors import incident_snapshot, open_incidents

    assert incident in open_incidents(morg.wilaya_chief)  # on the wilaya's board, without a call
    assert incident_snapshot(incident)["calls"] == []
    assert incident not in open_incidents(morg.casa_officer)
    with pytest.raises(ValidationFailed):
        services.event_open_intervention(event=event, actor=morg.com, category="nope", description="x")
    assert Incident.objects.count() == 1
    with pytest.raises(PermissionDenied):  # only roles given the act report on a board
        from emergency.services import incident_report

        incident_report(actor=morg.chief, wilaya=morg.wilaya, category="fight", description="x")


def test_facts_are_asked_of_the_unit_and_answered_by_its_chiefs_only(morg):
    event = make_event(morg.district, label=Label.DEMAND)
    request = services.fact_request(event=event, actor=morg.com, question="ما هي الوقائع؟")
    assert request.unit == morg.district and audited("media.facts.ask", request)
    assert Event.objects.get(pk=event.pk).first_answer_at is not None
    for outsider in (morg.sibling_chief, morg.investigator, morg.com):
        with pytest.raises(NotFound):
            services.fact_answer(request=request, actor=outsider, answer="x")
    services.fact_answer(request=request, actor=morg.area_chief, answer="تم توقيف المشتبه فيه.")
    assert FactRequest.objects.get(pk=request.pk).answered_by == morg.area_chief
    assert audited("media.facts.answer", request)
    with pytest.raises(Conflict):
        services.fact_answer(request=request, actor=morg.chief, answer="مرة أخرى")
    with pytest.raises(ValidationFailed):
        services.fact_request(event=event, actor=morg.com, question="  ")
    assert FactRequest.objects.count() == 1


def test_a_verification_is_assigned_within_the_cell(morg):
    event = make_event(morg.district)
    with pytest.raises(ValidationFailed):
        services.verification_open(event=event, actor=morg.com, assignee=morg.com_casa)
    v = services.verification_open(event=event, actor=morg.com, assignee=morg.com2, evidence="")
    assert audited("media.verification.open", v)
    with pytest.raises(ValidationFailed):
        services.verification_conclude(verification=v, actor=morg.com2, verdict="maybe", evidence="x")
    with pytest.raises(NotFound):
        services.verification_conclude(verification=v, actor=morg.com_casa, verdict="false", evidence="x")
    services.verification_conclude(verification=v, actor=morg.com2, verdict="false", evidence="تأكدنا من المدرسة")
    assert audited("media.verification.conclude", v)
    with pytest.raises(Conflict):
        services.verification_conclude(verification=v, actor=morg.com, verdict="true", evidence="x")


def test_the_rebuttal_is_drafted_from_a_false_verdict_and_published(morg):
    event = make_event(morg.district)
    v = services.verification_open(event=event, actor=morg.com, assignee=morg.com)
    with pytest.raises(Conflict):  # no verdict yet
        services.rebuttal_draft(verification=v, actor=morg.com)
    services.verification_conclude(verification=v, actor=morg.com, verdict="false", evidence="لا وجود لأي اختطاف")
    draft = services.rebuttal_draft(verification=v, actor=morg.com)
    assert draft.kind == "rebuttal" and event.headline in draft.body_ar and event.headline in draft.body_fr
    assert draft.number == ""
    with pytest.raises(ValidationFailed):
        services.communique_edit(
            communique=draft, actor=morg.com, text=services.CommuniqueText("عنوان", "", "نص", "texte")
        )
    published = services.communique_publish(communique=draft, actor=morg.com)
    assert published.number.startswith("COM-") and published.number.endswith("-0001")
    event.refresh_from_db()
    assert event.rebutted_at == published.published_at
    from media.models import OutboundPost

    assert sorted(OutboundPost.objects.values_list("channel", flat=True)) == ["social:ar", "social:fr"]
    assert audited("media.communique.publish", published)
    with pytest.raises(Conflict):
        services.communique_publish(communique=published, actor=morg.com)


def test_statements_are_numbered_in_sequence_and_scoped_to_the_cell(morg):
    text = services.CommuniqueText("بلاغ", "Communiqué", "نص البلاغ", "Texte du communiqué")
    first = services.communique_draft(actor=morg.com, kind="statement", text=text)
    second = services.communique_draft(actor=morg.com, kind="statement", text=text)
    with pytest.raises(NotFound):
        services.communique_publish(communique=first, actor=morg.com_casa)
    with pytest.raises(ValidationFailed):
        services.communique_draft(actor=morg.com, kind="rebuttal", text=text)
    with pytest.raises(NotFound):
        services.communique_draft(actor=morg.chief, kind="statement", text=text)
    a = services.communique_publish(communique=first, actor=morg.com)
    b = services.communique_publish(communique=second, actor=morg.com_central)
    assert int(b.number[-4:]) == int(a.number[-4:]) + 1


def test_the_indicators_time_to_first_answer_and_to_rebuttal(morg):
    """GIVEN a demand first seen at 08:00 answered at 10:00 and a rumour first seen at 08:00 rebutted
    at 14:00 (clock frozen) THEN the inbox figures and the analytics hooks say 2 h and 6 h."""
    from datetime import UTC, datetime, timedelta

    from analytics.indicators.hooks import figures
    from demo.clock import clock
    from media import indicators
    from media.selectors import events_for

    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    demand = make_event(morg.district, label=Label.DEMAND, first_seen=start)
    rumour = make_event(morg.district, first_seen=start)
    make_event(morg.district2, label=Label.DEMAND, first_seen=start)  # another wilaya, never answered
    with clock(start + timedelta(hours=2)):
        services.fact_request(event=demand, actor=morg.com, question="ما الوقائع؟")
        v = services.verification_open(event=rumour, actor=morg.com, assignee=morg.com)
        services.verification_conclude(verification=v, actor=morg.com, verdict="false", evidence="تحقق")
        draft = services.rebuttal_draft(verification=v, actor=morg.com)
    with clock(start + timedelta(hours=6)):
        services.communique_publish(communique=draft, actor=morg.com)
    mine = events_for(morg.com)
    assert indicators.first_answer(mine) == {"count": 1.0, "median_s": 7200.0, "p90_s": 7200.0}
    assert indicators.rebuttal(mine) == {"count": 1.0, "median_s": 21600.0, "p90_s": 21600.0}
    assert indicators.first_answer(events_for(morg.com_casa))["count"] == 0.0
    hooked = figures(morg.wilaya.path, start.date(), start.date() + timedelta(days=1))
    assert hooked["media_first_answer"]["median_s"] == 7200.0
    assert hooked["rumour_rebuttal"]["count"] == 1.0
    assert figures(morg.wilaya2.path, start.date(), start.date() + timedelta(days=1))["rumour_rebuttal"]["count"] == 0
