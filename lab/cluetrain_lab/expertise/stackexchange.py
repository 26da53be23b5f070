"""A Stack Exchange data dump (Posts, Comments, Votes, Users, Tags .xml, possibly gzipped).

Only what expert finding needs is kept. Reputation, scores and counts are never taken from the
dump's own totals: votes are counted from Votes.xml of the same folder.
"""

import gzip
import html
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from xml.sax import saxutils as sax

import nh3
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

UPVOTE, DOWNVOTE = "2", "3"


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    title: str
    body: str
    tags: tuple[str, ...]
    at: datetime
    owner: str | None
    accepted_answer: str | None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    question: str
    body: str
    at: datetime
    owner: str | None


@dataclass(frozen=True, slots=True)
class Comment:
    post: str
    user: str | None
    at: datetime


@dataclass
class Dump:
    questions: dict[str, Question] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)  # post id -> up minus down
    users: set[str] = field(default_factory=set)


def _open(folder: Path, name: str) -> IO[bytes] | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            if candidate.suffix == ".gz":
                return gzip.open(candidate)  # type: ignore[return-value]
            return candidate.open("rb")
    return None


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    handle = _open(folder, name)
    if handle is None:
        return
    with handle:
        for _, element in iterparse(handle):
            if element.tag == "row":
                yield dict(element.attrib)
            element.clear()


def _when(raw: str) -> datetime:
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)


def plain(body: str) -> str:
    """The words of a post body: tags stripped by the sanitizer, entities decoded."""
    return html.unescape(nh3.clean(body, tags=set())).strip()


def _tags(raw: str) -> tuple[str, ...]:
    # "<a><b>" in older dumps, "|a|b|" in newer ones.
    return tuple(t for t in raw.replace("<", "|").replace(">", "|").split("|") if t)


def read_dump(folder: Path) -> Dump:
    """Read the files the folder has; a missing file is an empty table."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    if _open(folder, "Posts.xml") is None:
        raise FileNotFoundError(f"{folder} has no Posts.xml (or Posts.xml.gz)")
    dump = Dump()
    for row in _rows(folder, "Posts.xml"):
        kind = row.get("PostTypeId")
        if kind == "1":
            dump.questions[row["Id"]] = Question(
                id=row["Id"],
                title=row.get("Title", ""),
                body=plain(row.get("Body", "")),
                tags=_tags(row.get("Tags", "")),
                at=_when(row["CreationDate"]),
                owner=row.get("OwnerUserId"),
                accepted_answer=row.get("AcceptedAnswerId"),
            )
        elif kind == "2" and row.get("ParentId"):
            dump.answers[row["Id"]] = Answer(
                id=row["Id"],
                question=row["ParentId"],
                body=plain(row.get("Body", "")),
                at=_when(row["CreationDate"]),
                owner=row.get("OwnerUserId"),
            )
    for row in _rows(folder, "Comments.xml"):
        dump.comments.append(Comment(row["PostId"], row.get("UserId"), _when(row["CreationDate"])))
    for row in _rows(folder, "Votes.xml"):
        if row.get("VoteTypeId") == UPVOTE:
            dump.votes[row["PostId"]] += 1
        elif row.get("VoteTypeId") == DOWNVOTE:
            dump.votes[row["PostId"]] -= 1
    dump.users = {row["Id"] for row in _rows(folder, "Users.xml")}
    return dump


def split_dump(
    source: Path,
    train: Path,
    test: Path,
    *,
    share: float = 0.2,
    seed: int = 0,
    after: float | None = None,
) -> None:
    """Hold out a share of questions, with their answers, comments, votes and links (for
    developing on a part of a dump: the held-out folder gets no Users, Tags or Badges).

    By default the questions are drawn at random (`seed`). With `after` (a share, 0 to 1), the
    split follows time: train keeps the questions asked before that share of them, test the
    next `share`, and later questions go nowhere (a forward split: nothing from the future).
    """
    rows = [row for row in _rows(source, "Posts.xml") if row.get("PostTypeId") == "1"]
    dropped: set[str] = set()
    if after is None:
        questions = sorted(row["Id"] for row in rows)
        random.Random(seed).shuffle(questions)
        held = set(questions[: round(share * len(questions))])
    else:
        questions = [row["Id"] for row in sorted(rows, key=lambda r: r["CreationDate"])]
        start = round(after * len(questions))
        end = start + round(share * len(questions))
        held, dropped = set(questions[start:end]), set(questions[end:])
    posts_held, posts_dropped = set(held), set(dropped)
    for row in _rows(source, "Posts.xml"):
        if row.get("ParentId") in held:
            posts_held.add(row["Id"])
        elif row.get("ParentId") in dropped:
            posts_dropped.add(row["Id"])
    for folder in (train, test):
        folder.mkdir(parents=True, exist_ok=True)
    keys = {
        "Posts.xml": "Id",
        "Comments.xml": "PostId",
        "Votes.xml": "PostId",
        "PostLinks.xml": "PostId",
    }
    for name in (
        "Posts.xml",
        "Comments.xml",
        "Votes.xml",
        "PostLinks.xml",
        "Users.xml",
        "Tags.xml",
    ):
        key = keys.get(name)
        root = name.removesuffix(".xml").lower()
        with (
            gzip.open(train / f"{name}.gz", "wt", encoding="utf-8") as kept,
            gzip.open(test / f"{name}.gz", "wt", encoding="utf-8") as out,
        ):
            for handle in (kept, out):
                handle.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n')
            for row in _rows(source, name):
                line = (
                    "  <row "
                    + " ".join(f"{k}={sax.quoteattr(v)}" for k, v in row.items())
                    + " />\n"
                )
                if key is None:
                    kept.write(line)
                elif row.get(key) in posts_dropped:
                    continue
                elif row.get(key) in posts_held:
                    out.write(line)
                else:
                    kept.write(line)
            for handle in (kept, out):
                handle.write(f"</{root}>\n")
