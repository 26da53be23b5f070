"""`cluetrain eval experts` on a small dump written here: the JSON line and what it may read."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from cluetrain_lab.evaluation import experts
from cluetrain_lab.expertise.stackexchange import read_dump, split_dump
from cluetrain_lab.expertise.tests.xmldump import write_tables

KEYS = {"p_at_1", "mrr", "ndcg_at_10", "hit_at_10"}


def write_dump(folder: Path, questions: int = 60) -> None:
    """Questions on four tags; each tag has its expert, who answers and is accepted."""
    folder.mkdir(parents=True, exist_ok=True)
    tags = ["qubit", "gate", "noise", "crypto"]
    posts, comments, votes = [], [], []
    pid = 1
    for q in range(questions):
        tag = tags[q % 4]
        expert, other = 100 + q % 4, 200 + q % 7
        day = 1 + q // 3
        qid, good, bad = pid, pid + 1, pid + 2
        pid += 3
        posts.append(
            f'<row Id="{qid}" PostTypeId="1" AcceptedAnswerId="{good}" '
            f'CreationDate="2018-03-{day:02d}T10:00:00.000" Title="How does {tag} work {q}" '
            f'Body="&lt;p&gt;A question on {tag} number {q}&lt;/p&gt;" Tags="&lt;{tag}&gt;" '
            f'OwnerUserId="{300 + q}" />'
        )
        posts.append(
            f'<row Id="{good}" PostTypeId="2" ParentId="{qid}" '
            f'CreationDate="2018-03-{day:02d}T12:00:00.000" Body="{tag} explained" '
            f'OwnerUserId="{expert}" />'
        )
        posts.append(
            f'<row Id="{bad}" PostTypeId="2" ParentId="{qid}" '
            f'CreationDate="2018-03-{day:02d}T13:00:00.000" Body="no idea" OwnerUserId="{other}" />'
        )
        when = f"2018-03-{day:02d}T11:00:00.000"
        votes.append(f'<row Id="{q}" PostId="{good}" VoteTypeId="2" CreationDate="{when}" />')
        comments.append(f'<row Id="{q}" PostId="{qid}" UserId="{expert}" CreationDate="{when}" />')
    write_tables(
        folder,
        [
            ("Posts.xml.gz", "posts", posts),
            ("Comments.xml.gz", "comments", comments),
            ("Votes.xml.gz", "votes", votes),
            ("Users.xml.gz", "users", ['<row Id="100" />']),
        ],
    )


def test_the_command_prints_one_json_line_with_exactly_the_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "all")
    split_dump(tmp_path / "all", tmp_path / "train", tmp_path / "test", share=0.25, seed=3)
    # The test folder keeps only what a held-out part has: no Users, no Tags.
    (tmp_path / "test" / "Users.xml.gz").unlink()
    call_command(
        "eval", "experts", "--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")
    )
    line = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(line)
    assert set(result) == {"n", *KEYS, "baselines"}
    assert set(result["baselines"]) == {"tag_overlap", "bm25"}
    for baseline in result["baselines"].values():
        assert set(baseline) == KEYS
    assert result["n"] == 15
    # Each tag's expert answers its questions: both our ranking and tag overlap find them.
    assert result["p_at_1"] == 1.0
    assert result["baselines"]["tag_overlap"]["p_at_1"] == 1.0


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no Posts\.xml"):
        read_dump(tmp_path)


def test_a_forward_split_holds_out_the_next_questions_and_drops_the_later_ones(
    tmp_path: Path,
) -> None:
    write_dump(tmp_path / "all")  # 60 questions, three a day, in id order
    split_dump(tmp_path / "all", tmp_path / "train", tmp_path / "test", share=0.25, after=0.5)
    train, test = read_dump(tmp_path / "train"), read_dump(tmp_path / "test")
    assert sorted(int(q) for q in train.questions) == [1 + 3 * q for q in range(30)]
    assert sorted(int(q) for q in test.questions) == [1 + 3 * q for q in range(30, 45)]
    assert max(q.at for q in train.questions.values()) < min(q.at for q in test.questions.values())
    assert {a.question for a in test.answers.values()} == set(test.questions)
    assert len(test.comments) == 15


def test_a_test_folder_handed_over_plain_or_gzipped_under_plain_names_reads_the_same(
    tmp_path: Path,
) -> None:
    """Files named Posts.xml that are gzipped, or plain ones with a byte-order mark and Windows
    line endings: the same dump as the shared layout's .xml.gz files."""
    write_dump(tmp_path / "all")
    expected = read_dump(tmp_path / "all")
    gzipped, plain = tmp_path / "gzipped", tmp_path / "plain"
    gzipped.mkdir()
    plain.mkdir()
    for source in (tmp_path / "all").iterdir():
        name = source.name.removesuffix(".gz")
        (gzipped / name).write_bytes(source.read_bytes())
        text = gzip.decompress(source.read_bytes()).decode("utf-8")
        (plain / name).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    for folder in (gzipped, plain):
        dump = read_dump(folder)
        assert dump.questions == expected.questions
        assert dump.answers == expected.answers
        assert dump.votes == expected.votes


@pytest.mark.parametrize(
    ("posts", "error"),
    [
        ('<row Id="1" PostTypeId="1" \n', r"Posts\.xml: not well-formed XML"),
        ('<row Id="7" PostTypeId="1" Title="t" />', r"Id 7 lacks the CreationDate attribute"),
        ('<row Id="7" PostTypeId="1" CreationDate="March" />', r"Posts\.xml: the row with Id 7"),
    ],
)
def test_a_broken_posts_file_is_a_one_line_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], posts: str, error: str
) -> None:
    write_dump(tmp_path / "train")
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "Posts.xml").write_text(f"<posts>\n{posts}\n</posts>\n")
    code = experts.run(["--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert re.search(error, captured.err)


def test_a_test_folder_without_a_scorable_question_gives_null_figures_not_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "train")
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "Posts.xml").write_text(
        '<posts>\n<row Id="9001" PostTypeId="1" CreationDate="2018-05-01T10:00:00.000" '
        'Title="Nobody answered" Tags="&lt;qubit&gt;" />\n</posts>\n'
    )
    argv = ["--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")]
    assert experts.run(argv) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["n"] == 0
    assert {result[key] for key in KEYS} == {None}
    assert {value for scores in result["baselines"].values() for value in scores.values()} == {None}
    assert "the figures are null" in captured.err


def test_the_same_folder_for_train_and_test_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "all", questions=8)
    assert experts.run(["--train", str(tmp_path / "all"), "--test", str(tmp_path / "all/")]) == 0
    assert "the same folder" in capsys.readouterr().err
