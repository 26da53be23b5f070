"""The post a jam's own page or API is writing right now, already allowed by `refusal`: the
guard (guard.py) then asks no second time and looks nothing up. A context variable, so it
holds for this request's posting only."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: (member id, jam id) while the jam's page or API posts what it has just allowed.
allowed_post: ContextVar[tuple[int, int] | None] = ContextVar("jam_allowed_post", default=None)


@contextmanager
def posting_allowed(member_id: int, jam_id: int) -> Iterator[None]:
    token = allowed_post.set((member_id, jam_id))
    try:
        yield
    finally:
        allowed_post.reset(token)
