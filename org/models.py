"""Units, users and roles. A user's jurisdiction is their unit and every unit below it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from org.choices import Role, ThrottleScope, UnitKind


class Unit(models.Model):
    """A node of the organisation tree (central → wilaya → area → district / duty service / room).

    `path` is the materialised path of ids ("/1/4/17/"): "this unit and everything below" is one
    indexed prefix match, no recursive query.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("Short code used in case references, for example RBT or CAS-AF."),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")
    city = models.CharField(_("city"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_geojson = models.JSONField(
        _("area (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Polygon of the territory the unit covers, used to route complaints."),
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (English falls back to French where none is recorded)."""
        return self.name_in(get_language() or "ar")

    def name_in(self, language: str) -> str:
        if language.startswith("ar"):
            return self.name_ar
        if language.startswith("en"):
            return self.name_en or self.name_fr
        return self.name_fr

    @property
    def reference_prefix(self) -> str:
        """The wilaya's code (first three letters) prefixes every reference made below it."""
        return self.code.split("-")[0][:3].upper()

    def ancestors(self) -> list[Unit]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = {u.id: u for u in Unit.objects.filter(id__in=ids)}
        return [by_id[i] for i in ids if i in by_id]


class User(AbstractUser):
    """A member of staff. Roles are a small fixed vocabulary stored as readable strings."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    roles = models.JSONField(_("roles"), default=list, blank=True, help_text=_("Role codes held by the user."))
    preferred_language = models.CharField(_("preferred language"), max_length=5, default="ar")
    # Mixed into the hash every session keeps of its user: changing it ends every session of the
    # user at their next request ("sign out everywhere", a reset of the second factor).
    session_salt = models.CharField(_("session salt"), max_length=32, default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        return bool(set(self.roles) & set(roles))

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's own hash (an HMAC of the password hash, which already ends sessions when the
        # password changes) with the session salt added; both public methods (the hash and its
        # SECRET_KEY_FALLBACKS variants) go through this one.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, self.password + self.session_salt, secret=secret, algorithm="sha256").hexdigest()

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]


class Partner(models.Model):
    """An outside organisation allowed to call Amane: an Open311 client, a relying party of the
    trusted-third-party identity check. Its keys are `ApiKey` rows; revoking one keeps the partner."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """One credential model for every caller that is not a browser session.

    A key belongs to a staff user (scope "api": it acts as that user) or to a partner (scopes
    "open311", "ttp"). Only the SHA-256 of the key is stored (keys are 256-bit random strings, so a
    plain hash suffices; no password stretching); the key is shown once at creation. It expires,
    records its last use, and is revoked by an administrator (page or `manage.py api_key`).
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for."))
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="keys"
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("First characters, to recognise the key."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, partner__isnull=True)
                | models.Q(user__isnull=True, partner__isnull=False),
                name="apikey_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} / {self.name}"

    @property
    def owner_name(self) -> str:
        return self.partner.name if self.partner_id and self.partner else str(self.user)


class RateCounter(models.Model):
    """Hits of one key (a keyed hash of "rule:address", "rule:citizen", "rule:key") in one fixed window.

    Incremented with one INSERT ... ON CONFLICT DO UPDATE statement, atomic across processes on
    SQLite and PostgreSQL. `window_start` is in epoch seconds.
    """

    key = models.CharField(max_length=80)
    window_start = models.BigIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="org_ratecounter_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.count}"


class AuthThrottle(models.Model):
    """Failed sign-ins (or failed API keys) of one account name or one client address.

    Kept in the database so that every server process sees the same count. The key is a keyed hash
    of the scope and the name or address (addresses are personal data), and a row exists for any
    name tried, known or not, so a locked unknown name behaves exactly like a locked account.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=12, choices=ThrottleScope.choices)
    failures = models.PositiveIntegerField(_("failures"), default=0, help_text=_("Since the last lockout."))
    failures_since_success = models.PositiveIntegerField(_("failures since the last sign-in"), default=0)
    lockouts = models.PositiveSmallIntegerField(_("lockouts since the last sign-in"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True, db_index=True)
    retry_at = models.DateTimeField(_("no attempt before"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]}"
