"""Spam that the filter holds, for the moderation tests and the API permission matrix."""

from typing import Any

from cluetrain.api.tests.conftest import World
from cluetrain.members.models import Member
from cluetrain.moderation.models import Screening
from cluetrain.threads.actions import check_reply
from cluetrain.threads.models import Thread

SPAM = (
    "BUY NOW cheap pills and casino bonus, click here: http://bit.ly/deal1 "
    "http://bit.ly/deal2 http://bit.ly/deal3 — work from home, call +1 555 123 4567"
)


def spammer(username: str = "fresh_spammer") -> Member:
    """A customer whose account was opened a moment ago."""
    return Member.objects.create_user(username=username, password="x", role="customer")


def held_reply(thread: Thread, author: Member | None = None) -> Screening:
    """A spam reply to `thread`, held by the filter; its Screening row."""
    post = check_reply(author or spammer(), thread, body_md=SPAM)
    return Screening.objects.get(post=post)


def held_spam(world: World, me: Member | None) -> dict[str, Any]:
    screening = held_reply(world.thread)
    assert screening.status == Screening.Status.HELD
    return {"screening_id": screening.pk}
