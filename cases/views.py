"""Staff pages of complaints: intake, the two lists, the case page and its actions.

Views parse, call one selector or service, and render. A service's refusal (`DomainError`) is
mapped in `core.http`: `page_errors` turns what escapes a view into the 404 page (missing and
forbidden look alike) or the error page, with the error's own 4xx status; `form_error` puts it
back on the form the user sent (and `_act` re-renders the case page with it), with the same
status. Nothing is written when a service refuses: each one runs in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cases import selectors, services
from cases.choices import Channel, State
from cases.deadlines import deadline_rows
from cases.forms import (
    AssignForm,
    AttachForm,
    CaseFilterForm,
    ExecuteInstructionForm,
    IntakeForm,
    NoteForm,
    ResultForm,
    RevealForm,
    TransitionForm,
)
from cases.models import Case
from cases.paging import COUNT_CAP, Cursor, keyset_page
from cases.receipts import render_receipt_pdf
from cases.timeline import timeline_rows
from cases.workflow import OFFICER_TAKE, TRANSITIONS, action_allowed, offered, officer_rule
from core.errors import Conflict, DomainError, NotFound, ValidationFailed
from core.http import form_error, is_htmx, page_errors, parse_float, role_required
from org import access
from org.models import User

PAGE_SIZE = 25
REGISTERED_KEPT = 20  # cases an officer may still print a receipt for, newest last
# Service error fields that a form names differently.
FIELD_ALIASES = {"attachment": ("attachments", "file"), "other": ("link_to",)}


# ---------------------------------------------------------------- intake


@login_required
@page_errors
@role_required(*access.roles_for(access.REGISTER))
def intake(request: HttpRequest) -> HttpResponse:
    """The counter's form. On success: the registered page with the reference and tracking code."""
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.complaint_register(
                    actor=request.user,
                    data=_intake_input(request, form.cleaned_data),
                    attachments=request.FILES.getlist("attachments"),
                )
            except DomainError as exc:
                status = form_error(form, exc, FIELD_ALIASES)
            else:
                _remember_registered(request, case)
                return redirect("cases:registered", reference=case.reference)
        else:
            status = 422
            _add_service_problems(form, request.FILES.getlist("attachments"))
    context = {
        "form": form,
        "suggestions": _suggestions_from(request, request.POST),
        # The map is optional: without reachable tiles it stays blank and the fields still work.
        "map_tiles": settings.MAP_TILE_URL,
    }
    return render(request, "cases/intake.html", context, status=status)


def _add_service_problems(form: IntakeForm, attachments: list[Any]) -> None:
    """The form refused some fields: check the others with the service's rules too, so that the
    officer corrects every mistake in one pass (a field already in error keeps its own message)."""
    d = form.cleaned_data
    data = services.IntakeInput(
        channel=d.get("channel") or Channel.COUNTER,
        category=d.get("category"),
        description=d.get("description") or "",
        complainant=services.ComplainantInput(
            anonymous=bool(d.get("anonymous")),
            full_name=d.get("full_name") or "",
            cnie=d.get("cnie") or "",
            phone=d.get("phone") or "",
            language=d.get("language") or "ar",
        ),
        address=d.get("address") or "",
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        priority=d.get("priority") or "",
    )
    for name, message in services.intake_problems(data=data, attachments=attachments).items():
        for field in (name, *FIELD_ALIASES.get(name, ())):
            if field in form.fields:
                if field not in form.errors:
                    form.add_error(field, message)
                break


def _intake_input(request: HttpRequest, d: dict[str, Any]) -> services.IntakeInput:
    # Only complaints the officer can see may be linked; case_get refuses the others (404).
    links = [selectors.case_get(request.user, ref) for ref in dict.fromkeys(request.POST.getlist("link_to"))]
    return services.IntakeInput(
        channel=d["channel"],
        category=d["category"],
        description=d["description"],
        complainant=services.ComplainantInput(
            anonymous=d["anonymous"],
            full_name="" if d["anonymous"] else d["full_name"],
            cnie="" if d["anonymous"] else d["cnie"],
            phone="" if d["anonymous"] else d["phone"],
            email="" if d["anonymous"] else d["email"],
            consent=not d["anonymous"] and d["notify_consent"],
            language=d["language"],
        ),
        address=d["address"],
        latitude=d["latitude"],
        longitude=d["longitude"],
        priority=d["priority"],
        assigned_unit=d["assigned_unit"],
        routing_reason=d["routing_reason"],
        link_to=links,
    )


