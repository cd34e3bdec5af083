"""`manage.py media_poll [--source ID] [--all]`: poll the feeds whose time has come (what the periodic
task does), one source, or every active feed now whatever its schedule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from media.choices import SourceKind
from media.models import Source
from media.services import PollResult, poll_due, source_poll


class Command(BaseCommand):
    help = "Poll the media feeds that are due (or one source, or all active feeds) and store their new items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, help="poll this source now (its id)")
        parser.add_argument("--all", action="store_true", help="poll every active feed now, due or not")

    def handle(self, *args: Any, source: int | None, all: bool, **options: Any) -> None:
        if source is not None:
            found = Source.objects.filter(pk=source, kind=SourceKind.FEED).exclude(url="").first()
            if found is None:
                raise CommandError(f"no feed source with id {source}")
            results = [source_poll(found)]
        elif all:
            feeds = Source.objects.filter(kind=SourceKind.FEED, active=True).exclude(url="").order_by("pk")
            results = [source_poll(s) for s in feeds]
        else:
            results = poll_due()
        for r in results:
            self.stdout.write(self._line(r))
        self.stdout.write(f"{len(results)} source(s) polled, {sum(r.stored for r in results)} new item(s)")

    @staticmethod
    def _line(r: PollResult) -> str:
        what = f"error: {r.error}" if r.error else f"{r.stored} new, {r.skipped} known"
        return f"#{r.source.pk} {r.source.name}: HTTP {r.status if r.status is not None else '-'}, {what}"
