import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command

# Our own synthetic concepts of two challenges (no OpenIDEO text is copied here).
TOPIC = {1: "healthy school food", 2: "bone marrow donors"}
CHALLENGES = {
    1: ["school garden for kids", "kids cook fresh food at school", "fresh fruit for school kids"],
    2: ["bone marrow donor drive", "register marrow donors online", "marrow donor stories"],
}


def _write(folder: Path) -> None:
    with gzip.open(folder / "concepts.jsonl.gz", "wt", encoding="utf-8") as file:
        for challenge, titles in CHALLENGES.items():
            for n, title in enumerate(titles):
                for kind in ("concept", "inspiration"):
                    row = {"challenge": challenge, "id": f"{challenge}-{n}-{kind}", "type": kind}
                    file.write(
                        json.dumps(
                            row | {"title": title, "description": f"{title}: {TOPIC[challenge]}"}
                        )
                        + "\n"
                    )


def test_eval_themes_prints_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    call_command("eval", "themes", "--data", str(tmp_path))
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n", "nmi", "ari", "baselines"}
    assert result["n"] == 6  # inspirations are left out
    assert result["nmi"] == pytest.approx(1.0)
    assert result["ari"] == pytest.approx(1.0)
    assert set(result["baselines"]["tfidf_kmeans"]) == {"nmi", "ari"}


def test_eval_themes_refuses_a_folder_without_concepts(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("eval", "themes", "--data", str(tmp_path))
    assert exit_.value.code == 2


def test_eval_themes_reads_a_plain_concepts_file_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    text = gzip.decompress((tmp_path / "concepts.jsonl.gz").read_bytes()).decode()
    (tmp_path / "concepts.jsonl.gz").unlink()
    (tmp_path / "concepts.jsonl").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode())
    call_command("eval", "themes", "--data", str(tmp_path))
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["n"] == 6


def test_eval_themes_names_the_line_of_a_concept_without_its_challenge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "concepts.jsonl").write_text('{"type": "concept", "title": "x"}\n')
    with pytest.raises(SystemExit) as exit_:
        call_command("eval", "themes", "--data", str(tmp_path))
    assert exit_.value.code == 2
    assert "concepts.jsonl line 1: a concept without its challenge" in capsys.readouterr().err


def test_eval_themes_on_one_challenge_says_the_figures_are_trivial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "concepts.jsonl").write_text(
        "".join(
            json.dumps({"challenge": 1, "type": "concept", "title": title}) + "\n"
            for title in CHALLENGES[1]
        )
    )
    call_command("eval", "themes", "--data", str(tmp_path))
    captured = capsys.readouterr()
    assert json.loads(captured.out.strip().splitlines()[-1])["n"] == 3
    assert "one challenge: one theme holds every concept" in captured.err
