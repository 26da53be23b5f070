"""Small synthetic communities for the influence app's tests, written through the real actions."""

from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from cluetrain.listening.models import Enrichment, LearnedTopic
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Post, Thread
from conftest import PASSWORD, make_member


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def customers(count: int, prefix: str = "cust") -> list[Member]:
    return [make_member(f"{prefix}{i}", Member.Role.CUSTOMER) for i in range(count)]


def topic(label: str) -> LearnedTopic:
    return LearnedTopic.objects.create(label=label, model_topic_id=0, model_version="test")


def read_as(post: Post, score: float, topic: LearnedTopic | None = None) -> Enrichment:
    """What listening would store: a sentiment score in [-1, 1] and a topic."""
    sentiment = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
    return Enrichment.objects.create(
        post=post,
        model_version="test",
        created_at=post.created_at,
        sentiment=sentiment,
        sentiment_score=score,
        emotion="anger" if score < 0 else "joy",
        topic=topic,
        enriched_at=timezone.now(),
    )


def opening(author: Member, space: Space, body: str, *, at: datetime | None = None) -> Thread:
    return do_create_thread(
        author, space, title=body[:40], body_md=body, kind=Thread.Kind.DISCUSSION, created_at=at
    )


def burst(
    thread: Thread, repliers: list[Member], *, start: datetime, every_minutes: float = 0.5
) -> list[Post]:
    """One reply each, `every_minutes` apart, all to the opening post."""
    root = thread.posts.get(parent__isnull=True)
    return [
        do_reply(
            member,
            thread,
            body_md=f"Same here ({i}).",
            parent=root,
            created_at=start + timedelta(minutes=every_minutes * (i + 1)),
        )
        for i, member in enumerate(repliers)
    ]
