"""Grievances forwarded by the Ombudsman, the INPPLC and the CNDH: registration, deadlines that a
follow-up or a reminder re-opens, the inquiry, the answer through four eyes and the head, the letter,
closure, the sweep with a frozen clock, and who may see what."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from cases.selectors import visible_cases
from core import crypto
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from oversight.choices import GrievanceEventKind, GrievanceState
from oversight.models import BodyRule, Grievance, GrievanceEvent
from oversight.services import (
    GrievanceAction,
    grievance_follow_up,
    grievance_link,
    grievance_reveal,
    grievance_transition,
    grievances_sweep,
)
from oversight.tests.factories import liaisons, make_grievance

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def advance(self, **kw):
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


@pytest.fixture
def team(org):
    return liaisons(org)


def act(g, actor, name, **fields):
    g = Grievance.objects.get(pk=g.pk)
    return grievance_transition(
        grievance=g, actor=actor, transition=name, version=g.version, data=GrievanceAction(**fields)
    )


def test_registration_sets_both_deadlines_from_the_body_rules(org, team, clock):
    liaison, _b, _head = team
    g = make_grievance(liaison, received=T0 - timedelta(days=2))
    assert g.reference.startswith("GRV-2026-") and g.state == GrievanceState.RECEIVED
    assert g.route_due_at == T0 - timedelta(days=2) + timedelta(days=15)
    assert g.answer_due_at == T0 - timedelta(days=2) + timedelta(days=60)
    assert "فاطمة" not in g.citizen_name_enc and crypto.decrypt(g.citizen_name_enc) == "فاطمة الزهراء المختلقة"
    BodyRule.objects.filter(body="cndh").update(route_days=10, answer_days=30)
    other = make_grievance(liaison, body="cndh", ref="CNDH-77")
    assert (other.route_due_at - other.received_at).days == 10 and (other.answer_due_at - other.received_at).days == 30
    record = AuditRecord.objects.get(action="grievance.create", object_id=str(g.pk))
    assert "فاطمة" not in str(record.after)


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"body": "parliament"}, "body"),
        ({"ref": ""}, "body_reference"),
        ({"subject": ""}, "subject"),
        ({"received": T0 + timedelta(days=1)}, "received_at"),
        ({"received": T0 - timedelta(days=400)}, "received_at"),
        ({"citizen_name": "x" * 201}, "citizen_name"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_written(org, team, clock, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        make_grievance(team[0], **kw)
    assert field in exc.value.fields and not Grievance.objects.exists()


def test_the_same_body_reference_twice_is_refused(org, team, clock):
    make_grievance(team[0])
    with pytest.raises(ValidationFailed) as exc:
        make_grievance(team[0])
    assert "body_reference" in exc.value.fields and Grievance.objects.count() == 1


def test_only_liaisons_handle_grievances(org, team, clock):
    for outsider in (org.chief, org.inspector, org.wilaya_chief, org.investigator):
        with pytest.raises(PermissionDenied):
            make_grievance(outsider)


def test_answer_goes_through_four_eyes_and_the_head(org, team, clock, make_case):
    """GIVEN an Ombudsman grievance about an existing complaint
    WHEN the liaison links it, assigns the inquiry, drafts; a second liaison reviews; the head approves
    THEN the answer may be sent and the grievance closed as answered, within its deadline."""
    liaison, second, head = team
    case = make_case()
    g = make_grievance(liaison)
    assert not visible_cases(liaison).filter(pk=case.pk).exists()
    grievance_link(grievance=g, actor=liaison, reference=case.reference.lower())
    assert visible_cases(liaison).filter(pk=case.pk).exists()  # the grievance scope opens it
    assert org.district in Grievance.objects.get(pk=g.pk).units.all()
    g = act(g, liaison, "assign_inquiry", unit=org.district)
    assert g.state == GrievanceState.INQUIRY and g.routed_at == T0
    clock.advance(days=20)
    g = act(g, liaison, "draft", answer_text="تم البحث في الشكاية وإحالتها على النيابة العامة.")
    with pytest.raises(PermissionDenied):
        act(g, liaison, "review")  # not their own draft
    g = act(g, second, "review")
    with pytest.raises(PermissionDenied):
        act(g, second, "approve")  # only the head
    g = act(g, head, "approve")
    with pytest.raises(ValidationFailed):
        act(g, liaison, "close_unanswered", closure="answered", note="x")
    g = act(g, liaison, "send")
    assert g.answered_within_deadline is True
    g = act(g, liaison, "close", closure="answered")
    assert g.state == GrievanceState.CLOSED and g.closure == "answered"
    assert AuditRecord.objects.filter(action="grievance.approve", actor=head).exists()


def test_a_grievance_may_close_as_redirected_or_outside_the_remit(org, team, clock):
    g = make_grievance(team[0])
    with pytest.raises(ValidationFailed) as exc:
        act(g, team[0], "close_unanswered", closure="outside_remit")
    assert "note" in exc.value.fields
    g = act(g, team[0], "close_unanswered", closure="outside_remit", note="نزاع مدني بين الخواص")
    assert g.state == GrievanceState.CLOSED and g.closure == "outside_remit"


def test_unknown_action_stale_version_and_wrong_state(org, team, clock):
    g = make_grievance(team[0])
    with pytest.raises(ValidationFailed):
        act(g, team[0], "bribe")
    with pytest.raises(Conflict):
        act(g, team[0], "send")
    with pytest.raises(Conflict):
        grievance_transition(
            grievance=g, actor=team[0], transition="assign_inquiry", version=99, data=GrievanceAction(unit=org.district)
        )
    with pytest.raises(ValidationFailed) as exc:
        act(g, team[0], "assign_inquiry", unit=None)
    assert "unit" in exc.value.fields
    assert Grievance.objects.get(pk=g.pk).state == GrievanceState.RECEIVED


def test_linking_an_unknown_complaint_is_a_404_and_nothing_is_written(org, team, clock):
    g = make_grievance(team[0])
    with pytest.raises(NotFound):
        grievance_link(grievance=g, actor=team[0], reference="RBT-2026-999999-Z")
    assert not g.complaint_links.exists()


def test_the_sweep_marks_routing_and_answer_deadlines_and_escalates_once(org, team, clock, settings):
    """GIVEN a grievance received at T0 (route within 15 days, answer within 60), escalations at 0,
    24 and 72 hours late
    WHEN the sweep runs before and after each deadline
    THEN it marks the missed routing, escalates it to the liaison's heads, once per level; after
    routing, the answer deadline is the one counted."""
    settings.ESCALATION_DELAYS_HOURS = [0, 24, 72]
    liaison, _b, head = team
    g = make_grievance(liaison)
    clock.advance(days=14)
    assert grievances_sweep() == {"overdue": 0, "escalations": 0}
    clock.advance(days=1, hours=1)
    assert grievances_sweep() == {"overdue": 1, "escalations": 1}
    assert grievances_sweep() == {"overdue": 0, "escalations": 0}
    esc = GrievanceEvent.objects.get(grievance=g, kind=GrievanceEventKind.ESCALATION)
    assert esc.data["deadline"] == "route" and esc.data["recipients"] == [head.pk]
    clock.advance(days=1)
    assert grievances_sweep()["escalations"] == 1
    g = Grievance.objects.get(pk=g.pk)
    assert g.overdue and g.escalation_level == 2
    # Routed: the inquiry unit's chiefs hear of the answer deadline when it is missed.
    g = act(g, liaison, "assign_inquiry", unit=org.district)
    assert not g.overdue and g.escalation_level == 0
    clock.now = T0 + timedelta(days=60, hours=1)
    assert grievances_sweep() == {"overdue": 1, "escalations": 1}
    last = GrievanceEvent.objects.filter(grievance=g, kind=GrievanceEventKind.ESCALATION).last()
    assert last.data["deadline"] == "answer" and last.data["recipients"] == [org.chief.pk]


def test_a_follow_up_or_a_reminder_reopens_the_clock(org, team, clock, settings):
    settings.ESCALATION_DELAYS_HOURS = [0, 24, 72]
    liaison, second, head = team
    g = make_grievance(liaison)
    g = act(g, liaison, "assign_inquiry", unit=org.district)
    g = act(g, liaison, "draft", answer_text="جواب")
    g = act(g, second, "review")
    g = act(g, head, "approve")
    g = act(g, liaison, "send")
    g = act(g, liaison, "close", closure="answered")
    clock.advance(days=70)
    g = grievance_follow_up(
        grievance=g,
        actor=liaison,
        kind="follow_up",
        received_at=clock.now - timedelta(days=1),
        note="المشتكية تطلب معلومات إضافية",
    )
    assert g.state == GrievanceState.INQUIRY and g.closure == "" and g.approved_by is None
    assert g.answer_due_at == clock.now - timedelta(days=1) + timedelta(days=60) and not g.overdue
    clock.advance(days=61)
    assert grievances_sweep()["overdue"] == 1
    g = grievance_follow_up(
        grievance=Grievance.objects.get(pk=g.pk), actor=liaison, kind="reminder", received_at=clock.now
    )
    assert g.answer_due_at == clock.now + timedelta(days=15) and not g.overdue and g.escalation_level == 0
    with pytest.raises(ValidationFailed):
        grievance_follow_up(grievance=g, actor=liaison, kind="reminder", received_at=clock.now + timedelta(days=1))
    with pytest.raises(ValidationFailed):
        grievance_follow_up(grievance=g, actor=liaison, kind="complaint", received_at=clock.now)


def test_the_citizens_name_is_shown_for_a_purpose_and_logged(org, team, clock):
    g = make_grievance(team[0])
    with pytest.raises(ValidationFailed):
        grievance_reveal(grievance=g, actor=team[0], purpose="")
    assert grievance_reveal(grievance=g, actor=team[0], purpose="answer") == "فاطمة الزهراء المختلقة"
    assert AuditRecord.objects.filter(action="personal_data.read", object_id=str(g.pk)).count() == 1


# ---------------------------------------------------------------- pages


def test_pages_register_act_and_refuse_bad_input_in_arabic(client, org, team, clock, make_case):

    liaison = team[0]
    client.force_login(liaison)
    assert client.get(reverse("oversight:list")).status_code == 200
    bad = client.post(
        reverse("oversight:new"), {"body": "ombudsman", "body_reference": "", "subject": "", "letter_language": "ar"}
    )
    assert bad.status_code == 422 and not Grievance.objects.exists()
    # the project catalogue's wording of "%(field)s is required." (it takes precedence over the app's)
    assert "حقل «مرجع المؤسسة» إلزامي." in bad.content.decode()
    ok = client.post(
        reverse("oversight:new"),
        {
            "body": "ombudsman",
            "body_reference": "MR-1",
            "received_on": "2026-03-01",
            "subject": "تأخر",
            "citizen_name": "اسم مختلق",
            "letter_language": "fr",
        },
    )
    assert ok.status_code == 302
    g = Grievance.objects.get()
    page = client.get(reverse("oversight:detail", args=[g.reference])).content.decode()
    assert "اسم مختلق" not in page
    unknown = client.post(reverse("oversight:act", args=[g.reference]), {"transition": "x", "version": g.version})
    assert unknown.status_code == 422
    missing_unit = client.post(
        reverse("oversight:act", args=[g.reference]), {"transition": "assign_inquiry", "version": g.version}
    )
    assert missing_unit.status_code == 422 and Grievance.objects.get().state == "received"
    link = client.post(reverse("oversight:link", args=[g.reference]), {"reference": "RBT-2026-000001-Z"})
    assert link.status_code == 404 or link.status_code == 422
    letter = client.get(reverse("oversight:letter", args=[g.reference]))
    assert letter.status_code == 409
    client.force_login(org.chief)
    assert client.get(reverse("oversight:list")).status_code == 403
    assert client.get(reverse("oversight:detail", args=[g.reference])).status_code == 403
