"""The one NinjaAPI instance: authentication, the shared error shape, every app's router."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Swagger
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from core.api import DocumentedAPI
from core.errors import DomainError, PermissionDenied
from core.http import client_ip, domain_error_body, error_body, with_retry_after
from org.choices import KeyScope
from org.models import User
from org.services.throttle import api_key_authenticate
from org.sessions import second_factor_pending


class BearerToken(HttpBearer):
    """`Authorization: Bearer amn_...`: a staff user's API key (scope "api"), stored hashed.

    Failed keys are counted per client address: after a few, each further try waits longer, then
    the address is locked out for a while (429 with Retry-After; `org.services.throttle`).
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = api_key_authenticate(token, KeyScope.API, address=client_ip(request))
        if key is None or key.user is None:
            return None
        request.user = key.user
        return key.user


class StaffSession(SessionAuth):
    """A signed-in staff session (with its CSRF check), refused while it still owes the second
    factor its user's roles require (403, code "second_factor_required")."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is not None and second_factor_pending(request):
            raise PermissionDenied(
                _("Confirm your sign-in with the code of your authenticator app first."),
                code="second_factor_required",
            )
        return user


api = DocumentedAPI(
    title="Amane API",
    version="1",
    description="Complaints and public-service records of the national police, scoped to the caller's jurisdiction.",
    auth=[BearerToken(), StaffSession()],
    urls_namespace="api",
    docs_url="/docs",
    # The vendored Swagger UI ("ninja" is an installed app); no call to the public validator.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return with_retry_after(api.create_response(request, domain_error_body(exc), status=exc.status), exc)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, error_body("unauthenticated", _("Sign in or send a valid API token.")), status=401
    )


from cases.api import router as cases_router  # noqa: E402
from emergency.api import router as emergency_router  # noqa: E402

api.add_router("/", cases_router)
api.add_router("/emergency/", emergency_router)
__all__ = ["APIKeyHeader", "api"]
