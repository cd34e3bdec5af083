"""`manage.py load_demo`: the demo organisation, its staff, a few hundred complaints and line 19,
over a past that starts on 1 January of last year.

The recent weeks go through the services (units, users, intake, workflow, notes, the deadline sweep,
patrols, rosters, calls), so the demo data carries its timeline and its audit chain like real data.
The longer past before them (`--history`: complaints, line-19 calls, survey answers since 1 January
of last year) is imported in bulk as one audited act (demo/loaders/past.py says why), so that last
year's review and annual communiqué have their figures. Idempotent: when the central unit exists,
nothing is done.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.services import seal_pending
from cases.services import deadlines_sweep
from core.checks import production
from demo import data
from demo.clock import Clock, running_at
from demo.loaders.complaints import WINDOW_DAYS, ComplaintLoader
from demo.loaders.line19 import Line19Loader
from demo.loaders.media import MediaLoader
from demo.loaders.media_desk import MediaDeskLoader
from demo.loaders.organisation import OrganisationLoader
from demo.loaders.oversight import DAYS as OVERSIGHT_DAYS
from demo.loaders.oversight import OversightLoader
from demo.loaders.past import PastLoader, first_day_of_last_year
from demo.loaders.review import ReviewLoader
from org.models import Unit, User

SEED = 2026
HISTORY = 2400  # past complaints (and as many line-19 calls) since 1 January of last year


class Command(BaseCommand):
    help = "Load the demo organisation, staff, sample complaints and line 19 (does nothing if already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300, help="Number of sample complaints (default 300).")
        parser.add_argument("--no-line19", action="store_true", help="Skip patrols, rosters and past calls.")
        parser.add_argument(
            "--history",
            type=int,
            default=HISTORY,
            help=f"Past complaints since 1 January of last year, and as many line-19 calls (default {HISTORY}).",
        )

    def handle(
        self,
        *args: Any,
        cases: int,
        history: int = HISTORY,
        no_line19: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        self.verbosity = verbosity
        if production():
            raise CommandError("AMANE_ENV=production: demo data and its published password never go in production.")
        if Unit.objects.filter(code=data.CENTRAL.code).exists():
            self.say("demo data already loaded", level=2)
            return
        self.say("Loading the demo data (first run only)…")
        started = time.monotonic()
        real_now = timezone.now()
        # The oversight year is replayed before the complaints' window, so that every record is
        # written in time order (the audit chain's times only grow).
        complaints_start = real_now - timedelta(days=WINDOW_DAYS + 2)
        past_start = first_day_of_last_year()
        clock = Clock(min(complaints_start - timedelta(days=OVERSIGHT_DAYS + 3), past_start - timedelta(days=3)))
        with running_at(clock):
            org = OrganisationLoader().load()
            self.say(f"demo: {Unit.objects.count()} units, {User.objects.count()} staff", level=2)
            oversight = OversightLoader(org, random.Random(SEED + 12), complaints_start).load()
            self.say(
                f"demo: {oversight['grievances']} grievances, {oversight['officer_complaints']} against officers", 2
            )
            if history:
                # The past is imported just before the recent weeks, by the administrator.
                clock.at = complaints_start - timedelta(hours=1)
                self.import_past(
                    PastLoader(rng=random.Random(SEED + 1), start=past_start, now=clock.at, actor=org.admin), history
                )
            clock.at = complaints_start
            acts = ComplaintLoader(org, random.Random(SEED), clock, real_now).load(cases)
            self.say(f"demo: {cases} complaints, {acts} acts over {WINDOW_DAYS} days", level=2)
        stats = deadlines_sweep()
        self.say(f"demo: deadline sweep, {stats['overdue']} overdue, {stats['escalations']} escalations", level=2)
        if not no_line19:
            line19 = Line19Loader().load()
            self.say(f"demo: {line19['patrols']} patrols, {line19['calls']} calls, {line19['incidents']} incidents", 2)
        media = MediaLoader(timezone.now()).load()
        self.say(f"demo: {media['items']} press and social items in {media['events']} events", level=2)
        desk = MediaDeskLoader().load()
        self.say(f"demo: {desk['published']} published communiqué, {desk['drafts']} draft", level=2)
        review = ReviewLoader(org, random.Random(SEED + 16)).load()
        self.say(f"demo: annual review, {review['results']} operational results, {review['reviews']} reviews", 2)
        self.say(f"demo: annual communiqué {review['communique']} published", level=2)
        # The past was replayed with old timestamps: seal it now rather than leave the sealer a backlog
        # that `audit_verify` would call overdue.
        sealed = seal_pending(limit=10**9, checkpoint=True)
        self.say(f"demo: audit chain sealed at position {sealed.position}", 2)
        self.say(f"Demo data loaded in {time.monotonic() - started:.0f} s.")

    def import_past(self, past: PastLoader, history: int) -> None:
        counts = past.load(history, history)
        self.say(
            f"demo: past imported from {timezone.localtime(past.start):%Y-%m-%d}: {counts['case']} complaints, "
            f"{counts['calls']} line-19 calls, {counts['survey_answers']} survey answers",
            level=2,
        )

    def say(self, line: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(line)
