import argparse
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# Evaluation name -> "module:function" taking the remaining argv and returning an exit code
# (`eval text`, `eval spread`, ...): one module of cluetrain_lab/evaluation/ each.
EVALUATIONS: dict[str, str] = {
    "text": "cluetrain_lab.evaluation.text:run",
    "intent": "cluetrain_lab.evaluation.intent:run",
    "spread": "cluetrain_lab.evaluation.spread:run",
    "influence": "cluetrain_lab.evaluation.influence:run",
    "experts": "cluetrain_lab.evaluation.experts:run",
    "teams": "cluetrain_lab.evaluation.teams:run",
    "signed": "cluetrain_lab.trust.signed:run",
    "ratings": "cluetrain_lab.trust.ratings:run",
    "gaming": "cluetrain_lab.trust.gaming:run",
    "deception": "cluetrain_lab.deception.evaluate:run",
    "stance": "cluetrain_lab.evaluation.stance:run",
    "abstention": "cluetrain_lab.evaluation.abstention:run",
    "themes": "cluetrain_lab.evaluation.themes:run",
    "ideas": "cluetrain_lab.evaluation.ideas:run",
    "audit": "cluetrain_lab.audit.evaluate:run",
    "context": "cluetrain_lab.evaluation.context:run",
}


class Command(BaseCommand):
    help = "Run an accuracy evaluation on public data (lab/README.md lists them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("evaluation", nargs="?", help="which evaluation to run")
        parser.add_argument("rest", nargs=argparse.REMAINDER, help="the evaluation's own arguments")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["evaluation"]
        available = ", ".join(sorted(EVALUATIONS)) or "none yet"
        if name is None:
            raise CommandError(f"Name an evaluation: {available}.", returncode=2)
        if name not in EVALUATIONS:
            raise CommandError(
                f"Unknown evaluation {name!r}. Available: {available}.", returncode=2
            )
        module, function = EVALUATIONS[name].split(":")
        code = getattr(import_module(module), function)(options["rest"])
        if code:
            raise SystemExit(code)
