"""Public pages of the citizen portal: home, filing, confirmation and receipt, tracking, the
signed-in citizen's complaints (with reopening), the satisfaction survey; and the staff-only demo
outbox.

Views parse, call one service or selector, and render. A service's refusal (DomainError) goes back
on the form with its 4xx status; nothing is written when a service refuses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from cases.models import Case
from cases.receipts import render_receipt_pdf
from core.errors import DomainError, NotFound
from core.http import form_error
from identity.models import Citizen
from identity.selectors import consents_of, current_citizen, ttp_partners
from identity.services import IdentityPurpose, citizen_identity_read, ttp_consent_give, ttp_consent_withdraw
from org import access
from org.ratelimit import RateLimited, limit
from portal import conf, selectors, services
from portal.antibot import HONEYPOT_FIELD, pow_challenge, pow_verify
from portal.forms import MAX_FILES, ConsentForm, FilingForm, ReopenForm, SurveyForm, TrackForm
from portal.models import ContactChannel
from portal.ratelimit import client_address, too_many

FILED_SESSION_KEY = "portal_filed"
FIELD_ALIASES = {
    "attachment": ("attachments",),
    "anonymous": ("category",),
    "full_name": ("category",),
    "cnie": ("category",),
}


def _citizen(request: HttpRequest) -> Citizen | None:
    return current_citizen(request)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"citizen": _citizen(request)})


@require_safe
def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language by a plain link (no form, so public pages carry no CSRF token)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 86400, samesite="Lax")
    return response


# ---------------------------------------------------------------- filing


def file_complaint(request: HttpRequest) -> HttpResponse:
    """The public filing form; a refusal keeps what was typed and answers 422 (429 when limited)."""
    citizen = _citizen(request)
    categories = list(selectors.categories_for(signed_in=citizen is not None))
    posted = request.method == "POST"
    form = FilingForm(request.POST if posted else None, request.FILES if posted else None, categories=categories)
    status = 200
    if posted:
        try:
            limit(f"file:ip:{client_address(request)}", conf.rate_filing())
            if citizen is not None:
                limit(f"file:citizen:{citizen.pk}", conf.rate_filing())
        except RateLimited as exc:
            return too_many(request, exc)
        status = 422
        case = _filing_accepted(request, form, citizen)
        if case is not None:
            request.session[FILED_SESSION_KEY] = {
                "id": case.pk,
                "reference": case.reference,
                "code": case.tracking_code,  # type: ignore[attr-defined]
                "shown": False,
            }
            return redirect("portal:filed")
    elif not form.is_bound:
        form.initial["language"] = (getattr(request, "LANGUAGE_CODE", "") or "ar")[:2]
    context = {
        "form": form,
        "citizen": citizen,
        "identity": (
            citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.SHOWN_TO_CITIZEN) if citizen else None
        ),
        "categories": categories,
        "map_tiles": settings.MAP_TILE_URL,
        "pow_challenge": pow_challenge(),
        "pow_bits": conf.pow_bits(),
        "max_files": MAX_FILES,
        "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "honeypot": HONEYPOT_FIELD,
    }
    return render(request, "portal/file.html", context, status=status)


def _filing_accepted(request: HttpRequest, form: FilingForm, citizen: Citizen | None) -> Case | None:
    """The filed complaint, or None with the reasons put on the form (bot trap, too many files,
    invalid fields, unfinished proof of work, the service's refusal)."""
    files = request.FILES.getlist("attachments")
    if request.POST.get(HONEYPOT_FIELD):
        form.is_valid()
        form.add_error(None, _("The complaint could not be sent. Please try again."))
        return None
    if len(files) > MAX_FILES:
        form.is_valid()
        form.add_error(None, _("Send at most %(n)s files.") % {"n": MAX_FILES})
        return None
    valid = form.is_valid()
    d = form.cleaned_data
    if conf.pow_bits() and not pow_verify(d.get("pow_challenge", ""), d.get("pow_nonce", "")):
        valid = False
        form.add_error(
            None,
            _(
                "Your browser did not finish the security check. Make sure JavaScript is enabled, "
                "wait a moment and send again."
            ),
        )
    if not valid:
        # Name the fields the form accepted but the services would refuse, in the same answer.
        _add_filing_problems(form, citizen, files)
        return None
    data = services.FilingInput(
        **{name: d[name] for name in ("category", "description", "address", "city", "latitude", "longitude")},
        **{name: d[name] for name in ("contact_channel", "phone", "email", "language")},
    )
    try:
        return services.online_complaint_file(citizen=citizen, data=data, attachments=files)
    except DomainError as exc:
        form_error(form, exc, FIELD_ALIASES)
        return None


def _add_filing_problems(form: FilingForm, citizen: Citizen | None, files: list[Any]) -> None:
    d = form.cleaned_data
    data = services.FilingInput(
        category=d.get("category"),
        description=d.get("description") or "",
        address=d.get("address") or "",
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        contact_channel=d.get("contact_channel") or ContactChannel.NONE,
        language=d.get("language") or "ar",
    )
    problems = services.filing_problems(signed_in=citizen is not None, data=data, attachments=files)
    for name, message in problems.items():
        field = next((f for f in (name, *FIELD_ALIASES.get(name, ())) if f in form.fields), None)
        if field is None:
            form.add_error(None, message)
        elif field not in form.errors:
            form.add_error(field, message)


@require_safe
def filed(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference, and the tracking code shown this once."""
    entry = request.session.get(FILED_SESSION_KEY)
    if not entry:
        return redirect("portal:home")
    code = None
    if not entry.get("shown"):
        code = entry["code"]
        request.session[FILED_SESSION_KEY] = {**entry, "shown": True}
    return render(request, "portal/filed.html", {"reference": entry["reference"], "tracking_code": code})


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    """The printable receipt of the filing just made in this session, and of nothing else."""
    entry = request.session.get(FILED_SESSION_KEY)
    case = selectors.case_filed_in_session(entry)
    if case is None:
        return render(request, "404.html", status=404)
    pdf = render_receipt_pdf(case=case, tracking_code=entry["code"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- tracking


@csrf_exempt  # a read; no token in the page keeps a refusal byte-identical whatever was asked
def track(request: HttpRequest) -> HttpResponse:
    """Reference + tracking code → the state in plain words. An unknown reference, a wrong code and
    a malformed reference get the very same answer."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    if request.method != "POST":
        form = TrackForm(initial={"ref": request.GET.get("ref", "")[:32]})
        return render(request, "portal/track.html", {"form": form})
    try:
        limit(f"track:ip:{client_address(request)}", conf.rate_tracking())
    except RateLimited as exc:
        return too_many(request, exc)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=422)
    case_id = selectors.case_id_for_tracking(form.cleaned_data["ref"], form.cleaned_data["code"])
    if case_id is None:
        context = {"form": TrackForm(), "not_found": True}
        return render(request, "portal/track.html", context, status=404)
    return render(request, "portal/track_result.html", {"case": selectors.public_case(case_id)})


# ---------------------------------------------------------------- the signed-in citizen


def _login_redirect(request: HttpRequest) -> HttpResponse:
    try:
        url = reverse("identity:login")
    except Exception:
        return redirect("portal:home")
    return redirect(f"{url}?next={request.path}")


@require_safe
def my_complaints(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    if citizen is None:
        return _login_redirect(request)
    rows = selectors.my_cases(citizen)
    return render(
        request,
        "portal/my.html",
        {"citizen": citizen, "rows": rows, "reopen_form": ReopenForm(), "reopen_days": conf.reopen_days()},
    )


def consents(request: HttpRequest) -> HttpResponse:
    """The identity checks the citizen allows: each consent names an organisation, a purpose and an
    end date, and has a code the citizen hands to that organisation. Withdrawn at any time."""
    citizen = _citizen(request)
    if citizen is None:
        return _login_redirect(request)
    form = ConsentForm(request.POST or None, partners=ttp_partners())
    status, new_code = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                consent = ttp_consent_give(
                    citizen=citizen,
                    partner=form.cleaned_data["partner"],
                    purpose=form.cleaned_data["purpose"],
                    days=form.cleaned_data["days"],
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                form, status, new_code = ConsentForm(partners=ttp_partners()), 201, consent.code
    context = {"citizen": citizen, "form": form, "consents": consents_of(citizen), "new_code": new_code}
    return render(request, "portal/consents.html", context, status=status)


@require_POST
def consent_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    citizen = _citizen(request)
    if citizen is None:
        return _login_redirect(request)
    consent = consents_of(citizen).filter(code=code).first()
    if consent is None:
        return render(request, "404.html", status=404)
    ttp_consent_withdraw(citizen=citizen, consent=consent)
    return redirect("portal:consents")


@require_POST
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    citizen = _citizen(request)
    if citizen is None:
        return _login_redirect(request)
    form = ReopenForm(request.POST)
    filing = selectors.filing_of(citizen, reference)
    status = 422
    if filing is None:
        return render(request, "404.html", status=404)
    if form.is_valid():
        try:
            services.portal_reopen(citizen=citizen, filing=filing, reason=form.cleaned_data["reason"])
        except NotFound:
            return render(request, "404.html", status=404)
        except DomainError as exc:
            status = form_error(form, exc, FIELD_ALIASES)
        else:
            return redirect("portal:my")
    rows = selectors.my_cases(citizen)
    context = {
        "citizen": citizen,
        "rows": rows,
        "reopen_form": ReopenForm(),
        "failed_form": form,
        "failed_ref": filing.case.reference,
        "reopen_days": conf.reopen_days(),
    }
    return render(request, "portal/my.html", context, status=status)


# ---------------------------------------------------------------- satisfaction survey


def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = services.survey_case(token)
    except NotFound:
        return render(request, "portal/survey_invalid.html", status=404)
    if selectors.survey_answered(case):
        return render(request, "portal/survey_done.html", {"already": True})
    form = SurveyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.survey_answer(
                    case=case,
                    rating=d["rating"],
                    feels_safer=d["feels_safer"],
                    comment=d["comment"],
                    language=(getattr(request, "LANGUAGE_CODE", "") or "ar")[:2],
                )
            except DomainError as exc:
                status = form_error(form, exc, FIELD_ALIASES)
            else:
                return render(request, "portal/survey_done.html", {"already": False})
    return render(request, "portal/survey.html", {"form": form, "reference": case.reference}, status=status)


# ---------------------------------------------------------------- demo outbox (staff)


@login_required
@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    """The notification outbox, an administrator's tool to check the notification service:
    addresses masked, no survey link. Any other role: 403."""
    user = request.user
    if not access.allows(getattr(user, "roles", []), access.OUTBOX):
        raise DjangoPermissionDenied
    services.outbox_read(actor=user)
    context: dict[str, Any] = {"messages_out": selectors.outbox_messages(user)}
    return render(request, "portal/outbox.html", context)
