"""Manage Open311 partner keys: `open311_key create NAME` (prints the key once), `revoke NAME`, `list`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from open311.models import PartnerKey
from open311.services import partner_key_create, partner_key_revoke
from org.models import User


class Command(BaseCommand):
    help = "Create, revoke or list the API keys of Open311 partners."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument("--by", default="", help="Username of the administrator, for the audit log.")

    def handle(self, *args, action: str, name: str, by: str, **options):
        actor = None
        if by:
            actor = User.objects.filter(username=by).first()
            if actor is None:
                raise CommandError(f"No user {by!r}.")
        if action == "list":
            for partner in PartnerKey.objects.order_by("name"):
                state = "active" if partner.active else f"revoked {partner.revoked_at:%Y-%m-%d}"
                used = f"{partner.last_used_at:%Y-%m-%d %H:%M}" if partner.last_used_at else "never"
                self.stdout.write(f"{partner.name}\t{state}\tcreated {partner.created_at:%Y-%m-%d}\tlast used {used}")
            return
        if not name:
            raise CommandError("Give the partner's name.")
        try:
            if action == "create":
                _, raw = partner_key_create(actor=actor, name=name)
                self.stdout.write(raw)
                self.stderr.write("Store this key now: it is not kept and cannot be shown again.")
            else:
                partner_key_revoke(actor=actor, name=name)
                self.stdout.write(f"Revoked {name}.")
        except DomainError as error:
            raise CommandError(str(error.message)) from None
