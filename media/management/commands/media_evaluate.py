"""`manage.py media_evaluate`: precision, recall and F1 of the triage model on a held-out split.

The split is stratified by label and harmful flag with a fixed seed (25 % held out, `--test-share`), so two
runs print the same figures; the model is trained on the rest only, never on what it is scored on.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from media.analysis.triage import SEED, evaluate


class Command(BaseCommand):
    help = "Print per-class precision, recall and F1 (and macro averages) of the media triage on a held-out split."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--test-share", type=float, default=0.25, help="share of examples held out (0.25)")
        parser.add_argument("--seed", type=int, default=SEED, help="seed of the split")

    def handle(self, *args: Any, test_share: float, seed: int, **options: Any) -> None:
        result = evaluate(test_share, seed)
        out = self.stdout.write
        out(f"held-out split: {result.test_size} of {result.test_size + result.train_size} examples (seed {seed})")
        out(f"{'class':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
        for label, (p, r, f, n) in result.per_class.items():
            out(f"{label:<10} {p:>9.3f} {r:>7.3f} {f:>6.3f} {n:>8}")
        p, r, f = result.macro
        out(f"{'macro':<10} {p:>9.3f} {r:>7.3f} {f:>6.3f} {result.test_size:>8}")
        out(f"accuracy {result.accuracy:.3f}")
        p, r, f, n = result.harmful
        out(f"{'harmful':<10} {p:>9.3f} {r:>7.3f} {f:>6.3f} {n:>8}")
