"""What moderators do that other apps react to (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class PostHiddenChanged(Event):
    """A moderator hid a post (`hidden`) or showed it again."""

    post_id: int
    thread_id: int
    hidden: bool
    moderator_id: int


@dataclass(frozen=True, slots=True)
class ThreadHiddenChanged(Event):
    thread_id: int
    hidden: bool
    moderator_id: int


@dataclass(frozen=True, slots=True)
class ThreadMoved(Event):
    thread_id: int
    from_space_id: int
    to_space_id: int
    moderator_id: int
