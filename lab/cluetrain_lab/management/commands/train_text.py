"""`cluetrain train_text`: train a text tier and write it with its training report."""

import csv
import gzip
import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain_analytics.text.fast import MODEL_PATH
from cluetrain_analytics.text.tweeteval import TASKS
from cluetrain_lab.analytics.text.training import TIERS, train_from_folder


class Command(BaseCommand):
    help = (
        "Train the sentiment/emotion/irony/offensive classifiers on TweetEval train splits: "
        "the fast tier (default) or the accurate MiniLM tier (needs the 'accurate' extra)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help="the tweeteval folder (one per task)")
        parser.add_argument("--out", default=str(MODEL_PATH.parent), help="where to write")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--tier", choices=TIERS, default="fast")
        parser.add_argument(
            "--epochs", type=int, default=None, help="accurate tier only: training epochs"
        )
        parser.add_argument(
            "--tune-layers",
            type=int,
            default=None,
            help="accurate tier only: how many of MiniLM's six layers to fine-tune, from the "
            "top (default 1; the others stay frozen)",
        )
        parser.add_argument(
            "--distill",
            action="store_true",
            help="fast tier only: distil the sentiment head from the accurate tier's MiniLM "
            "head on the other tasks' train tweets (unlabelled for sentiment)",
        )
        parser.add_argument(
            "--teacher-cache",
            default=None,
            help="with --distill: a .npz file of the teacher's outputs, read if it matches "
            "the tweets, else computed (about 20 minutes on 2 cores) and written",
        )
        parser.add_argument(
            "--distill-extra",
            nargs="+",
            default=[],
            metavar="FILE",
            help="with --distill: more tweets for the teacher to label, after the other tasks' "
            "ones: a Customer Support on Twitter CSV (its inbound tweets) or RumourEval "
            "threads (threads.jsonl.gz, every post)",
        )
        parser.add_argument(
            "--fusion-only",
            action="store_true",
            help="accurate tier only: keep the MiniLM weights in --out and choose the fusion "
            "weights on val again, against the fast tier in --out (after retraining it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder")
        if options["fusion_only"]:
            if (
                options["tier"] != "accurate"
                or options["epochs"] is not None
                or options["tune_layers"] is not None
            ):
                raise CommandError(
                    "--fusion-only goes with --tier accurate, without --epochs or --tune-layers"
                )
            self._fusion_only(data, Path(options["out"]))
            return
        params: dict[str, Any] = {}
        if options["epochs"] is not None:
            if options["tier"] != "accurate" or options["epochs"] < 1:
                raise CommandError("--epochs takes a positive number, with --tier accurate only")
            params["epochs"] = options["epochs"]
        if options["tune_layers"] is not None:
            if options["tier"] != "accurate" or not 1 <= options["tune_layers"] <= 6:
                raise CommandError("--tune-layers takes 1 to 6, with --tier accurate only")
            params["tuned_layers"] = options["tune_layers"]
        unlabelled = None
        extra = [Path(path) for path in options["distill_extra"]]
        if extra and not options["distill"]:
            raise CommandError("--distill-extra goes with --distill")
        for path in extra:
            if not path.is_file():
                raise CommandError(f"{path} is not a file")
        if options["distill"]:
            if options["tier"] != "fast":
                raise CommandError("--distill goes with the fast tier")
            cache = options["teacher_cache"]
            unlabelled = _teacher_outputs(
                data, Path(cache) if cache else None, self.stdout.write, extra
            )
        try:
            report = train_from_folder(
                data,
                options["out"],
                random_state=options["seed"],
                tier=options["tier"],
                params=params or None,
                log=self.stdout.write,
                unlabelled=unlabelled,
            )
        except ImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"wrote {report['model']} ({report['size_bytes'] / 1e6:.1f} MB)")

    def _fusion_only(self, data: Path, out: Path) -> None:
        try:
            from cluetrain_analytics.text import accurate
        except ImportError as error:
            raise CommandError(str(error)) from error
        from cluetrain_lab.analytics.text import training
        from cluetrain_lab.analytics.text.tweeteval import load_split

        weights = out / accurate.WEIGHTS_PATH.name
        if not weights.exists():
            raise CommandError(f"{weights} is missing: train the accurate tier first")
        val = {task: load_split(data / task, "val", task=task) for task in TASKS}
        accurate.configure_threads()
        fast = training._fast_tier_for(out)
        tier = accurate.refit_fusion(val, fast, weights=weights, log=self.stdout.write)
        metrics = tier.report["val"]
        for task in TASKS:
            self.stdout.write(f"val {task}: official {metrics[task]['official']}")
        accurate.save_accurate_tier(tier, weights)
        report_path = out / "text-accurate-report.json"
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        report.update(
            fast_weight=tier.fast_weight,
            fast_version=fast.version,
            val=metrics,
            fusion_refit_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        report_path.write_text(json.dumps(report, indent=2) + "\n")
        if "history" in report:
            (out / "text-accurate-report.md").write_text(training._accurate_markdown(report))
        self.stdout.write(f"wrote {weights.with_suffix('.json')} (fusion weights only)")


_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")


def tweeteval_form(text: str) -> str:
    """A tweet as TweetEval gives them: URLs removed, mentions made ``@user``, one space.

    >>> tweeteval_form("@AppleSupport my phone died  https://t.co/x")
    '@user my phone died'
    """
    return " ".join(_MENTION.sub("@user", _URL.sub("", text)).split())


def _loose_key(text: str) -> str:
    return re.sub(r"[^a-z0-9@#]", "", text.lower())


def extra_tweets(path: Path) -> list[str]:
    """The tweets of a Customer Support on Twitter CSV (inbound only: the customers' own) or of
    RumourEval threads (``.jsonl``/``.jsonl.gz``, every post), in file order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        if ".jsonl" in path.suffixes:
            return [
                post["text"]
                for line in handle
                if line.strip()
                for post in json.loads(line)["posts"]
                if post.get("text")
            ]
        return [row["text"] for row in csv.DictReader(handle) if row.get("inbound") == "True"]


def distillation_tweets(data: Path, extra: Sequence[Path] = ()) -> list[str]:
    """The emotion, irony and offensive train tweets not in sentiment's train or val, deduplicated,
    in a fixed shuffled order (``random.Random(0)``); then the tweets of each ``extra`` file
    (:func:`extra_tweets`) in TweetEval's form, without those that match sentiment's train or
    val, or a tweet before them, on a loose key (lower case, letters, digits, ``@`` and ``#``)."""
    from cluetrain_lab.analytics.text.tweeteval import load_split

    seen = set(load_split(data / "sentiment", "train", task="sentiment")[0])
    seen |= set(load_split(data / "sentiment", "val", task="sentiment")[0])
    pool = []
    for task in ("emotion", "irony", "offensive"):
        for text in load_split(data / task, "train", task=task)[0]:
            if text not in seen:
                seen.add(text)
                pool.append(text)
    random.Random(0).shuffle(pool)
    keys = {_loose_key(text) for text in seen}
    for path in extra:
        for text in map(tweeteval_form, extra_tweets(path)):
            key = _loose_key(text)
            if len(key) >= 3 and key not in keys:
                keys.add(key)
                pool.append(text)
    return pool


def _teacher_outputs(
    data: Path, cache: Path | None, log: Callable[[str], None], extra: Sequence[Path] = ()
) -> tuple[list[str], Any]:
    """The distillation tweets and the shipped MiniLM sentiment head's log-probabilities."""
    import numpy as np

    texts = distillation_tweets(data, extra)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            if str(stored["sha256"]) == digest:
                log(f"teacher outputs for {len(texts)} tweets read from {cache.name}")
                return texts, stored["log_proba"]
        log(f"{cache.name} is for other tweets: computing again")
    try:
        from cluetrain_analytics.text import accurate
    except ImportError as error:
        raise CommandError(str(error)) from error
    from cluetrain_analytics.text.fast import load_fast_tier

    accurate.configure_threads()
    # Only the MiniLM head is used; the fast part of the teacher is refitted in training.
    tier = accurate._load(accurate.WEIGHTS_PATH, load_fast_tier())
    log(f"teacher: MiniLM on {len(texts)} tweets")
    log_proba = tier.minilm_log_proba(texts)["sentiment"]
    if cache is not None:
        np.savez_compressed(cache, sha256=digest, log_proba=log_proba.astype(np.float32))
    return texts, log_proba
