"""The one NinjaAPI instance: authentication, the shared error shape, every app's router."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from core.errors import DomainError
from org.models import ApiToken
from org.services import hash_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer amn_...` (tokens are stored hashed)."""

    def authenticate(self, request: HttpRequest, token: str):
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_token(token), revoked=False)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        # Record use at most once a minute: a write on every request would serialise a busy
        # client on its token row and double the commits of a read.
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="Amane API",
    version="1",
    description="Complaints and public-service records of the national police, scoped to the caller's jurisdiction.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)


def error_body(code: str, message, fields=None) -> dict:
    return {"code": code, "message": str(message), "fields": {k: str(v) for k, v in (fields or {}).items()}}


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    from django.utils.translation import gettext as _

    fields = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "header")]
        fields[".".join(loc) or "request"] = err.get("msg", "")
    return api.create_response(
        request,
        error_body("validation_error", _("The request is not valid: correct the marked fields."), fields),
        status=422,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    from django.utils.translation import gettext as _

    return api.create_response(
        request, error_body("unauthenticated", _("Sign in or send a valid API token.")), status=401
    )


from cases.api import router as cases_router  # noqa: E402
from emergency.api import router as emergency_router  # noqa: E402

api.add_router("/", cases_router)
api.add_router("/emergency/", emergency_router)
__all__ = ["APIKeyHeader", "api"]
