"""`cluetrain moderation retrain`: refit the spam filter from moderators' decisions."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.core.errors import ActionError
from cluetrain.moderation.actions import check_retrain, decided_examples, false_hold_rate
from cluetrain.moderation.screening import current_scorer


class Command(BaseCommand):
    help = (
        "retrain: refit the spam filter on every approve/reject decision moderators made on "
        "held contributions (a new community model in the database; the documented weights "
        "are never overwritten) and print the false-hold rate. Last line: one JSON object."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        retrain = sub.add_parser("retrain", help="refit the spam filter from the decisions")
        retrain.add_argument(
            "--prior-strength",
            type=float,
            default=1.0,
            help="how strongly the documented weights hold against the decisions (default 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = current_scorer()
        try:
            model = check_retrain(None, prior_strength=options["prior_strength"])
        except ActionError as error:
            raise CommandError(error.message) from None
        after = current_scorer()
        rate, approved, decided = false_hold_rate()
        contributions, spam = decided_examples()
        agree_before = sum(
            before.score(c).held == s for c, s in zip(contributions, spam, strict=True)
        )
        agree_after = sum(
            after.score(c).held == s for c, s in zip(contributions, spam, strict=True)
        )
        moved = {
            name: round(after.weights[name] - before.weights.get(name, 0.0), 3)
            for name in after.weights
            if abs(after.weights[name] - before.weights.get(name, 0.0)) >= 0.01
        }
        shown = "none yet" if rate is None else f"{rate:.3f}"
        self.stderr.write(
            f"Refitted on {decided} decisions: false-hold rate {shown} "
            f"({approved} of {decided} held contributions approved); the filter now agrees "
            f"with {agree_after} of {decided} decisions (before: {agree_before})."
        )
        self.stdout.write(
            json.dumps(
                {
                    "model_id": model.pk,
                    "decisions": decided,
                    "approved": approved,
                    "false_hold_rate": rate,
                    "agree_before": agree_before,
                    "agree_after": agree_after,
                    "weights_moved": moved,
                    "bias": round(after.bias, 3),
                }
            )
        )
