"""manage.py create_identity_partner NAME: register a trusted-third-party partner, print its key once."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from identity.services import partner_create


class Command(BaseCommand):
    help = "Register a partner of the trusted-third-party identity check and print its key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name: str, **options):
        try:
            partner, key = partner_create(name=name, actor=None)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"partner: {partner.name}\n")
        self.stdout.write(f"key (shown once, store it now): {key}\n")
