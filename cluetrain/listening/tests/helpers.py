"""Complaints for the listening tests, and for other apps' tests that need root issues."""

from datetime import timedelta

from django.utils import timezone

from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


def complain(cast: Cast, places: Places, texts: list[str], *, days_ago: int = 10) -> list[Post]:
    when = timezone.now() - timedelta(days=days_ago)
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Problems",
        body_md="Anyone else having problems lately?",
        kind=Thread.Kind.DISCUSSION,
        created_at=when,
    )
    return [
        do_reply(cast.bob, thread, body_md=text, created_at=when + timedelta(minutes=i))
        for i, text in enumerate(texts)
    ]
