"""What happens to ideas, for the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class IdeaCreated(Event):
    idea_id: int
    thread_id: int
    author_id: int


@dataclass(frozen=True, slots=True)
class IdeaVoted(Event):
    """A vote cast (`voted`) or withdrawn."""

    idea_id: int
    member_id: int
    voted: bool


@dataclass(frozen=True, slots=True)
class IdeaStatusChanged(Event):
    change_id: int
    idea_id: int
    from_status: str
    to_status: str
    changed_by_id: int | None


@dataclass(frozen=True, slots=True)
class IdeaMerged(Event):
    """Staff merged a duplicate (`idea_id`) into the idea that survives (`into_id`)."""

    idea_id: int
    into_id: int
    merged_by_id: int | None
    votes_moved: int
    followers_moved: int