def _remember_registered(request: HttpRequest, case: Case) -> None:
    """The session lets the registering officer print the receipt even when the case went to a
    unit they cannot see (a complaint against an officer); the tracking code is kept for the
    one page that shows it."""
    ids = [pk for pk in request.session.get("registered_case_ids", []) if pk != case.pk]
    request.session["registered_case_ids"] = [*ids, case.pk][-REGISTERED_KEPT:]
    request.session["registered_tracking"] = {
        "reference": case.reference,
        "code": case.tracking_code,
    }


@login_required
@require_safe
@page_errors
def registered(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_receipt(request.user, reference, request.session.get("registered_case_ids", []))
    shown = request.session.get("registered_tracking") or {}
    code = None
    if shown.get("reference") == case.reference:
        code = shown.get("code")
        del request.session["registered_tracking"]  # shown once; the receipt carries it after
    visible = selectors.visible_cases(request.user).filter(pk=case.pk).exists()
    return render(request, "cases/registered.html", {"case": case, "tracking_code": code, "can_open": visible})


@login_required
@page_errors
@role_required(*access.roles_for(access.REGISTER))
@require_POST
def suggestions(request: HttpRequest) -> HttpResponse:
    """Partial refreshed by htmx while the officer types a CNIE, a phone or a place. POST: the
    identity numbers typed never go into an address (nor the access log)."""
    return render(request, "cases/_suggestions.html", {"suggestions": _suggestions_from(request, request.POST)})


def _suggestions_from(request: HttpRequest, params) -> dict[str, Any]:
    try:
        lat, lon = parse_float(params.get("latitude")), parse_float(params.get("longitude"))
    except ValidationFailed:
        lat = lon = None  # a half-typed coordinate suggests nothing yet
    if lat is None or lon is None:
        lat = lon = None
    rows = services.intake_suggestions(
        actor=request.user,
        cnie=params.get("cnie", ""),
        phone=params.get("phone", ""),
        latitude=lat,
        longitude=lon,
        category=params.get("category", ""),
    )
    return {"rows": rows, "checked": set(params.getlist("link_to"))}  # type: ignore[attr-defined]


@login_required
@require_safe
@page_errors
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The receipt PDF handed to the complainant; every print is recorded on the timeline."""

    case = selectors.case_get_for_receipt(request.user, reference, request.session.get("registered_case_ids", []))
    code = services.receipt_issue(case=case, actor=request.user)
    pdf = render_receipt_pdf(case=case, tracking_code=code)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"  # it carries the tracking code
    return response


# ---------------------------------------------------------------- lists


@login_required
@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, mine=True)


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    return _case_list(request, mine=False)


def _case_list(request: HttpRequest, *, mine: bool) -> HttpResponse:
    """Both lists: filters in the query string (open cases by default), 25 a page."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    if not params:
        params["state"] = "open"
    form = CaseFilterForm(params, user=request.user)
    qs = selectors.case_list(request.user, form.filters(), mine=mine)
    try:
        cursor = Cursor.decode(request.GET.get("cursor", ""))
    except ValidationFailed:
        cursor = None  # a mangled link shows the first page
    page = keyset_page(qs, cursor, PAGE_SIZE)
    now = timezone.now()
    for case in page.rows:
        case.deadlines = deadline_rows(case, now)
        case.late = any(d.status == "overdue" for d in case.deadlines)
    context = {
        "form": form,
        "page": page,
        "count_cap": COUNT_CAP,
        "first_page": cursor is not None,
        "mine": mine,
        "query": params.urlencode(),
        "list_url": reverse("cases:my_cases" if mine else "cases:queue"),
    }
    template = "cases/_case_table.html" if is_htmx(request) else "cases/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- the case page


@login_required
@require_safe
@page_errors
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, selectors.case_get(request.user, reference))


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    error: Any = None,
    bound: tuple[str, Any] | None = None,
    conflict: bool = False,
    complainant: Any = None,
    reveal_form: RevealForm | None = None,
) -> HttpResponse:
    """The case page. `bound` is the (action, form) the user just sent, shown with its errors."""
    user = request.user
    forms: dict[str, Any] = {}
    can = selectors.acts_allowed(user, case, (access.WORK, access.ASSIGN, access.REVEAL))
    actions = _transition_forms(user, case, can, bound)
    # Which forms the page offers comes from the workflow's table of actions (cases.workflow).
    if can[access.WORK] and action_allowed("note", case.state):
        forms["note"] = NoteForm()
    if can[access.WORK] and action_allowed("attach", case.state):
        forms["attach"] = AttachForm()
    if can[access.WORK]:
        forms["result"] = ResultForm(initial={"occurred_on": timezone.localdate()})
    if can[access.ASSIGN] and action_allowed("assign", case.state):
        forms["assign"] = AssignForm(
            unit=case.assigned_unit,
            initial={"version": case.version, "officer": case.assigned_officer_id},
        )
    referred = case.referred_at is not None
    instructions = _instructions(case, can[access.WORK], bound, forms) if referred else []
    if bound and bound[0] in forms:
        forms[bound[0]] = bound[1]
    shown_with_form = bool(bound) and (bound[0] in forms or any(t.name == bound[0] for t, _f in actions))
    context = {
        "case": case,
        "deadlines": deadline_rows(case, timezone.now()),
        "actions": actions,
        "forms": forms,
        "error": None if shown_with_form else error,
        "conflict": conflict,
        "complainant_record": _complainant_record(case),
        "complainant": complainant,
        "attachments": case.attachments.order_by("uploaded_at", "id"),
        "linked": selectors.case_links_visible(user, case),
        "timeline": timeline_rows(user, case),
        "referrals": case.referrals.select_related("office").order_by("referred_at", "id") if referred else (),
        "instructions": instructions,
        "now": timezone.now(),
        "results": selectors.case_results(case),
        "can_validate": can[access.ASSIGN],
        "can_print": can[access.WORK],
        "can_reveal": can[access.REVEAL],
        "reveal_form": reveal_form or RevealForm(),
    }
    return render(request, "cases/detail.html", context, status=status)


