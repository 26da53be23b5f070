"""`cluetrain eval teams` on a small dump written here: the JSON line and what it measures."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cluetrain_lab.expertise.stackexchange import read_dump, split_dump
from cluetrain_lab.expertise.teams import collaboration_graph
from cluetrain_lab.expertise.tests.xmldump import write_tables

KEYS = {"coverage", "diameter", "sum_distance", "size", "hit"}
# Per group of six questions: one on each tag of a pair alone, answered by that tag's expert,
# and one on both, answered by the two experts together; an outsider answers every question.
KINDS = [
    (("qubit",), ("100",)),
    (("gate",), ("101",)),
    (("qubit", "gate"), ("100", "101")),
    (("noise",), ("102",)),
    (("crypto",), ("103",)),
    (("noise", "crypto"), ("102", "103")),
]


def write_dump(folder: Path, questions: int = 120) -> None:
    """Four tags, each with its expert; the experts of a pair of tags work together."""
    folder.mkdir(parents=True, exist_ok=True)
    posts, comments = [], []
    pid = 1
    for q in range(questions):
        tags, experts = KINDS[q % 6]
        day = 1 + q // 6
        qid = pid
        pid += 4
        posts.append(
            f'<row Id="{qid}" PostTypeId="1" AcceptedAnswerId="{qid + 1}" '
            f'CreationDate="2018-03-{day:02d}T10:00:00.000" Title="How does '
            f'{" with ".join(tags)} work {q}" Body="&lt;p&gt;On {" ".join(tags)}&lt;/p&gt;" '
            f'Tags="{"".join(f"&lt;{t}&gt;" for t in tags)}" OwnerUserId="{300 + q}" />'
        )
        answerers = [*experts, str(200 + q % 5)]
        for offset, owner in enumerate(answerers):
            posts.append(
                f'<row Id="{qid + 1 + offset}" PostTypeId="2" ParentId="{qid}" '
                f'CreationDate="2018-03-{day:02d}T{12 + offset}:00:00.000" '
                f'Body="{" ".join(tags)} explained" OwnerUserId="{owner}" />'
            )
        if len(experts) == 2:
            comments.append(
                f'<row Id="{q}" PostId="{qid + 1}" UserId="{experts[1]}" '
                f'CreationDate="2018-03-{day:02d}T18:00:00.000" />'
            )
    write_tables(
        folder,
        [
            ("Posts.xml.gz", "posts", posts),
            ("Comments.xml.gz", "comments", comments),
            ("Users.xml.gz", "users", ['<row Id="100" />']),
        ],
    )


def test_the_command_prints_one_json_line_with_exactly_the_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "all")
    split_dump(tmp_path / "all", tmp_path / "train", tmp_path / "test", share=0.25, seed=3)
    (tmp_path / "test" / "Users.xml.gz").unlink()
    call_command(
        "eval", "teams", "--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")
    )
    line = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(line)
    assert set(result) == {"n", *KEYS, "baselines"}
    assert set(result["baselines"]) == {"top_expert_per_skill", "random_qualified"}
    for baseline in result["baselines"].values():
        assert set(baseline) == KEYS
    assert result["n"] == 30
    # Every tag has its expert in train: the teams cover the tags and hold the expert who
    # answered; on two tags, the two experts who answered together, one hop apart.
    top = result["baselines"]["top_expert_per_skill"]
    assert result["coverage"] == top["coverage"] == 1.0
    assert result["hit"] == top["hit"] == 1.0
    assert result["size"] == top["size"] == pytest.approx(4 / 3, abs=0.1)
    assert result["diameter"] == top["diameter"] == pytest.approx(1 / 3, abs=0.1)
    assert result["sum_distance"] == result["diameter"]
    assert result["baselines"]["random_qualified"]["size"] == result["size"]


def test_the_builder_may_choose_the_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "all", questions=60)
    split_dump(tmp_path / "all", tmp_path / "train", tmp_path / "test", share=0.25, seed=1)
    for method in ("steiner", "diameter"):
        call_command(
            "eval",
            "teams",
            "--train",
            str(tmp_path / "train"),
            "--test",
            str(tmp_path / "test"),
            "--method",
            method,
            "--free-size",
        )
        result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert result["coverage"] == 1.0
        assert 1.0 <= result["size"] <= 2.0


def test_the_collaboration_graph_joins_askers_answerers_and_commenters(tmp_path: Path) -> None:
    write_dump(tmp_path, questions=12)
    graph = collaboration_graph(read_dump(tmp_path))
    assert graph.has_edge("100", "101")  # answered the same question, and commented
    assert graph["100"]["101"]["interactions"] == 2 * 2  # two questions, answer and comment
    assert graph.has_edge("300", "100")  # asker and answerer
    assert not graph.has_edge("100", "102")  # never worked together
    assert all(data["cost"] == 1.0 for _, _, data in graph.edges(data=True))


def test_a_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        call_command("eval", "teams", "--train", str(tmp_path), "--test", str(tmp_path))
    assert stopped.value.code == 2
    assert "no Posts.xml" in capsys.readouterr().err


def test_a_test_folder_without_a_scorable_question_gives_null_figures_not_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dump(tmp_path / "train")
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "Posts.xml").write_text(
        '<posts>\n<row Id="9001" PostTypeId="1" CreationDate="2018-05-01T10:00:00.000" '
        'Title="Nobody answered" Tags="&lt;qubit&gt;" />\n</posts>\n'
    )
    call_command(
        "eval", "teams", "--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")
    )
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["n"] == 0
    assert {result[key] for key in KEYS} == {None}
    for scores in result["baselines"].values():
        assert set(scores.values()) == {None}
    assert "the figures are null" in captured.err
