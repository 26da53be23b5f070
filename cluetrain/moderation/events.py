"""What moderators do that other apps react to (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class PostHiddenChanged(Event):
    """A moderator hid a post (`hidden`) or showed it again; `moderator_id` None: the spam
    filter held it for moderation."""

    post_id: int
    thread_id: int
    hidden: bool
    moderator_id: int | None


@dataclass(frozen=True, slots=True)
class ThreadHiddenChanged(Event):
    thread_id: int
    hidden: bool
    moderator_id: int | None


@dataclass(frozen=True, slots=True)
class ThreadMoved(Event):
    thread_id: int
    from_space_id: int
    to_space_id: int
    moderator_id: int


@dataclass(frozen=True, slots=True)
class ContributionHeld(Event):
    """The spam filter held a contribution for moderation (a `Screening` row)."""

    screening_id: int
    kind: str
    author_id: int
    post_id: int | None


@dataclass(frozen=True, slots=True)
class ContributionDecided(Event):
    """A moderator approved (`approved`) or rejected a held contribution."""

    screening_id: int
    approved: bool
    moderator_id: int