def _transition_forms(
    user: User, case: Case, can: dict[str, bool], bound: tuple[str, Any] | None
) -> list[tuple[Any, TransitionForm]]:
    """The transitions the page offers this user, each with its form (the one just sent, if any)."""
    actions = []
    for t in offered(user, case):
        if not can[access.ASSIGN if t.target is None else access.WORK]:
            continue
        form = TransitionForm(transition=t, user=user, initial={"version": case.version})
        if bound and bound[0] == t.name:
            form = bound[1]
        form.takes_case = officer_rule(t, case, user) == OFFICER_TAKE
        actions.append((t, form))
    return actions


def _instructions(case: Case, works: bool, bound: tuple[str, Any] | None, forms: dict[str, Any]) -> list[tuple]:
    """The prosecutor's instructions of a referred case (one query, whatever their number), each with
    its execution form while it is open and the reader works the case (added to `forms` too)."""
    rows = []
    for ins in case.instructions.order_by("received_at", "id"):
        form = None
        if works and ins.executed_at is None and case.state != State.CLOSED:
            key = f"execute_{ins.pk}"
            form = bound[1] if bound and bound[0] == key else ExecuteInstructionForm(auto_id=f"id_{key}_%s")
            forms[key] = form
        rows.append((ins, form))
    return rows


def _complainant_record(case: Case):
    """Whether the complaint is anonymous, read without decrypting anything."""
    try:
        return case.complainant
    except ObjectDoesNotExist:
        return None


# ---------------------------------------------------------------- case actions


