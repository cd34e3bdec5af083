"""Staff sessions on every request: the idle and absolute lifetimes, and the second factor.

An expired session is signed out and sent to the login page with a message (the API answers 401
in its error shape). A session that still owes its second factor reaches only the sign-in pages;
every other page sends it to the code page (or to the set-up of an authenticator, the first time).
The API refuses such a session itself (`amane.api.StaffSession`); API keys are not concerned.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.http import error_body
from org import conf, sessions
from org.models import User

API_PREFIX = "/api/"
# Pages a session that owes its second factor may still open (URL names).
OPEN_BEFORE_SECOND_FACTOR = ("login", "logout", "login_verify", "account:enrol", "set_language")


def expired_message(reason: str, user: User) -> str:
    if reason == "idle":
        return str(
            _("Your session ended after %(minutes)s minutes without activity. Please sign in again.")
            % {"minutes": conf.idle_minutes(user.roles)}
        )
    return str(
        _("Your session reached its maximum length of %(hours)s hours. Please sign in again.")
        % {"hours": conf.max_hours()}
    )


class StaffSessionMiddleware:
    """After the authentication and django-otp middlewares."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and isinstance(user, User):
            reason = sessions.expiry(request.session, user)
            if reason is not None:
                return self._expired(request, reason, user)
            if not request.path_info.startswith(API_PREFIX) and sessions.second_factor_pending(request):
                return self._second_factor(request)
        return self.get_response(request)

    def _expired(self, request: HttpRequest, reason: str, user: User) -> HttpResponse:
        message = expired_message(reason, user)
        logout(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(error_body("session_expired", message), status=401)
        messages.warning(request, message)
        return redirect_to_login(request.get_full_path())

    def _second_factor(self, request: HttpRequest) -> HttpResponse:
        open_paths = {reverse(name) for name in OPEN_BEFORE_SECOND_FACTOR}
        if request.path_info in open_paths:
            return self.get_response(request)
        target = reverse("login_verify") + "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
