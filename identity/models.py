"""Citizens signed in through the national digital identity, and the trusted-third-party records.

A citizen is not a staff `org.User`: the citizen session lives beside staff authentication
(`request.session["citizen_id"]`) and gives access to the citizen's own complaints only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Citizen(models.Model):
    """A person who signed in through the digital-identity provider (OIDC `sub` per issuer).

    Names and the CNIE number are encrypted at rest (law 09-08); `cnie_hash` finds the person's
    complaints without decrypting every row. They are decrypted only by
    `services.citizen_identity_read`, which logs each read with its purpose.
    """

    issuer = models.CharField(_("identity provider"), max_length=255)
    sub = models.CharField(_("subject"), max_length=255)
    given_name_enc = models.TextField(_("given name (encrypted)"), blank=True)
    family_name_enc = models.TextField(_("family name (encrypted)"), blank=True)
    cnie_enc = models.TextField(_("CNIE (encrypted)"), blank=True)
    cnie_hash = models.CharField(_("CNIE hash"), max_length=64, blank=True, db_index=True)
    assurance_level = models.CharField(_("assurance level"), max_length=32, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, default="ar")
    auth_time = models.DateTimeField(_("authenticated at the provider"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="identity_citizen_issuer_sub")]

    def __str__(self) -> str:
        return f"citizen {self.pk}"


class UsedNonce(models.Model):
    """A nonce or token id already accepted once: a second ID token carrying it is a replay."""

    value = models.CharField(_("value"), max_length=255, unique=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("used nonce")
        verbose_name_plural = _("used nonces")

    def __str__(self) -> str:
        return self.value


class IdpAuthorizationCode(models.Model):
    """Local demo provider: an authorization code, single-use, short-lived, bound to PKCE."""

    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    client_id = models.CharField(_("client"), max_length=255)
    redirect_uri = models.CharField(_("redirect address"), max_length=1000)
    code_challenge = models.CharField(_("PKCE challenge"), max_length=128)
    nonce = models.CharField(_("nonce"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("authorization code")
        verbose_name_plural = _("authorization codes")

    def __str__(self) -> str:
        return f"code {self.pk}"


class TtpConsent(models.Model):
    """A citizen's consent, given in the portal, that one partner may check their identity for one
    purpose until a date. The citizen hands the partner the consent's code; the partner's check
    must name it, so a partner can never check a person who did not agree."""

    code = models.CharField(_("consent code"), max_length=20, unique=True)
    citizen = models.ForeignKey(Citizen, verbose_name=_("citizen"), on_delete=models.CASCADE, related_name="consents")
    partner = models.ForeignKey(
        "org.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="ttp_consents"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    given_at = models.DateTimeField(_("given at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity-check consent")
        verbose_name_plural = _("identity-check consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return self.code


class ConsentRecord(models.Model):
    """One check a partner made, under which consent, and the answer given (match or not).

    Holds the keyed hash of the CNIE asked about (to answer the person's access requests), never
    the number or the names in clear.
    """

    partner = models.ForeignKey("org.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(
        TtpConsent, verbose_name=_("consent"), null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_version = models.CharField(_("consent version"), max_length=40, blank=True)
    consented_at = models.DateTimeField(_("consent given at"))
    purpose = models.CharField(_("purpose"), max_length=300)
    cnie_hash = models.CharField(_("CNIE hash"), max_length=64, db_index=True)
    result = models.JSONField(_("answer"), default=dict)
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"consent {self.pk}"