def _act(
    request: HttpRequest,
    case: Case,
    key: str,
    form,
    call: Callable[[dict[str, Any]], Any],
    done: Any,
) -> HttpResponse:
    """Run one action of the case page: the service on success (then back to the page), or the
    page again with the refusal on the form and the refusal's status."""
    if not form.is_valid():
        return _case_page(request, case, status=422, bound=(key, form))
    try:
        call(form.cleaned_data)
    except Conflict as exc:
        # Someone else moved the case: show it as it is now, with forms carrying the new version.
        fresh = selectors.case_get(request.user, case.reference)
        return _case_page(request, fresh, status=exc.status, error=exc.message, conflict=True)
    except DomainError as exc:
        status = form_error(form, exc, FIELD_ALIASES)
        return _case_page(request, case, status=status, error=exc.message, bound=(key, form))
    messages.success(request, done)
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
@page_errors
def transition(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(request.user, reference)
    t = TRANSITIONS.get(request.POST.get("transition", ""))
    if t is None:
        return _case_page(request, case, status=422, error=_("Unknown action."))
    form = TransitionForm(request.POST, transition=t, user=request.user)

    def call(d: dict[str, Any]) -> Case:
        return services.case_transition(
            case=case,
            actor=request.user,
            transition=t.name,
            version=int(d["version"]),
            data=services.TransitionInput(
                note=d.get("note") or "",
                outcome=d.get("outcome") or "",
                prosecutor_office=d.get("prosecutor_office") or "",
                prosecutor_reference=d.get("prosecutor_reference") or "",
                unit=d.get("unit"),
                office=d.get("office"),
                sent=d.get("sent") or "",
                instruction_kind=d.get("instruction_kind") or "",
                instruction_due_at=end_of_day(d.get("instruction_due_at")),
                offence=d.get("offence"),
                report=d.get("report") or "",
            ),
        )

    return _act(request, case, t.name, form, call, _("Done: %(action)s.") % {"action": t.label})


def end_of_day(day: date | None) -> datetime | None:
    """A date typed on a form as the last second of that day in Morocco (a deadline "by the 12th")."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@login_required
@require_POST
@page_errors
def execute_instruction(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Report one of the prosecutor's instructions executed, with its date."""
    instruction = selectors.instruction_get(request.user, reference, pk)
    case = instruction.case
    form = ExecuteInstructionForm(request.POST)

    def call(d: dict[str, Any]) -> Any:
        day = d.get("executed_on")
        executed_at = None
        if day is not None:
            executed_at = min(end_of_day(day) or timezone.now(), timezone.now())
        return services.instruction_execute(
            instruction=instruction, actor=request.user, report=d.get("report") or "", executed_at=executed_at
        )

    return _act(request, case, f"execute_{pk}", form, call, _("The execution was reported."))


@login_required
@require_POST
@page_errors
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(request.user, reference)
    return _act(
        request,
        case,
        "note",
        NoteForm(request.POST),
        lambda d: services.case_add_note(case=case, actor=request.user, note=d["note"]),
        _("The note was added."),
    )


@login_required
@require_POST
@page_errors
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(request.user, reference)
    return _act(
        request,
        case,
        "assign",
        AssignForm(request.POST, unit=case.assigned_unit),
        lambda d: services.case_assign(case=case, actor=request.user, officer=d["officer"], version=d["version"]),
        _("The assignment was saved."),
    )


@login_required
@require_POST
@page_errors
def attach(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(request.user, reference)
    return _act(
        request,
        case,
        "attach",
        AttachForm(request.POST, request.FILES),
        lambda d: services.case_attach(case=case, actor=request.user, upload=d["file"]),
        _("The file was attached."),
    )


@login_required
@require_POST
@page_errors
def reveal(request: HttpRequest, reference: str) -> HttpResponse:
    """Show the complainant's identity for a stated purpose; the service logs the read (timeline and
    audit). A missing purpose re-renders the card with the error, 422."""
    case = selectors.case_get(request.user, reference)
    form = RevealForm(request.POST)
    complainant, status = None, 200
    if form.is_valid():
        try:
            complainant = services.complainant_reveal(
                case=case,
                actor=request.user,
                purpose=form.cleaned_data["purpose"],
                fields=tuple(form.cleaned_data["show"]),
            )
        except DomainError as exc:
            status = form_error(form, exc)
    else:
        status = 422
    if is_htmx(request):
        context = {
            "case": case,
            "complainant": complainant,
            "complainant_record": _complainant_record(case),
            "reveal_form": form,
            "can_reveal": True,
        }
        return render(request, "cases/_complainant.html", context, status=status)
    return _case_page(request, case, complainant=complainant, reveal_form=form, status=status)


@login_required
@require_safe
@page_errors
def attachment(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    att = services.attachment_read(attachment=selectors.attachment_get(request.user, reference, pk), actor=request.user)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:  # the row survived its file (restore, manual cleanup)
        raise NotFound(_("No such attachment.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )
