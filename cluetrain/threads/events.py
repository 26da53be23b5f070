"""What happens to threads and posts, for the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class PostCreated(Event):
    """A new message: a thread's opening post (`parent_id` None) or a reply."""

    post_id: int
    thread_id: int
    author_id: int | None
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class PostEdited(Event):
    """A post's words (or its thread's title) changed; `text_changed` says whether they did.

    `editor_id` differs from `author_id` when a moderator edited someone else's post.
    """

    post_id: int
    thread_id: int
    editor_id: int
    text_changed: bool
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class PostDeleted(Event):
    """A post soft-deleted by its author, or by a moderator (`deleted_by_id` differs)."""

    post_id: int
    thread_id: int
    deleted_by_id: int
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerAccepted(Event):
    """A question's accepted answer changed; `post_id` None when it was un-accepted."""

    thread_id: int
    post_id: int | None
    accepted_by_id: int | None


@dataclass(frozen=True, slots=True)
class ReactionToggled(Event):
    """A like or helpful mark put on (`added`) or taken off a post."""

    post_id: int
    member_id: int
    kind: str
    added: bool
