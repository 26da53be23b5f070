"""The blogs' domain event: a post went public (at once, or at its scheduled time)."""

from dataclasses import dataclass
from datetime import datetime

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class BlogPostPublished(Event):
    blog_post_id: int
    blog_id: int
    thread_id: int
    author_id: int


@dataclass(frozen=True, slots=True)
class BlogPostScheduled(Event):
    """A post was scheduled (or moved) to go out at `publish_at`."""

    blog_post_id: int
    publish_at: datetime
