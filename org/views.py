"""The administrator's pages of the organisation: API keys of staff and partners, and the reset of
a user's second factor. (Sign-in and the user's own account page are in `org.account_views`.)

A key is shown once, right after it is made (kept in the session for one page), then only its
prefix; revoking takes effect at once. Every act goes through `org.services` (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound, ValidationFailed
from core.http import form_error, page_errors, role_required
from org import selectors, services
from org.choices import KeyScope, Role
from org.forms import KeyCreateForm
from org.models import Partner, User
from org.selectors import StaffRequest
from org.services.second_factor import second_factor_reset

SHOWN_KEY = "org_new_key"


@login_required
@page_errors
@role_required(Role.ADMINISTRATOR)
def keys(request: StaffRequest) -> HttpResponse:
    """Every key with its owner, scopes, expiry and last use; the form that makes a new one."""
    form = KeyCreateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _create(request, form.cleaned_data)
        except DomainError as exc:
            status = form_error(form, exc, {"owner": ("username", "partner")})
        else:
            return redirect("org:keys")
    elif request.method == "POST":
        status = 422
    context = {"form": form, "keys": selectors.api_keys(request.user), "new_key": request.session.pop(SHOWN_KEY, None)}
    return render(request, "org/keys.html", context, status=status)


def _create(request: StaffRequest, data: dict) -> None:
    user = partner = None
    if data["owner"] == "user":
        user = selectors.active_user(data["username"])
        if user is None:
            raise ValidationFailed(_("No active user with this username."), fields={"username": _("Unknown user.")})
        scopes: list[str] = [KeyScope.API]
    else:
        partner = Partner.objects.filter(name=" ".join(data["partner"].split())).first()
        partner = partner or services.partner_create(actor=request.user, name=data["partner"])
        scopes = data["scopes"]
    key, raw = services.api_key_create(
        actor=request.user,
        name=data["name"],
        scopes=scopes,
        user=user,
        partner=partner,
        valid_days=data["valid_days"],
    )
    request.session[SHOWN_KEY] = {"raw": raw, "owner": key.owner_name, "prefix": key.prefix}


@login_required
@page_errors
@role_required(Role.ADMINISTRATOR)
@require_POST
def key_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    key = selectors.api_keys(request.user).filter(pk=pk).first()
    if key is None:
        raise NotFound(_("No such key."))
    services.api_key_revoke(actor=request.user, key=key)
    return redirect("org:keys")


@login_required
@page_errors
@role_required(Role.ADMINISTRATOR)
def user_second_factor_reset(request: StaffRequest, pk: int) -> HttpResponse:
    """A user who lost their phone: remove their authenticator and recovery codes and end their
    sessions, so that they set up a new one at their next sign-in (audited)."""
    user = User.objects.select_related("unit").filter(pk=pk).first()
    if user is None:
        raise NotFound(_("No such user."))
    if request.method == "POST":
        second_factor_reset(actor=request.user, user=user)
        messages.success(
            request,
            _("The second factor of %(user)s was reset: they set up a new authenticator at their next sign-in.")
            % {"user": user.get_username()},
        )
        return redirect("org:user_second_factor_reset", pk=user.pk)
    context = {
        "subject": user,
        "has_authenticator": selectors.has_authenticator(user),
        "codes_left": selectors.recovery_codes_left(user),
    }
    return render(request, "org/second_factor_reset.html", context)
