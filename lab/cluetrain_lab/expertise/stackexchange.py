"""A Stack Exchange data dump (Posts, Comments, Votes, Users, Tags .xml, possibly gzipped).

Only what expert finding needs is kept. Reputation, scores and counts are never taken from the
dump's own totals: votes are counted from Votes.xml of the same folder.
"""

import gzip
import html
import random
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.sax import saxutils as sax

import nh3
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

from cluetrain_lab.files import open_bytes

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


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    """The rows of ``folder/name`` (gzipped or not, whatever the name says); none when the
    folder lacks the file. A file that is not well-formed XML is a ``ValueError`` naming it."""
    path = _find(folder, name)
    if path is None:
        return
    with open_bytes(path) as handle:
        try:
            for _, element in iterparse(handle):
                if element.tag == "row":
                    yield dict(element.attrib)
                element.clear()
        except ParseError as error:
            raise ValueError(f"{path}: not well-formed XML ({error})") from None
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise ValueError(f"{path}: damaged gzip file ({error})") from None


def _each(folder: Path, name: str, read: Callable[[dict[str, str]], object]) -> None:
    """``read`` every row of ``folder/name``; a row without an attribute ``read`` needs, or with
    a value it cannot take, is a ``ValueError`` naming the file and the row."""
    for row in _rows(folder, name):
        try:
            read(row)
        except KeyError as error:
            raise ValueError(
                f"{_find(folder, name)}: the row with Id {row.get('Id', '?')} lacks the "
                f"{error.args[0]} attribute"
            ) from None
        except ValueError as error:
            raise ValueError(
                f"{_find(folder, name)}: the row with Id {row.get('Id', '?')}: {error}"
            ) from None


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
    if _find(folder, "Posts.xml") is None:
        raise FileNotFoundError(f"{folder} has no Posts.xml (or Posts.xml.gz)")
    dump = Dump()
    _each(folder, "Posts.xml", lambda row: _read_post(dump, row))
    _each(
        folder,
        "Comments.xml",
        lambda row: dump.comments.append(
            Comment(row["PostId"], row.get("UserId"), _when(row["CreationDate"]))
        ),
    )
    _each(folder, "Votes.xml", lambda row: _count_vote(dump, row))
    _each(folder, "Users.xml", lambda row: dump.users.add(row["Id"]))
    return dump


def _read_post(dump: Dump, row: dict[str, str]) -> None:
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


def _count_vote(dump: Dump, row: dict[str, str]) -> None:
    if row.get("VoteTypeId") == UPVOTE:
        dump.votes[row["PostId"]] += 1
    elif row.get("VoteTypeId") == DOWNVOTE:
        dump.votes[row["PostId"]] -= 1


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
