"""What happens to reviews, for the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class ReviewPosted(Event):
    review_id: int
    thread_id: int
    author_id: int
    product_id: int | None
    stars: int
