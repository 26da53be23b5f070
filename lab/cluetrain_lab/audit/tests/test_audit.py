"""The audit set: well formed, kept out of every training path, scored by `cluetrain eval audit`."""

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from cluetrain_lab.audit import leaks
from cluetrain_lab.audit.evaluate import AUDIT_PATH, read_audit

ROOT = Path(__file__).resolve().parents[4]
LAB = ROOT / "lab" / "cluetrain_lab"
AUDIT_PACKAGE = LAB / "audit"
# The only file outside the audit package allowed to name it: the `cluetrain eval` registry.
REGISTRY = LAB / "management" / "commands" / "eval.py"


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w+]+", " ", text.lower()).split())


def test_the_set_is_well_formed() -> None:
    messages = read_audit()
    assert len(messages) >= 500
    assert len({m.id for m in messages}) == len(messages)
    assert len({_normal(m.text) for m in messages}) == len(messages)
    sentiments = Counter(m.sentiment for m in messages)
    assert set(sentiments) == {"negative", "neutral", "positive"}
    assert min(sentiments.values()) >= 100
    replies = [m for m in messages if m.stance]
    assert {m.stance for m in replies} == {"support", "deny", "query", "comment"}
    assert all(m.parent for m in replies)
    assert all(m.parent is None for m in messages if not m.stance)
    # Messages about other companies are none of ours.
    assert all(not m.product for m in messages if m.brand)


def test_no_training_code_reads_the_set() -> None:
    names = ("messages.jsonl", "cluetrain_lab.audit", "audit/", "AUDIT_PATH", "read_audit")
    offenders = []
    for root in (LAB, ROOT / "cluetrain_analytics", ROOT / "cluetrain"):
        for path in root.rglob("*.py"):
            if AUDIT_PACKAGE in path.parents or path == REGISTRY:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in text]
    assert offenders == []
    assert "cluetrain_lab.audit.evaluate:run" in REGISTRY.read_text(encoding="utf-8")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _template(text: str) -> re.Pattern[str]:
    """A demo sentence with its {slots} as wildcards, over normalized text."""
    parts = re.split(r"\{\w+\}", text)
    return re.compile(r"\b" + r".+".join(re.escape(_normal(p)) for p in parts) + r"\b")


def test_no_text_is_in_the_demo_corpus_or_the_shipped_data() -> None:
    audit = [_normal(m.text) for m in read_audit()]
    demo = [
        s
        for path in sorted((ROOT / "cluetrain" / "demo" / "data").glob("*.json"))
        for s in _strings(json.loads(path.read_text(encoding="utf-8")))
    ]
    assert len(demo) > 300
    # Whole demo sentences (with their slots filled by anything) never make an audit message,
    # and no audit message sits inside a demo sentence.
    long_sentences = [_template(s) for s in demo if len(_normal(s).split()) >= 5]
    inside = [t for t in audit for p in long_sentences if p.search(t)]
    assert inside == []
    demo_normal = [_normal(s) for s in demo]
    assert [t for t in audit if any(t in d for d in demo_normal)] == []
    # Every data file shipped with the product or the lab other than the set itself.
    shipped = [
        path
        for root in (ROOT / "cluetrain", ROOT / "cluetrain_analytics", LAB, ROOT / "docs")
        for pattern in ("*.json", "*.jsonl", "*.csv", "*.txt", "*.csv.gz", "*.jsonl.gz")
        for path in root.rglob(pattern)
        if AUDIT_PACKAGE not in path.parents and "locale" not in path.parts
    ]
    assert shipped
    found = []
    for path in shipped:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            content = _normal(handle.read())
        found += [f"{path.name}: {t}" for t in audit if len(t.split()) >= 4 and t in content]
    assert found == []


def test_the_leak_check_finds_an_audit_message_in_a_training_file(tmp_path: Path) -> None:
    # The real check reads TweetEval, which is not in the repository: a command
    # (python -m cluetrain_lab.audit.leaks, docs/audit.md). Here, on planted files.
    texts = [m.text for m in read_audit()]
    split = tmp_path / "sentiment"
    split.mkdir()
    (split / "train_text.txt").write_text(
        f"an unrelated tweet\n{texts[3].upper()}  \n", encoding="utf-8"
    )
    with gzip.open(split / "train_text_extra.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("another tweet\n")
    files = leaks.training_files(tmp_path)
    assert len(files) == 2
    found, lines = leaks.found_in(texts, files)
    assert (found, lines) == ({leaks.normal(texts[3])}, 3)
    assert leaks.main(["--tweeteval", str(tmp_path)]) == 1
    (split / "train_text.txt").write_text("an unrelated tweet\n", encoding="utf-8")
    assert leaks.main(["--tweeteval", str(tmp_path)]) == 0


def test_eval_audit_prints_every_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [json.loads(line) for line in AUDIT_PATH.read_text(encoding="utf-8").splitlines()]
    picked = [r for r in rows if r["stance"]][:6] + [r for r in rows if not r["stance"]][:14]
    data = tmp_path / "few.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")
    call_command("eval", "audit", "--data", str(data), "--fast-only")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["n"] == 20
    assert result["stance"]["n"] == 6
    assert result["sentiment_fast"]["n"] == 20
    assert result["emotion_fast"]["n"] == sum(1 for r in picked if r["emotion"])
    assert "sentiment_accurate" not in result
    for key in ("sentiment_fast", "emotion_fast"):
        found = result[key]
        assert set(found) == {
            "n",
            "accuracy",
            "macro_f1",
            "threshold",
            "coverage",
            "accuracy_labelled",
        }
        assert 0 <= found["accuracy_labelled"] <= 1
        assert 0 <= found["coverage"] <= 1
    assert set(result["intent"]) == {
        "n",
        "accuracy",
        "micro_f1",
        "macro_f1",
        "main_accuracy",
        "recall",
        "abstention",
    }
    for shown in (result["intent"]["abstention"], result["event"]["abstention"]):
        assert 0 <= shown["coverage"] <= 1
        assert 0 <= shown["accuracy_labelled"] <= 1
    assert result["event"]["labelled"] == sum(1 for r in picked if r["event"])
    assert set(result["product"]) == {"n", "accuracy", "recall", "precision", "catalog_only"}


def test_eval_audit_refuses_a_bad_file(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    row = json.loads(AUDIT_PATH.read_text(encoding="utf-8").splitlines()[0])
    data.write_text(json.dumps({**row, "sentiment": "meh"}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("eval", "audit", "--data", str(data))
    assert exited.value.code == 2


def test_another_teams_audit_file_gzipped_with_a_mark_and_more_keys_reads_the_same(
    tmp_path: Path,
) -> None:
    rows = [json.loads(line) for line in AUDIT_PATH.read_text().splitlines()[:5]]
    text = "\ufeff" + "".join(json.dumps({**row, "notes": "checked"}) + "\r\n" for row in rows)
    path = tmp_path / "theirs.jsonl"
    path.write_bytes(gzip.compress(text.encode()))
    assert read_audit(path) == read_audit()[:5]
    (tmp_path / "short.jsonl").write_text(json.dumps({"id": "1", "text": "hi"}) + "\n")
    with pytest.raises(ValueError, match=r"short\.jsonl:1: lacks sentiment"):
        read_audit(tmp_path / "short.jsonl")
