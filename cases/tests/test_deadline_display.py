"""The two clocks of a complaint shown as two: the stage deadline and the closure deadline, each
with its own state, in the queue and on the case page; an overdue badge says which one is late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases.deadlines import deadline_rows
from cases.models import Case

pytestmark = pytest.mark.django_db


def ar(msgid: str) -> str:
    with translation.override("ar"):
        text = gettext(msgid)
    assert text != msgid, f"not translated to Arabic: {msgid!r}"
    return text


def late_closure_only(case: Case) -> Case:
    """A stage deadline still ahead, the closure deadline already passed (the reported case: a new
    stage got its full deadline after the working clock had run out)."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        state_due_at=now + timedelta(days=2), closure_due_at=now - timedelta(days=1), overdue=True
    )
    return Case.objects.get(pk=case.pk)


def test_each_deadline_has_its_own_state(org, make_case):
    """GIVEN a case whose stage deadline is ahead and whose closure deadline has passed
    THEN the stage deadline reads "running" and the closure deadline "overdue"."""
    case = late_closure_only(make_case())
    stage, closure = deadline_rows(case, timezone.now())
    assert (stage.kind, stage.status) == ("stage", "running")
    assert (closure.kind, closure.status) == ("closure", "overdue")


def test_paused_clock_shows_both_deadlines_paused(org, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(clock_running_since=None, state_due_at=None, closure_due_at=None)
    stage, closure = deadline_rows(Case.objects.get(pk=case.pk), timezone.now())
    assert stage.status == closure.status == "paused"


def test_queue_says_which_deadline_is_overdue(client, org, make_case):
    """GIVEN the queue of the unit with a case late on its closure deadline only
    THEN its row shows both deadlines, with the badge "closure deadline passed" and no stage badge."""
    case = late_closure_only(make_case())
    client.force_login(org.chief)
    body = client.get(reverse("cases:queue")).content.decode()
    row = body.split(case.reference, 1)[1].split("</tr>", 1)[0]
    assert ar("Closure deadline passed") in row
    assert ar("Stage deadline passed") not in row
    assert ar("Stage") in row and ar("Closure") in row
    assert 'data-deadline="stage" data-status="running"' in row
    assert 'data-deadline="closure" data-status="overdue"' in row


def test_case_page_says_which_deadline_is_overdue(client, org, make_case):
    case = late_closure_only(make_case())
    client.force_login(org.chief)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    header = body.split('class="case-header', 1)[1].split("</header>", 1)[0]
    assert ar("Closure deadline passed") in header and ar("Stage deadline passed") not in header
    assert 'data-deadline="stage" data-status="running"' in body
    assert 'data-deadline="closure" data-status="overdue"' in body
