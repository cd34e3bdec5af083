"""`manage.py otp_reset USERNAME [--by ADMIN]`: a user lost their phone.

Removes the user's authenticator app and recovery codes and ends their sessions (audited, as the
page /org/users/<id>/2fa/reset does); they set up a new authenticator at their next sign-in.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from org.models import User
from org.services.second_factor import second_factor_reset


class Command(BaseCommand):
    help = "Reset a user's second factor (authenticator and recovery codes) and end their sessions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--by", default="", help="username of the administrator, for the audit log")

    def handle(self, *args: Any, username: str, by: str, **opts: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        actor = User.objects.filter(username=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No user named {by!r}.")
        removed = second_factor_reset(actor=actor, user=user)
        self.stdout.write(f"{username}: {removed} device(s) removed, sessions ended.")
