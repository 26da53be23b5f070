"""Root issues are named as a person would name them and hold negative experiences only: a
me-too reply joins what its conversation reported, and a happy message is no complaint."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, RootIssue
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import complaints, roll_up
from cluetrain.organizations.models import Product
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Thread
from conftest import Cast, Places

ME_TOO = ["Happens to me too, really annoying."] * 3


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()


def test_me_too_replies_join_their_conversation_s_issue_and_never_name_it(
    cast: Cast, places: Places
) -> None:
    """On the demo, 15 such replies made "Lumen App: Happens to me too, really annoying"."""
    Product.objects.create(organization=places.company, name="Lumen App", slug="lumen-app")
    when = timezone.now() - timedelta(days=3)
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Logged out again",
        body_md="The Lumen App keeps logging me out every single day. Furious!",
        kind=Thread.Kind.DISCUSSION,
        created_at=when,
    )
    replies = [
        do_reply(cast.bob, thread, body_md=text, created_at=when + timedelta(minutes=i + 1))
        for i, text in enumerate(ME_TOO)
    ]
    enrich_pending()
    opening = Enrichment.objects.get(post=thread.posts.get(parent=None))
    assert opening.event == "app logs out"
    assert not Enrichment.objects.filter(post__in=replies, event="app logs out").exists()
    roll_up()
    issue = RootIssue.objects.get()
    assert issue.name == "Lumen App: app logs out"
    assert Enrichment.objects.filter(root_issue=issue).count() == 1 + len(ME_TOO)


def test_a_happy_message_with_no_problem_named_is_no_complaint(cast: Cast, places: Places) -> None:
    """ "Caught a parcel thief on the doorbell cam, video was crystal clear": negative words
    (sentiment), joy (emotion), and only the reader's fallback event "package problem"."""
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Doorbell cam",
        body_md="Caught a parcel thief on the doorbell cam, video was crystal clear.",
        kind=Thread.Kind.DISCUSSION,
    )
    enrich_pending()
    happy = Enrichment.objects.filter(post__thread=thread)
    happy.update(sentiment="negative", intent="complain", emotion="joy", event="package problem")
    assert not complaints().filter(post__thread=thread).exists()
    happy.update(emotion="anger")  # the same words in anger are a complaint
    assert complaints().filter(post__thread=thread).exists()
    happy.update(emotion="joy", event="package stolen")  # a problem named: a complaint
    assert complaints().filter(post__thread=thread).exists()
