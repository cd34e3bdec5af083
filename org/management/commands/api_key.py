"""`manage.py api_key`: create, list and revoke the keys of staff users and partners.

    api_key create --user desk.rabat [--name cli] [--days 365]          (scope api)
    api_key create --partner "Wafa Assurance" --scope ttp [--days 90]   (partner created if new)
    api_key list
    api_key revoke amn_AbCdEfGh                                          (by prefix or id)

The clear key is printed once on stdout; only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from core.errors import DomainError
from org.choices import KeyScope
from org.models import ApiKey, Partner, User
from org.services import KEY_DEFAULT_DAYS, api_key_create, api_key_revoke, partner_create


class Command(BaseCommand):
    help = "Create, list or revoke API keys of staff users (scope api) and partners (scopes open311, ttp)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("key", nargs="?", default="", help="revoke: the key's prefix or id")
        parser.add_argument("--user", default="", help="username of the staff member the key acts as")
        parser.add_argument("--partner", default="", help="name of the partner organisation")
        parser.add_argument("--scope", action="append", choices=KeyScope.values, default=[])
        parser.add_argument("--name", default="", help="what the key is for")
        parser.add_argument("--days", type=int, default=KEY_DEFAULT_DAYS, help="validity in days")
        parser.add_argument("--by", default="", help="username of the administrator, for the audit log")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        actor = self._user(opts["by"]) if opts["by"] else None
        try:
            if action == "list":
                self._list()
            elif action == "revoke":
                key = ApiKey.objects.filter(
                    Q(prefix=opts["key"]) | Q(pk=int(opts["key"]) if opts["key"].isdigit() else 0)
                )
                found = list(key[:2])
                if len(found) != 1:
                    raise CommandError("Give the prefix or id of exactly one key (see `api_key list`).")
                api_key_revoke(actor=actor, key=found[0])
                self.stdout.write(f"Revoked {found[0].prefix} ({found[0].owner_name}).")
            else:
                self._create(actor, opts)
        except DomainError as error:
            detail = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {detail}".strip()) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _create(self, actor: User | None, opts: dict[str, Any]) -> None:
        if bool(opts["user"]) == bool(opts["partner"]):
            raise CommandError("Give --user or --partner (one of them).")
        user = partner = None
        if opts["user"]:
            user = self._user(opts["user"])
            scopes = opts["scope"] or [KeyScope.API]
        else:
            partner = Partner.objects.filter(name=opts["partner"].strip()).first()
            partner = partner or partner_create(actor=actor, name=opts["partner"])
            scopes = opts["scope"]
        name = opts["name"] or "+".join(scopes) or "key"
        key, raw = api_key_create(
            actor=actor, name=name, scopes=scopes, user=user, partner=partner, valid_days=opts["days"]
        )
        self.stdout.write(raw)
        self.stderr.write(f"Key {key.prefix} for {key.owner_name}, expires {key.expires_at:%Y-%m-%d}. Store it now.")

    def _list(self) -> None:
        for key in ApiKey.objects.select_related("user", "partner").order_by("created_at"):
            state = "revoked" if key.revoked_at else f"expires {key.expires_at:%Y-%m-%d}"
            used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
            self.stdout.write(
                f"{key.pk}\t{key.prefix}\t{key.owner_name}\t{','.join(key.scopes)}\t{state}\tlast used {used}"
            )
