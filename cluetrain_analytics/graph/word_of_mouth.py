"""The 1 / 5 / 10 rule, measured rather than assumed.

The seed claim: a happy customer tells one person, an unhappy one tells five, and one whose
bad experience was put right tells ten. :func:`word_of_mouth` takes a timeline of messages
and classifies each author:

* **recovered**: posted a negative message, that message got a staff response, and the
  author later posted a positive one;
* **unhappy**: posted a negative message and is not recovered;
* **happy**: posted a positive message and never a negative one;
* the rest (only neutral messages) stay unclassified.

An author's reach is the number of distinct other people reached (replied to, reacted to,
mentioned) by the author's messages from the defining moment on: the first positive message
for the happy, the first negative one for the unhappy, the first positive message after the
staff-answered negative one for the recovered. Who was reached by a message, within what
window, is the caller's measurement (``TimelineMessage.reached``).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from statistics import mean, median

from cluetrain_analytics.graph.exceptions import GraphError

__all__ = ["GROUPS", "TimelineMessage", "classify_author", "word_of_mouth"]

GROUPS = ("happy", "unhappy", "recovered")


@dataclass(frozen=True, slots=True)
class TimelineMessage:
    """One message: who wrote it, when (unix seconds), its sentiment in [-1, 1], whether staff
    answered it, and the distinct people reached afterwards."""

    author: Hashable
    at: float
    sentiment: float
    staff_responded: bool = False
    reached: frozenset[Hashable] = field(default_factory=frozenset)


def classify_author(
    messages: list[TimelineMessage],
    *,
    negative_below: float = -0.05,
    positive_above: float = 0.05,
) -> tuple[str | None, int]:
    """The group of one author (or None) and the position in ``messages`` (sorted by time)
    from which their reach counts.

    Examples
    --------
    >>> timeline = [TimelineMessage("a", 1.0, -0.6, staff_responded=True),
    ...             TimelineMessage("a", 2.0, 0.0), TimelineMessage("a", 3.0, 0.7)]
    >>> classify_author(timeline)
    ('recovered', 2)
    """
    negatives = [i for i, m in enumerate(messages) if m.sentiment < negative_below]
    positives = [i for i, m in enumerate(messages) if m.sentiment > positive_above]
    if not negatives:
        return ("happy", positives[0]) if positives else (None, 0)
    for i in negatives:
        if messages[i].staff_responded:
            later = [p for p in positives if p > i]
            if later:
                return "recovered", later[0]
    return "unhappy", negatives[0]


def word_of_mouth(
    messages: Iterable[TimelineMessage],
    *,
    negative_below: float = -0.05,
    positive_above: float = 0.05,
) -> dict[str, dict[str, float | int | None]]:
    """Reach of happy, unhappy and recovered authors: counts, mean and median.

    Parameters
    ----------
    messages : iterable of TimelineMessage
        In any order.
    negative_below, positive_above : float
        Sentiment thresholds (VADER's compound-score convention by default).

    Returns
    -------
    dict
        For each of ``GROUPS``: ``{"authors", "mean_reach", "median_reach"}`` (None for an
        empty group), and ``"unclassified": {"authors"}``.

    Raises
    ------
    GraphError
        On a sentiment outside [-1, 1] or thresholds in the wrong order.

    Examples
    --------
    >>> timeline = [
    ...     TimelineMessage("happy", 1.0, 0.8, reached=frozenset({"x"})),
    ...     TimelineMessage("sad", 1.0, -0.7, reached=frozenset({"x", "y", "z"})),
    ...     TimelineMessage("fixed", 1.0, -0.5, staff_responded=True),
    ...     TimelineMessage("fixed", 5.0, 0.9, reached=frozenset("pqrst")),
    ... ]
    >>> result = word_of_mouth(timeline)
    >>> [result[g]["mean_reach"] for g in ("happy", "unhappy", "recovered")]
    [1.0, 3.0, 5.0]
    """
    if not negative_below <= positive_above:
        raise GraphError("negative_below must not be above positive_above")
    by_author: dict[Hashable, list[TimelineMessage]] = defaultdict(list)
    for message in messages:
        if not -1.0 <= message.sentiment <= 1.0:
            raise GraphError(f"sentiment must be in [-1, 1], not {message.sentiment}")
        by_author[message.author].append(message)
    reaches: dict[str, list[int]] = {group: [] for group in GROUPS}
    unclassified = 0
    for author, timeline in by_author.items():
        timeline.sort(key=lambda m: m.at)
        group, start = classify_author(
            timeline, negative_below=negative_below, positive_above=positive_above
        )
        if group is None:
            unclassified += 1
            continue
        reached: set[Hashable] = set()
        for message in timeline[start:]:
            reached |= message.reached
        reached.discard(author)
        reaches[group].append(len(reached))
    result: dict[str, dict[str, float | int | None]] = {
        group: {
            "authors": len(values),
            "mean_reach": float(mean(values)) if values else None,
            "median_reach": float(median(values)) if values else None,
        }
        for group, values in reaches.items()
    }
    result["unclassified"] = {"authors": unclassified}
    return result
