"""The event registry: when handlers run, and which apps listen to what."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from pytest_django import DjangoCaptureOnCommitCallbacks

from cluetrain.core.events import Event, Phase, handlers_for, publish, subscribe, unsubscribe
from cluetrain.ideas.events import IdeaStatusChanged
from cluetrain.influence.events import AlertRaised
from cluetrain.listening.events import MessagesRead
from cluetrain.members.events import ConnectionMade, MemberJoined, ProfileEdited
from cluetrain.moderation.events import PostHiddenChanged, ThreadHiddenChanged, ThreadMoved
from cluetrain.reviews.events import ReviewPosted
from cluetrain.threads.events import PostCreated, PostDeleted, PostEdited, ReactionToggled
from cluetrain.topics.models import Topic


@dataclass(frozen=True, slots=True)
class Pinged(Event):
    n: int


@dataclass(frozen=True, slots=True)
class LoudPinged(Pinged):
    pass


@pytest.fixture
def heard() -> Iterator[list[tuple[str, int]]]:
    calls: list[tuple[str, int]] = []

    def now(event: Pinged) -> None:
        calls.append(("now", event.n))
        Topic.objects.create(slug=f"now-{event.n}", name="written in the transaction")

    def later(event: Pinged) -> None:
        calls.append(("later", event.n))

    subscribe(Pinged, now, phase=Phase.IN_TRANSACTION)
    subscribe(Pinged, later)
    subscribe(Pinged, later)  # twice: still called once
    yield calls
    unsubscribe(Pinged, now)
    unsubscribe(Pinged, later)


@pytest.mark.django_db
def test_in_transaction_handlers_run_at_once_and_the_others_after_commit(
    heard: list[tuple[str, int]], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish(Pinged(1))
            assert heard == [("now", 1)]
        assert heard == [("now", 1)]  # committed only when the outer block ends
    assert heard == [("now", 1), ("later", 1)]


@pytest.mark.django_db
def test_a_rolled_back_event_reaches_nobody_after_commit(
    heard: list[tuple[str, int]], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    def refused_change() -> None:
        with transaction.atomic():
            publish(Pinged(2))
            raise RuntimeError("refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        refused_change()
    assert heard == [("now", 2)]
    assert not Topic.objects.filter(slug="now-2").exists()  # rolled back with the change


@pytest.mark.django_db
def test_handlers_of_a_base_event_hear_its_subclasses(
    heard: list[tuple[str, int]], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(LoudPinged(3))
    assert heard == [("now", 3), ("later", 3)]


def _listeners(event_type: type[Event]) -> set[tuple[str, Phase]]:
    return {(handler.__module__, phase) for handler, phase in handlers_for(event_type)}


NOW, AFTER = Phase.IN_TRANSACTION, Phase.AFTER_COMMIT


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        (
            PostCreated,
            {
                ("cluetrain.search.indexing", NOW),
                ("cluetrain.notifications.tasks", AFTER),
                ("cluetrain.webhooks.events", AFTER),
                ("cluetrain.listening.tasks", AFTER),
            },
        ),
        (
            PostEdited,
            {
                ("cluetrain.search.indexing", NOW),
                ("cluetrain.moderation.actions", NOW),
                ("cluetrain.listening.tasks", AFTER),
            },
        ),
        (PostDeleted, {("cluetrain.search.indexing", NOW), ("cluetrain.moderation.actions", NOW)}),
        (PostHiddenChanged, {("cluetrain.search.indexing", NOW)}),
        (ThreadHiddenChanged, {("cluetrain.search.indexing", NOW)}),
        (ThreadMoved, {("cluetrain.search.indexing", NOW)}),
        (ReactionToggled, {("cluetrain.reviews.actions", NOW)}),
        (ReviewPosted, {("cluetrain.webhooks.events", AFTER)}),
        (
            IdeaStatusChanged,
            {("cluetrain.notifications.tasks", AFTER), ("cluetrain.webhooks.events", AFTER)},
        ),
        (MemberJoined, {("cluetrain.search.indexing", NOW), ("cluetrain.webhooks.events", AFTER)}),
        (ProfileEdited, {("cluetrain.search.indexing", NOW)}),
        (ConnectionMade, {("cluetrain.notifications.tasks", AFTER)}),
        (MessagesRead, {("cluetrain.influence.alerts", AFTER)}),
        (
            AlertRaised,
            {("cluetrain.webhooks.events", AFTER), ("cluetrain.influence.tasks", AFTER)},
        ),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_the_reacting_apps_subscribe_when_configured(
    event_type: type[Event], expected: set[tuple[str, Phase]]
) -> None:
    # Other apps (relationships, reputation...) may listen too: these must be among them.
    assert expected <= _listeners(event_type)
