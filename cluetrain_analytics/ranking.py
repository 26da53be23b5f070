"""Ranking of discussions by "hotness": recent activity that people respond to.

Framework-free: plain numbers in, plain floats out. The platform gathers the counts.
"""

from collections.abc import Hashable, Iterable
from typing import TypeVar

__all__ = ["DEFAULT_GRAVITY", "DEFAULT_OFFSET_HOURS", "hot_points", "hot_score", "rank_hot"]

K = TypeVar("K", bound=Hashable)

#: How fast age wins over points; Hacker News uses 1.8.
DEFAULT_GRAVITY = 1.8
#: Hours added to every age, so a brand-new item does not divide by (nearly) zero.
DEFAULT_OFFSET_HOURS = 2.0


def hot_points(*, replies: int = 0, reactions: int = 0, votes: int = 0) -> int:
    """The points a discussion has earned: every reply, reaction and vote counts once.

    Parameters
    ----------
    replies, reactions, votes : int
        Counts, never negative.

    Returns
    -------
    int
        Their sum.

    Raises
    ------
    ValueError
        If a count is negative.

    Examples
    --------
    >>> hot_points(replies=3, reactions=2, votes=5)
    10
    """
    if replies < 0 or reactions < 0 or votes < 0:
        raise ValueError("replies, reactions and votes must not be negative")
    return replies + reactions + votes


def hot_score(
    points: float,
    age_hours: float,
    *,
    gravity: float = DEFAULT_GRAVITY,
    offset_hours: float = DEFAULT_OFFSET_HOURS,
) -> float:
    """A Hacker-News-style hotness score: ``(points + 1) / (age_hours + offset_hours) ** gravity``.

    The ``+ 1`` gives an item with no points yet a score, so new items still rank by age
    among themselves. Points decay polynomially with age: with the default gravity, an item
    needs about 3.5 times the points to keep its place after its age doubles.

    Parameters
    ----------
    points : float
        What the item earned (see :func:`hot_points`); negatives count as zero.
    age_hours : float
        Hours since the item's last activity or creation; negatives (clock skew) count as zero.
    gravity : float, optional
        Exponent of the age penalty, greater than zero.
    offset_hours : float, optional
        Added to the age, greater than zero.

    Returns
    -------
    float
        The score; higher is hotter.

    Raises
    ------
    ValueError
        If ``gravity`` or ``offset_hours`` is not greater than zero.

    Examples
    --------
    >>> round(hot_score(0, 0), 3)
    0.287
    >>> hot_score(10, 2) > hot_score(10, 20)
    True
    """
    if gravity <= 0:
        raise ValueError(f"gravity must be greater than zero, not {gravity!r}")
    if offset_hours <= 0:
        raise ValueError(f"offset_hours must be greater than zero, not {offset_hours!r}")
    points = max(float(points), 0.0)
    age_hours = max(float(age_hours), 0.0)
    score: float = (points + 1.0) / (age_hours + offset_hours) ** gravity
    return score


def rank_hot(
    items: Iterable[tuple[K, float, float]],
    *,
    gravity: float = DEFAULT_GRAVITY,
    offset_hours: float = DEFAULT_OFFSET_HOURS,
) -> list[K]:
    """Order keys hottest first from ``(key, points, age_hours)`` triples.

    Ties keep the input order, so callers can pass items newest first.

    Examples
    --------
    >>> rank_hot([("old", 50, 48), ("new", 2, 1), ("fresh", 0, 0)])
    ['new', 'fresh', 'old']
    """
    scored = [
        (hot_score(points, age, gravity=gravity, offset_hours=offset_hours), index, key)
        for index, (key, points, age) in enumerate(items)
    ]
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [key for _, _, key in scored]
