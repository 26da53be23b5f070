import doctest
from pathlib import Path

import pytest

from cluetrain_lab.evaluation import intent_fresh
from cluetrain_lab.evaluation.intent import read_labels, split_ids


def _rows(n: int, subset: str) -> list[dict[str, str]]:
    return [
        {"tweet_id": str(i), "inbound": "True", "subset": subset, "text": f"message {i}"}
        for i in range(n)
    ]


def test_the_fresh_draw_leaves_out_labelled_ids_and_brand_messages() -> None:
    rows = [
        *_rows(30, "prefix"),
        {"tweet_id": "99", "inbound": "False", "subset": "prefix", "text": "brand"},
        {"tweet_id": "98", "inbound": "True", "subset": "prefix", "text": "  "},
    ]
    ids = intent_fresh.draw_fresh(rows, {"1", "2", "3"}, {"prefix": 27})
    assert len(ids) == 27
    assert not {"1", "2", "3", "98", "99"} & set(ids)
    assert ids == sorted(ids, key=int)


def test_the_earlier_label_files_are_excluded_but_not_the_fresh_one(tmp_path: Path) -> None:
    labels = tmp_path / "lab" / "cluetrain_lab" / "evaluation" / "labels"
    labels.mkdir(parents=True)
    (tmp_path / "docs" / "experience").mkdir(parents=True)
    (tmp_path / "docs" / "experience" / "a.csv").write_text("tweet_id,intents,event\n7,,\n")
    (labels / "b.csv").write_text("tweet_id,intents,event\n8,ask,\n")
    (labels / intent_fresh.FRESH_FILE).write_text("tweet_id,intents,event\n9,,\n")
    assert intent_fresh.labelled_ids(tmp_path) == {"7", "8"}


def test_a_later_fresh_sample_does_not_change_an_earlier_draw(tmp_path: Path) -> None:
    labels = tmp_path / "lab" / "cluetrain_lab" / "evaluation" / "labels"
    labels.mkdir(parents=True)
    for sample, tweet_id in (("fresh", 1), ("fresh2", 2), ("fresh3", 3)):
        own_file, _ = intent_fresh.SAMPLES[sample]
        (labels / own_file).write_text(f"tweet_id,intents,event\n{tweet_id},,\n")
    own_file, _ = intent_fresh.SAMPLES["fresh2"]
    assert intent_fresh.labelled_ids(tmp_path, own_file) == {"1"}
    assert intent_fresh.labelled_ids(tmp_path) == set()


def test_a_second_annotation_of_a_sample_is_left_out_with_it(tmp_path: Path) -> None:
    labels = tmp_path / "lab" / "cluetrain_lab" / "evaluation" / "labels"
    labels.mkdir(parents=True)
    (labels / "twcs-fresh2.csv").write_text("tweet_id,intents,event\n2,,\n")
    (labels / "twcs-fresh3.csv").write_text("tweet_id,intents,event\n3,,\n")
    (labels / "twcs-fresh3-second.csv").write_text("tweet_id,intents,event\n3,,\n")
    assert intent_fresh.labelled_ids(tmp_path, "twcs-fresh3.csv") == {"2"}
    assert intent_fresh.labelled_ids(tmp_path, "twcs-fresh2.csv") == set()


def test_the_committed_fresh_labels_are_whole_and_all_test() -> None:
    path = Path(intent_fresh.__file__).parent / "labels" / intent_fresh.FRESH_FILE
    labels = read_labels(path)
    assert len(labels) == sum(intent_fresh.FRESH_PER_SUBSET.values())
    assert split_ids(list(labels), "fresh")["test"] == set(labels)
    repository = Path(intent_fresh.__file__).resolve().parents[3]
    assert not set(labels) & intent_fresh.labelled_ids(repository)


@pytest.mark.parametrize("sample", ["fresh2", "fresh3"])
def test_a_later_fresh_sample_is_whole_all_test_and_apart_from_every_other_file(
    sample: str,
) -> None:
    own_file, _ = intent_fresh.SAMPLES[sample]
    path = Path(intent_fresh.__file__).parent / "labels" / own_file
    labels = read_labels(path)
    assert len(labels) == sum(intent_fresh.FRESH_PER_SUBSET.values())
    assert split_ids(list(labels), sample)["test"] == set(labels)
    repository = Path(intent_fresh.__file__).resolve().parents[3]
    earlier = intent_fresh.labelled_ids(repository, own_file)
    assert not set(labels) & earlier
    order = list(intent_fresh.SAMPLES)
    for other in order[: order.index(sample)]:
        assert read_labels(path.parent / intent_fresh.SAMPLES[other][0]).keys() <= earlier
    for other in order[order.index(sample) + 1 :]:
        assert not read_labels(path.parent / intent_fresh.SAMPLES[other][0]).keys() & set(labels)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(intent_fresh).failed == 0
