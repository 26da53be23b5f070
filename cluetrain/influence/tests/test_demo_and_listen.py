"""End to end with the real listening models: new messages read by `listen` raise the alert."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from cluetrain.influence.demo import plant_complaint_cascade
from cluetrain.influence.models import Alert, Cascade
from cluetrain.influence.tests.helpers import customers, opening
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.tasks import listen
from cluetrain.threads.actions import do_reply
from conftest import Cast, Places


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()


def test_listen_tracks_the_cascade_and_alerts_right_after_reading(
    cast: Cast,
    places: Places,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.LISTENING_ENRICH = False  # call listen ourselves, once
    start = timezone.now() - timedelta(minutes=4)
    thread = opening(
        cast.alice,
        places.forum,
        "My Lumen Hub keeps dropping wifi after the update. Furious, nothing works!",
        at=start,
    )
    root = thread.posts.get()
    for i, member in enumerate(customers(7)):
        do_reply(
            member,
            thread,
            body_md="Same, awful.",
            parent=root,
            created_at=start + timedelta(minutes=0.4 * (i + 1)),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert listen.call() == 8
    cascade = Cascade.objects.get(thread=thread)
    assert cascade.is_negative
    assert cascade.size == 7
    assert Alert.objects.filter(cascade=cascade).count() == 1


def test_demo_plant_is_caught_on_first_start(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    customers(5)
    with django_capture_on_commit_callbacks(execute=True):
        thread, alert = plant_complaint_cascade()
    assert alert is not None
    assert alert.cascade.thread == thread
    assert alert.size_at_raise == 9
    assert alert.forecast_at_raise >= alert.threshold


def test_demo_plant_refuses_a_community_too_small(db: None) -> None:
    with pytest.raises(ValueError, match="needs 7 customers"):
        plant_complaint_cascade()
