"""`cluetrain eval deception` on small files written here: one JSON line, source never read."""

import csv
import gzip
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cluetrain_lab.deception import evaluate
from cluetrain_lab.deception.reviews import read_reviews

INVENTED = ["my husband", "luxury", "vacation", "amazing experience", "chicago", "family"]
LIVED = ["the bathroom", "floor", "small", "the elevator", "block away", "$40 parking"]
FILLER = ["the hotel", "room", "staff", "we stayed", "the bed", "breakfast", "price", "night"]
COLUMNS = ["id", "deceptive", "hotel", "polarity", "source", "text"]


def rows(seed: int, hotels: list[str], per_hotel: int = 16) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for hotel in hotels:
        for i in range(per_hotel):
            deceptive = i % 2 == 0
            words = rng.choices(FILLER, k=8) + rng.sample(INVENTED if deceptive else LIVED, 2)
            # Some noise: a lived review borrowing an invented phrase and the reverse.
            words.append(rng.choice(LIVED if deceptive else INVENTED))
            rng.shuffle(words)
            out.append(
                {
                    "id": str(len(out) + 1),
                    "deceptive": "deceptive" if deceptive else "truthful",
                    "hotel": hotel,
                    "polarity": "positive" if i % 4 < 2 else "negative",
                    "source": "MTurk" if deceptive else "TripAdvisor",
                    "text": " ".join(words).capitalize() + ".",
                }
            )
    return out


def write(path: Path, data: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(data)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(buffer.getvalue().encode()))
    else:
        path.write_text(buffer.getvalue())
    return path


def last_json_line(output: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return parsed


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    train = write(tmp_path / "train.csv.gz", rows(1, ["a", "b", "c", "d", "e", "f"]))
    test = write(tmp_path / "test.csv", rows(2, ["x", "y"]))
    return train, test


def test_the_json_line_has_exactly_the_issue_keys(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    train, test = files
    assert evaluate.run(["--train", str(train), "--test", str(test)]) == 0
    result = last_json_line(capsys.readouterr().out)
    assert set(result) == {"n", "accuracy", "f1", "baseline"}
    assert set(result["baseline"]) == {"accuracy", "f1"}
    assert result["n"] == 32
    # Well above chance (16 of 32), not more: these reviews are shuffled phrases, so the
    # model's character grams that span two words, and its view of how a review opens and
    # closes, read noise here (0.69 on this file; 0.84, 0.66 and 0.81 with the seed pairs
    # 3/4, 5/6, 7/8; without the edge view 0.72, 0.84, 0.66, 0.84; the baseline 0.78, 0.91,
    # 0.72, 0.88); on real reviews they read phrasing (benchmarks/eval-deception-experiments.md).
    assert result["accuracy"] >= 0.65
    for score in (result["accuracy"], result["f1"], *result["baseline"].values()):
        assert 0.0 <= score <= 1.0


def test_the_source_column_is_never_read(tmp_path: Path) -> None:
    train_rows, test_rows = rows(1, ["a", "b", "c", "d"]), rows(2, ["x", "y"])
    honest = evaluate.score_holdout(
        read_reviews(write(tmp_path / "train1.csv", train_rows)),
        read_reviews(write(tmp_path / "test1.csv", test_rows)),
    )
    rng = random.Random(3)
    for data in (train_rows, test_rows):
        sources = [row["source"] for row in data]
        rng.shuffle(sources)
        for row, source in zip(data, sources, strict=True):
            row["source"] = source
    permuted = evaluate.score_holdout(
        read_reviews(write(tmp_path / "train2.csv", train_rows)),
        read_reviews(write(tmp_path / "test2.csv", test_rows)),
    )
    assert permuted == honest


def test_cross_validation_holds_whole_hotels_out(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    train, _ = files
    reviews = read_reviews(train)
    for learn, held in evaluate.hotel_folds(reviews, folds=3):
        assert {reviews[i].hotel for i in learn}.isdisjoint({reviews[i].hotel for i in held})
    assert evaluate.run(["--train", str(train), "--cv", "--folds", "3", "--repeats", "2"]) == 0
    result = last_json_line(capsys.readouterr().out)
    assert result["n"] == 96
    assert set(result["by_polarity"]) == {"positive", "negative"}
    assert result["by_polarity"]["positive"]["n"] == 48
    assert set(result["baseline"]) == {"accuracy", "f1", "accuracy_range"}


def test_first_seed_draws_fresh_folds(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A choice made on draws 0-2 is confirmed on draws that took no part in it."""
    train, _ = files
    seen: list[int] = []
    real = evaluate.out_of_fold

    def spy(reviews: Any, folds: int = 4, seed: int = 0) -> Any:
        seen.append(seed)
        return real(reviews, folds, seed)

    monkeypatch.setattr(evaluate, "out_of_fold", spy)
    args = ["--train", str(train), "--cv", "--folds", "3", "--repeats", "2"]
    assert evaluate.run([*args, "--first-seed", "3"]) == 0
    assert seen == [3, 4]
    assert evaluate.hotel_folds(read_reviews(train), 3, 3) != evaluate.hotel_folds(
        read_reviews(train), 3, 0
    )


def test_bad_files_end_with_status_2_and_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rows(1, ["a", "b"])
    data[3]["deceptive"] = "maybe"
    bad = write(tmp_path / "bad.csv", data)
    assert evaluate.run(["--train", str(bad), "--test", str(bad)]) == 2
    assert "line 5: deceptive must be deceptive or truthful, not 'maybe'" in capsys.readouterr().err
    missing = tmp_path / "missing.csv"
    missing.write_text("id,text\n1,hello\n")
    assert evaluate.run(["--train", str(missing), "--test", str(missing)]) == 2
    assert "lacks the column(s) deceptive, polarity" in capsys.readouterr().err


def test_it_runs_as_cluetrain_eval_deception(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    train, test = files
    call_command("eval", "deception", "--train", str(train), "--test", str(test))
    assert set(last_json_line(capsys.readouterr().out)) == {"n", "accuracy", "f1", "baseline"}


def test_a_strangers_file_columns_reordered_with_a_byte_order_mark_crlf_and_gzip_unnamed(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The label column first (so the mark sits on its name), an extra column, Windows line
    endings, gzipped under a plain .csv name: read like the shared file."""
    train, _ = files
    data = rows(2, ["x", "y"])
    buffer = io.StringIO()
    columns = ["Deceptive", "text", "polarity", "hotel", "id", "source", "stars"]
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in data:
        writer.writerow([row[c.lower()] if c != "stars" else "4" for c in columns])
    test = tmp_path / "stranger.csv"
    test.write_bytes(gzip.compress(("\ufeff" + buffer.getvalue()).encode("utf-8")))
    assert [(r.deceptive, r.text) for r in read_reviews(test)] == [
        (r["deceptive"] == "deceptive", r["text"]) for r in data
    ]
    assert evaluate.run(["--train", str(train), "--test", str(test)]) == 0
    assert last_json_line(capsys.readouterr().out)["n"] == 32
