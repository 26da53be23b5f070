"""Cascades from reply trees, their forecasts, and the one alert a spreading complaint raises."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from cluetrain.influence import forecaster
from cluetrain.influence.alerts import do_raise_alerts, spread_policy
from cluetrain.influence.cascades import (
    forecast_final_size,
    rate_rule,
    reply_tree,
    threads_enriched_since,
    track_cascades,
)
from cluetrain.influence.models import Alert, Cascade, SpreadPolicy
from cluetrain.influence.tasks import send_alert_email
from cluetrain.influence.tests.helpers import burst, client_for, customers, opening, read_as
from cluetrain.threads.actions import do_reply
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from cluetrain_analytics.spread import Cascade as SpreadCascade
from cluetrain_analytics.spread import CascadeForecaster, observe
from conftest import Cast, Places


def _complaint(cast: Cast, places: Places, *, score: float, replies: int) -> Cascade:
    start = timezone.now() - timedelta(minutes=6)
    thread = opening(cast.alice, places.forum, "My hub is dead after the update.", at=start)
    read_as(thread.posts.get(), score)
    burst(thread, customers(replies), start=start)
    return track_cascades([thread.pk])[0]


def test_reply_tree_is_a_cascade_without_staff_answers(cast: Cast, places: Places) -> None:
    start = timezone.now() - timedelta(minutes=30)
    thread = opening(cast.alice, places.forum, "Anyone else?", at=start)
    root = thread.posts.get()
    first = do_reply(
        cast.bob, thread, body_md="Yes", parent=root, created_at=start + timedelta(minutes=2)
    )
    do_reply(
        cast.sam,
        thread,
        body_md="Looking into it",
        parent=root,
        created_at=start + timedelta(minutes=3),
    )
    do_reply(
        cast.pat, thread, body_md="Me too", parent=first, created_at=start + timedelta(minutes=10)
    )
    tree = reply_tree(thread)
    assert tree is not None
    spread = tree.as_cascade()
    assert spread.size == 2  # sam's staff answer is not spread
    assert [(s.parent, s.delay_min) for s in spread.shares] == [
        (str(root.pk), 2.0),
        (str(first.pk), 10.0),
    ]
    cascade = track_cascades([thread.pk])[0]
    assert (cascade.size, cascade.distinct_people) == (2, 2)
    assert cascade.forecast_method == "rate rule"
    assert cascade.forecast == pytest.approx(rate_rule(2, cascade.age_minutes))


def test_rate_rule_grows_with_speed_and_fades_with_age() -> None:
    assert rate_rule(0, 1.0) == 0.0
    assert rate_rule(8, 5.0) > rate_rule(8, 30.0) > rate_rule(8, 600.0) >= 8
    assert rate_rule(10, 10_000.0) == pytest.approx(10.0)


def test_a_trained_forecaster_is_used_once_the_cascade_is_old_enough() -> None:
    train = [
        SpreadCascade.from_shares("r", [("r", f"u{i}", float(i * step)) for i in range(size)])
        for size, step in [(40, 1), (80, 1), (60, 3), (120, 2), (30, 5), (90, 1)] * 5
    ]
    model = CascadeForecaster(observe_minutes=30, doubling_ks=(10,)).fit(train)
    # A steady cascade like the 120-share ones, seen at 10 and at 45 minutes.
    young = forecast_final_size(observe(train[3], 10), 10.0, forecaster=model)
    old_cascade = observe(train[3], 45)
    old = forecast_final_size(old_cascade, 45.0, forecaster=model)
    assert young[1] == "rate rule"
    assert old[1] == "forecaster"
    assert old[0] > rate_rule(old_cascade.size, 45.0)


def test_a_cascade_older_than_a_day_is_finished_and_raises_no_alert(
    cast: Cast, places: Places
) -> None:
    SpreadPolicy.objects.create(pk=1, alert_threshold=2)
    start = timezone.now() - timedelta(days=2)
    thread = opening(cast.alice, places.forum, "My hub is dead after the update.", at=start)
    read_as(thread.posts.get(), -0.9)
    burst(thread, customers(4), start=start)
    cascade = track_cascades([thread.pk])[0]
    assert (cascade.forecast_method, cascade.forecast) == ("finished", 4.0)
    assert do_raise_alerts([cascade]) == []


def test_the_community_forecaster_learns_from_finished_threads(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forecaster, "MIN_CASCADES", 6)
    people = customers(6)
    long_ago = timezone.now() - timedelta(days=30)
    for index in range(8):
        thread = opening(cast.alice, places.forum, f"Question {index}", at=long_ago)
        burst(thread, people[: index % 4], start=long_ago, every_minutes=3)
    fresh = opening(cast.alice, places.forum, "Still open", at=timezone.now())
    assert forecaster.community_forecaster() is None
    assert forecaster.refit_forecaster() == 8  # the fresh thread is not finished
    model = forecaster.community_forecaster()
    assert model is not None
    # Taught by threads of 0-3 replies, it forecasts a quiet thread as small, not hundreds.
    quiet = SpreadCascade.from_shares(str(fresh.pk), [])
    assert model.predict_final_size([quiet])[0] < 4


def test_too_few_finished_threads_teach_no_forecaster(cast: Cast, places: Places) -> None:
    long_ago = timezone.now() - timedelta(days=30)
    opening(cast.alice, places.forum, "Alone", at=long_ago)
    assert forecaster.refit_forecaster() == 0
    assert forecaster.community_forecaster() is None


def test_negative_burst_raises_one_alert_by_mail_and_webhook(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in", events=["alert.raised"], created_at=timezone.now()
    )
    cascade = _complaint(cast, places, score=-0.8, replies=8)
    assert cascade.is_negative
    assert cascade.forecast >= spread_policy().alert_threshold
    with django_capture_on_commit_callbacks(execute=True):
        raised = do_raise_alerts([cascade])
    assert len(raised) == 1
    alert = raised[0]
    assert (alert.size_at_raise, alert.threshold) == (8, 20)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.com",
        "maya@example.com",
        "sam@example.com",
    ]
    assert reverse("alert", args=[alert.pk]) in mail.outbox[0].body
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event == "alert.raised"
    assert delivery.payload["data"]["alert"]["thread"]["id"] == cascade.thread_id
    assert delivery.payload["data"]["alert"]["size"] == 8
    # Idempotent: later updates of the same cascade raise nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert do_raise_alerts(track_cascades([cascade.thread_id])) == []
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 3
    assert send_alert_email.call(alert.pk) == 0  # a rerun of the task sends nothing more
    assert len(mail.outbox) == 3


def test_positive_or_small_cascades_raise_nothing(cast: Cast, places: Places) -> None:
    happy = _complaint(cast, places, score=0.7, replies=8)
    assert do_raise_alerts([happy]) == []
    SpreadPolicy.objects.update_or_create(pk=1, defaults={"alert_threshold": 500})
    angry = Cascade.objects.get(pk=happy.pk)
    Cascade.objects.filter(pk=angry.pk).update(is_negative=True)
    angry.refresh_from_db()
    assert do_raise_alerts([angry]) == []  # forecast far below 500
    assert not Alert.objects.exists()


def test_threads_enriched_since_finds_only_new_reads(cast: Cast, places: Places) -> None:
    old = opening(cast.alice, places.forum, "Old")
    read_as(old.posts.get(), 0.0)
    moment = timezone.now()
    new = opening(cast.bob, places.forum, "New")
    read_as(new.posts.get(), 0.0)
    assert threads_enriched_since(moment) == [new.pk]


def test_alert_pages_show_the_cascade_and_staff_handle_it(cast: Cast, places: Places) -> None:
    cascade = _complaint(cast, places, score=-0.9, replies=6)
    alert = do_raise_alerts([cascade])[0]
    client = client_for("sam")
    listing = client.get(reverse("alerts")).content.decode()
    assert cascade.thread.title in listing
    page = client.get(reverse("alert", args=[alert.pk])).content.decode()
    assert "The people carrying it" in page
    assert "Cust0" in page
    assert "+0.5 min" in page
    response = client.post(reverse("alert_act", args=[alert.pk, "acknowledge"]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", cast.sam)
    again = client.post(reverse("alert_act", args=[alert.pk, "acknowledge"]))
    assert again.status_code == 409
    assert "already acknowledged" in again.content.decode()
    client.post(reverse("alert_act", args=[alert.pk, "resolve"]))
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert cascade.thread.title not in client.get(reverse("alerts")).content.decode()
    assert (
        cascade.thread.title in client.get(reverse("alerts") + "?status=resolved").content.decode()
    )
    assert client.get(reverse("alerts") + "?status=bogus").status_code == 400
    assert client.post(reverse("alert_act", args=[alert.pk, "explode"])).status_code == 404


def test_staff_change_the_threshold_and_bad_values_change_nothing(cast: Cast) -> None:
    client = client_for("maya")
    assert client.post(reverse("alert_settings"), {"threshold": "35"}).status_code == 302
    assert spread_policy().alert_threshold == 35
    for bad in ("", "ten", "0", "-4", "99999999"):
        response = client.post(reverse("alert_settings"), {"threshold": bad})
        assert response.status_code == 400
        assert "threshold must" in response.content.decode()
    assert spread_policy().alert_threshold == 35
    assert (
        client_for("alice").post(reverse("alert_settings"), {"threshold": "1"}).status_code == 403
    )
    assert spread_policy().alert_threshold == 35
