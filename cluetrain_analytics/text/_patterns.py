"""Fast word-initial alternations for the experience rules.

Python's ``re`` tries every branch of an alternation at every character, so a union of a few
dozen rules costs far more than its matches. Two remedies, both keeping the rules readable
(written as ordinary alternations whose branches start with ``\\b``):

- :func:`word_union`: one negative lookbehind in front of the whole union rejects the
  positions inside words at once (about 4x faster on tweets than a ``\\b`` per branch);
- :class:`FirstLetterUnion`: at each word start, only the branches that can begin with that
  word's first letter are tried (another 2-3x for a large union).
"""

import re
from collections.abc import Iterator, Sequence

__all__ = ["FirstLetterUnion", "split_alternatives", "word_union"]

_LEADING_BOUNDARY = re.compile(r"(?:(?<=^)|(?<=\|))\\b")
_WORD_START = re.compile(r"(?<![\w'])\w")


def word_union(bodies: Sequence[str], prefix: str = "g") -> re.Pattern[str]:
    """One pattern with a named group ``<prefix><index>`` per body, each matched at word starts.

    >>> pattern = word_union([r"\\bdrops?\\b|\\bdisconnects?\\b", r"\\blate\\b"], prefix="s")
    >>> [m.lastgroup for m in pattern.finditer("wifi drops, train late, islate")]
    ['s0', 's1']
    """
    groups = "|".join(
        f"(?P<{prefix}{index}>{_LEADING_BOUNDARY.sub('', body)})"
        for index, body in enumerate(bodies)
    )
    return re.compile(rf"(?<![\w'])(?:{groups})")


def split_alternatives(body: str) -> list[str]:
    """The top-level branches of a pattern (parentheses, classes and escapes respected).

    >>> split_alternatives(r"\\bno[- ]show\\b|\\b(?:didn't|never)\\s+(?:turn|show)\\s+up|a\\|b")
    ['\\\\bno[- ]show\\\\b', "\\\\b(?:didn't|never)\\\\s+(?:turn|show)\\\\s+up", 'a\\\\|b']
    """
    branches, depth, in_class, start, index = [], 0, False, 0, 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(body[start:index])
            start = index + 1
        index += 1
    branches.append(body[start:])
    return branches


class FirstLetterUnion:
    """A union of named rules that, at each word start, tries only the branches that can begin
    with that word's first letter. Finds what ``word_union(bodies).finditer`` finds.

    >>> union = FirstLetterUnion([r"\\bdrops?\\b|\\b\\d+ drops", r"\\blate\\b"], prefix="s")
    >>> [(name, start) for name, start, _ in union.finditer("wifi drops, 3 drops, late")]
    [('s0', 5), ('s0', 12), ('s1', 21)]
    """

    def __init__(self, bodies: Sequence[str], prefix: str = "g") -> None:
        by_letter: dict[str, list[tuple[int, str]]] = {}
        anywhere: list[tuple[int, str]] = []
        for index, body in enumerate(bodies):
            for branch in split_alternatives(body):
                branch = branch.removeprefix("\\b")
                if branch[:1].isalpha():
                    by_letter.setdefault(branch[0], []).append((index, branch))
                else:  # starts with a group, a class or an escape: try it at every word
                    anywhere.append((index, branch))
        self._prefix = prefix
        self._anywhere = self._compile(anywhere)
        self._by_letter = {
            letter: self._compile(branches + anywhere) for letter, branches in by_letter.items()
        }

    def _compile(self, branches: list[tuple[int, str]]) -> re.Pattern[str] | None:
        if not branches:
            return None
        grouped: dict[int, list[str]] = {}
        for index, branch in sorted(branches, key=lambda item: item[0]):
            grouped.setdefault(index, []).append(branch)
        union = "|".join(
            f"(?P<{self._prefix}{index}>{'|'.join(parts)})" for index, parts in grouped.items()
        )
        return re.compile(union)

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(group name, start, end) of each non-overlapping match, left to right."""
        resume = 0
        for word in _WORD_START.finditer(text):
            start = word.start()
            if start < resume:
                continue
            pattern = self._by_letter.get(text[start], self._anywhere)
            if pattern is None:
                continue
            match = pattern.match(text, start)
            if match is not None:
                resume = match.end()
                yield str(match.lastgroup), start, resume
