"""A root issue is about one product: the roll-up never puts complaints about different
products in one issue, and a reply that names no product is about its conversation's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, RootIssue
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.organizations.models import Product
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places

THERMOSTAT = [
    "My Lumen Thermostat wifi drops since the update. Furious, it is useless now.",
    "Lumen Thermostat loses wifi every night after the update, so annoying!",
    "Wifi drops on the Lumen Thermostat again after the update. Terrible, fix it.",
    "After the update my Lumen Thermostat is dead, the wifi drops every hour. Awful.",
]
# Replies in a thread about the hub: they say what happened, not to which product.
SAME_HERE = [
    "Same here, mine is dead since the update too. Terrible.",
    "Bricked here as well after the update. Worst update ever, furious.",
    "Same problem, dead after the update and the wifi drops. Awful.",
]


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()


def _thread(cast: Cast, places: Places, opening: str, replies: list[str]) -> list[Post]:
    when = timezone.now() - timedelta(days=3)
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Dead after the update",
        body_md=opening,
        kind=Thread.Kind.DISCUSSION,
        created_at=when,
    )
    return [thread.posts.get()] + [
        do_reply(cast.bob, thread, body_md=text, created_at=when + timedelta(minutes=i + 1))
        for i, text in enumerate(replies)
    ]


def _products_of(issue: RootIssue) -> set[str]:
    return set(
        Enrichment.objects.filter(root_issue=issue).values_list("products__slug", flat=True)
    ) - {None}


def test_replies_that_name_no_product_stay_out_of_another_products_issue(
    cast: Cast, places: Places
) -> None:
    Product.objects.create(
        organization=places.company, name="Lumen Thermostat", slug="lumen-thermostat"
    )
    _thread(cast, places, "Anyone else having problems lately?", THERMOSTAT)
    enrich_pending()
    roll_up()
    thermostat = RootIssue.objects.get()
    assert _products_of(thermostat) == {"lumen-thermostat"}

    hub = _thread(
        cast, places, "My Lumen Hub is dead after the firmware update. Furious!", SAME_HERE
    )
    enrich_pending()
    replies = Enrichment.objects.filter(post__in=hub[1:])
    assert not replies.filter(products__isnull=False).exists()  # they name no product
    assert replies.filter(sentiment="negative").count() == len(SAME_HERE)
    roll_up()
    assert not Enrichment.objects.filter(post__in=hub, root_issue=thermostat).exists()
    for issue in RootIssue.objects.all():
        assert len(_products_of(issue)) <= 1, issue.name
