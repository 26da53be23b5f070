"""`cluetrain train_text --distill` with a teacher cache, and the option checks (issue #17)."""

import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cluetrain_lab.evaluation.tests.test_train_text import NEGATIVE, NEUTRAL, POSITIVE, write_split
from cluetrain_lab.management.commands.train_text import distillation_tweets

#: Tweets only the other tasks have: what the teacher labels.
OTHER = ["what a lovely morning", "this queue is endless", "stuck in traffic again"]


@pytest.fixture
def tweeteval(tmp_path: Path) -> Path:
    data = tmp_path / "tweeteval"
    sentiment = NEGATIVE + NEUTRAL + POSITIVE
    labels = [0] * 3 + [1] * 3 + [2] * 3
    write_split(data / "sentiment", "train", sentiment * 2, labels * 2, "_rebuilt")
    write_split(data / "sentiment", "val", sentiment, labels)
    emotion = NEGATIVE + POSITIVE + OTHER[:2]
    write_split(data / "emotion", "train", emotion * 2, [0, 0, 0, 1, 1, 1, 2, 3] * 2)
    write_split(data / "emotion", "val", emotion, [0, 0, 0, 1, 1, 1, 2, 3])
    for task in ("irony", "offensive"):
        texts = NEGATIVE + POSITIVE + OTHER
        write_split(data / task, "train", texts * 2, [1, 1, 1, 0, 0, 0, 1, 0, 1] * 2)
        write_split(data / task, "val", texts, [1, 1, 1, 0, 0, 0, 1, 0, 1])
    return data


def test_the_distillation_tweets_are_the_other_tasks_new_tweets_once(tweeteval: Path) -> None:
    tweets = distillation_tweets(tweeteval)
    assert sorted(tweets) == sorted(OTHER)
    assert distillation_tweets(tweeteval) == tweets  # a fixed order


def test_distill_reads_a_matching_teacher_cache(tweeteval: Path, tmp_path: Path) -> None:
    tweets = distillation_tweets(tweeteval)
    cache = tmp_path / "teacher.npz"
    digest = hashlib.sha256("\n".join(tweets).encode()).hexdigest()
    teacher = np.log(np.tile([0.1, 0.1, 0.8], (len(tweets), 1))).astype(np.float32)
    np.savez_compressed(cache, sha256=digest, log_proba=teacher)
    out = tmp_path / "out"
    out.mkdir()
    call_command(
        "train_text", data=str(tweeteval), out=str(out), distill=True, teacher_cache=str(cache)
    )
    report = json.loads((out / "text-fast-report.json").read_text())
    assert report["distilled_on"] == len(OTHER)
    assert report["val"]["sentiment"]["n"] == 9


@pytest.mark.parametrize(
    "options",
    [
        {"tier": "accurate", "distill": True},
        {"tier": "fast", "fusion_only": True},
        {"tier": "accurate", "fusion_only": True, "epochs": 2},
    ],
)
def test_options_that_do_not_go_together_are_refused(
    tweeteval: Path, options: dict[str, object]
) -> None:
    with pytest.raises(CommandError):
        call_command("train_text", data=str(tweeteval), **options)


def test_distill_extra_adds_new_customer_and_thread_tweets_in_tweeteval_form(
    tweeteval: Path, tmp_path: Path
) -> None:
    twcs = tmp_path / "twcs.csv.gz"
    with gzip.open(twcs, "wt", encoding="utf-8") as handle:
        handle.write("tweet_id,author_id,inbound,text\n")
        handle.write('1,115712,True,"@AppleSupport my battery died again https://t.co/x"\n')
        handle.write("2,AppleSupport,False,@115712 Sorry to hear that\n")
        handle.write(f'3,115713,True,"{NEGATIVE[0].upper()}"\n')  # sentiment train, loosely
        handle.write('4,115714,True,"@sprintcare my battery died again!!"\n')  # same, loosely
    threads = tmp_path / "threads.jsonl"
    posts = [{"text": "@BBC is this confirmed?"}, {"text": OTHER[0]}, {"text": ""}]
    threads.write_text(json.dumps({"thread_id": "1", "posts": posts}) + "\n")

    tweets = distillation_tweets(tweeteval, [twcs, threads])
    assert tweets[: len(OTHER)] == distillation_tweets(tweeteval)
    assert tweets[len(OTHER) :] == ["@user my battery died again", "@user is this confirmed?"]
    with pytest.raises(CommandError):
        call_command("train_text", data=str(tweeteval), distill_extra=[str(twcs)])
