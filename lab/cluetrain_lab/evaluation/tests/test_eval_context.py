"""`cluetrain eval context` on a tiny Customer Support on Twitter file."""

import csv
import gzip
import json
from pathlib import Path

import pytest

from cluetrain_lab.evaluation.context import run

HEADER = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
          "in_response_to_tweet_id", "conversation_id"]  # fmt: skip


def _rows() -> list[list[str]]:
    rows = []
    tweets = {
        # conversation: (company, inbound texts)
        "1": ("AcmeHelp", ["@AcmeHelp my order is late", "@AcmeHelp still late"]),
        "2": ("AcmeHelp", ["Acme lost my parcel again"]),
        "3": ("ZetaCare", ["@ZetaCare the app crashes", "zeta is down for me", "@123 broken"]),
        "4": ("ZetaCare", ["@AcmeHelp @ZetaCare who do I ask about this"]),
    }
    n = 0
    for conversation, (company, texts) in tweets.items():
        for text in texts:
            n += 1
            rows.append([str(n), "999", "True", "", text, "", "", conversation])
        n += 1
        rows.append([str(n), company, "False", "", "@999 sorry", "", "", conversation])
    # A conversation with no company tweet is not judged.
    rows.append(["100", "998", "True", "", "@AcmeHelp hello", "", "", "5"])
    return rows


def _file(root: Path, *, gz: bool) -> Path:
    path = root / ("t.csv.gz" if gz else "t.csv")
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_each_company_in_turn_is_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gz: bool
) -> None:
    assert run(["--data", str(_file(tmp_path, gz=gz)), "--min-messages", "3"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n", "brands", *KEYS, "baselines"}
    assert result["brands"] == 2
    assert result["n"] == 7 * 2
    # Ours = AcmeHelp: of Zeta's four, "@ZetaCare ..." and "zeta is down" (its brand word) are
    # marked elsewhere; "@123 broken" names nobody; the message to both accounts is addressed
    # to us too, so it is ours -> 2/4. Acme's three are all kept.
    acme = {"elsewhere_recall": 2 / 4, "ours_kept": 1.0, "brand_accuracy": 1.0}
    # Ours = ZetaCare: Acme's three (two by handle, one by "Acme") are elsewhere; all of
    # Zeta's four are kept, the one naming @AcmeHelp too because it names @ZetaCare.
    zeta = {"elsewhere_recall": 1.0, "ours_kept": 1.0, "brand_accuracy": 1.0}
    for key in KEYS:
        assert result[key] == pytest.approx(round((acme[key] + zeta[key]) / 2, 4))
    mentions = result["baselines"]["mentions_only"]
    # Without brand words "Acme lost my parcel" and "zeta is down" are missed.
    assert mentions["elsewhere_recall"] == pytest.approx(round((1 / 4 + 2 / 3) / 2, 4))


KEYS = ("elsewhere_recall", "ours_kept", "brand_accuracy")


def test_too_few_messages_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data", str(_file(tmp_path, gz=False)), "--min-messages", "50"]) == 2
    assert "no company has 50 judged inbound tweets" in capsys.readouterr().err


def test_kaggles_own_file_without_conversation_id_gives_the_same_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kaggle's twcs.csv has no conversation_id (the shared subset added it): conversations
    are followed through in_response_to_tweet_id. Byte-order mark, CRLF, an extra column."""
    assert run(["--data", str(_file(tmp_path, gz=False)), "--min-messages", "3"]) == 0
    expected = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    rows: list[dict[str, str]] = []
    first: dict[str, str] = {}
    for row in _rows():
        record = dict(zip(HEADER, row, strict=True))
        conversation = record.pop("conversation_id")
        # Each tweet answers the one before it in its conversation (a float id, as pandas
        # writes them, for the company's reply).
        record["in_response_to_tweet_id"] = first.get(conversation, "")
        if record["author_id"] not in ("999", "998") and first.get(conversation):
            record["in_response_to_tweet_id"] += ".0"
        first[conversation] = record["tweet_id"]
        rows.append({**record, "subset": "x"})
    path = tmp_path / "twcs.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    assert run(["--data", str(path), "--min-messages", "3"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == expected


def test_a_file_without_the_columns_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,author_id,inbound,text\n1,999,True,hello\n")
    assert run(["--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert "has neither conversation_id nor tweet_id and in_response_to_tweet_id" in err
