"""Staff sign-in and the user's own account page.

`/login/` is Django's LoginView with the throttled form; the roles that require it then pass the
second factor at `/login/verify/` (or set up their authenticator at `/account/2fa/enrol/` the first
time, and see their recovery codes once). `/account/` shows the session's limits and the second
factor, renews recovery codes and signs the user out everywhere.
"""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime
from typing import Any

import django_otp
import qrcode
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.pil import PilImage

from core.errors import DomainError
from core.http import form_error, page_errors, with_retry_after
from org import selectors, sessions
from org.choices import Role
from org.forms import CodeForm, StaffLoginForm
from org.selectors import StaffRequest
from org.services.second_factor import (
    authenticator_confirm,
    authenticator_start,
    recovery_codes_renew,
    second_factor_verify,
    sessions_end_all,
)
from org.services.throttle import SignInNotice, Throttled

SHOWN_CODES = "org_recovery_codes"


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def notice_text(notice: SignInNotice) -> str:
    """The warning a user reads after signing in when someone failed to sign in as them."""
    if notice.locked_at is not None:
        return str(
            _(
                "%(count)s failed sign-in attempt(s) on your account since your last sign-in; "
                "it was locked at %(when)s. If this was not you, tell your administrator."
            )
            % {"count": notice.failures, "when": _when(notice.locked_at)}
        )
    return str(
        _(
            "%(count)s failed sign-in attempt(s) on your account since your last sign-in, the last at "
            "%(when)s. If this was not you, tell your administrator."
        )
        % {"count": notice.failures, "when": _when(notice.last_failure_at)}
    )


def _next(request: HttpRequest) -> str:
    """Where to go once signed in: the `next` of the request when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return _home(request)


def _home(request: HttpRequest) -> str:
    """A unit chief's and a director's home is their unit's dashboard (the analytics app)."""
    user: Any = request.user
    if getattr(user, "is_authenticated", False) and user.has_role(Role.UNIT_CHIEF, Role.ANALYST):
        return reverse("analytics:home")
    return reverse("cases:my_cases")


def _with_next(name: str, target: str) -> str:
    return reverse(name) + "?" + urlencode({"next": target})


class StaffLoginView(LoginView):
    """Sign-in, throttled: a refusal for too many failures answers 429 with Retry-After; a success
    tells the user about failed attempts since their last sign-in, then asks for the second factor
    when their roles require it."""

    template_name = "registration/login.html"
    authentication_form = StaffLoginForm

    def form_invalid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429
            with_retry_after(response, form.throttled)
        return response

    def get_default_redirect_url(self) -> str:
        return _home(self.request)

    def form_valid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.notice is not None:
            messages.warning(self.request, notice_text(form.notice))
        if sessions.second_factor_pending(self.request):
            return redirect(_with_next("login_verify", self.get_success_url()))
        return response


@login_required
@page_errors
def login_verify(request: StaffRequest) -> HttpResponse:
    """The second step of sign-in: a code of the authenticator app, or a recovery code."""
    if not sessions.second_factor_pending(request):
        return redirect(_next(request))
    if not selectors.has_authenticator(request.user):
        return redirect(_with_next("account:enrol", _next(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except Throttled as exc:
            status = form_error(form, exc)
        else:
            if device is not None:
                django_otp.login(request, device)
                request.session.cycle_key()
                return redirect(_next(request))
            form.add_error("code", _("This code is not right."))
            status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "org/login_verify.html", {"form": form, "next": _next(request)}, status=status)


def qr_png_data_uri(text: str) -> str:
    """`text` as a QR code in an inline PNG (no request leaves the page), 6 pixels a module."""
    image = qrcode.make(text, image_factory=PilImage, box_size=6, border=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return f"data:image/png;base64,{base64.b64encode(out.getvalue()).decode('ascii')}"


def _secret_groups(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@page_errors
def enrol(request: StaffRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with a first
    code. Replacing an authenticator needs a session that passed the current one."""
    is_verified = getattr(request.user, "is_verified", lambda: False)
    if selectors.has_authenticator(request.user) and not is_verified():
        return redirect(_with_next("login_verify", _next(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = authenticator_confirm(user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            django_otp.login(request, device)
            sessions.device_added(request)
            request.session[SHOWN_CODES] = codes
            return redirect(_with_next("account:recovery_codes", _next(request)))
    elif request.method == "POST":
        status = 422
    device = authenticator_start(user=request.user)
    context = {
        "form": form,
        "next": _next(request),
        "qr": qr_png_data_uri(device.config_url),
        "uri": device.config_url,
        "secret": _secret_groups(device),
    }
    return render(request, "org/enrol.html", context, status=status)


@login_required
def recovery_codes(request: StaffRequest) -> HttpResponseBase:
    """The recovery codes just made, shown this once (they leave the session as they are shown)."""
    codes = request.session.pop(SHOWN_CODES, None)
    if not codes:
        return redirect("account:home")
    shown = [f"{code[:4]}-{code[4:]}" for code in codes]
    return render(request, "org/recovery_codes.html", {"codes": shown, "next": _next(request)})


@login_required
def account(request: StaffRequest) -> HttpResponse:
    """The user's account: when the session ends, the second factor, sign out everywhere."""
    idle_end, absolute_end = sessions.ends_at(request.session, request.user)
    context: dict[str, Any] = {
        "has_authenticator": selectors.has_authenticator(request.user),
        "codes_left": selectors.recovery_codes_left(request.user),
        "required": selectors.second_factor_required(request.user, has_device=False),
        "idle_end": datetime.fromtimestamp(idle_end, tz=UTC),
        "absolute_end": datetime.fromtimestamp(absolute_end, tz=UTC),
    }
    return render(request, "org/account.html", context)


@login_required
@page_errors
@require_POST
def recovery_codes_new(request: StaffRequest) -> HttpResponse:
    request.session[SHOWN_CODES] = recovery_codes_renew(user=request.user)
    return redirect("account:recovery_codes")


@login_required
@require_POST
def sign_out_everywhere(request: StaffRequest) -> HttpResponse:
    """End every session of the user, this one included (audited)."""
    sessions_end_all(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("login")
