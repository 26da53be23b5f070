"""Jams end to end on the real pages, actions, guard and theme tasks (immediate backend)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.core.errors import ActionError
from cluetrain.ideas.actions import do_create_idea
from cluetrain.ideas.models import Idea
from cluetrain.jams.actions import (
    check_merge_themes,
    check_rename_theme,
    check_split_theme,
    do_create_jam,
)
from cluetrain.jams.clustering import MIN_POSTS, do_recluster
from cluetrain.jams.lifecycle import do_announce_jam
from cluetrain.jams.models import Highlight, Jam, Theme, ThemeAssignment
from cluetrain.jams.report import report
from cluetrain.jams.tests.conftest import TOPICS
from cluetrain.threads.actions import check_reply
from cluetrain.threads.models import Post, Thread
from cluetrain.webhooks.models import WebhookEndpoint
from cluetrain.webhooks.tests.receiver import receiver
from conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db(transaction=True)


def _client(who: object) -> Client:
    client = Client()
    client.force_login(who)  # type: ignore[arg-type]
    return client


def _fill(jam: Jam, cast: Cast) -> None:
    for topic, words in TOPICS.items():
        for n, title in enumerate(words):
            author = cast.alice if n % 2 else cast.bob
            body = f"{title}. The {topic} matter most: better {topic} for everyone."
            do_create_idea(author, jam.space, title=title, body_md=body)


def test_staff_create_a_jam_others_cannot(cast: Cast) -> None:
    form = {
        "title": "Future of light",
        "question": "How should lighting work?",
        "starts_at": "2030-01-01T09:00",
        "ends_at": "2030-01-04T09:00",
        "audience": "members",
        "hosts": "sam",
        "moderators": "maya",
        "invited": "",
    }
    assert _client(cast.alice).post("/jams/new/", form).status_code == 404
    assert not Jam.objects.exists()
    bad = _client(cast.sam).post("/jams/new/", form | {"ends_at": "2029-12-31T09:00"})
    assert bad.status_code == 400
    assert "must end after it starts" in bad.content.decode()
    unknown = _client(cast.sam).post("/jams/new/", form | {"hosts": "nobody"})
    assert unknown.status_code == 400
    assert "No such member: nobody" in unknown.content.decode()
    response = _client(cast.sam).post("/jams/new/", form)
    jam = Jam.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jams/{jam.slug}/"
    assert jam.space.kind == "ideas"
    assert list(jam.moderators.all()) == [cast.maya]


def test_posting_outside_the_window_or_audience_is_refused_everywhere(cast: Cast) -> None:
    now = timezone.now()
    ended = do_create_jam(
        cast.sam,
        title="Old jam",
        question="Q?",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
        hosts=[cast.sam],
    )
    response = _client(cast.alice).post(f"/jams/{ended.slug}/", {"title": "Late", "body": "x"})
    assert response.status_code == 403
    assert "closed for posting" in response.content.decode()
    # The generic ideas API posts into the space: the guard refuses it too.
    from cluetrain.api.tokens import do_create_token

    _, raw = do_create_token(cast.alice, name="t", scope="write")
    api = Client().post(
        "/api/ideas",
        {"space": ended.slug, "title": "Late", "body": "x"},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert api.status_code == 403
    assert "closed for posting" in api.content.decode()
    assert not Thread.objects.filter(space=ended.space).exists()

    staff_only = do_create_jam(
        cast.sam,
        title="Staff jam",
        question="Q?",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        audience="members",
        hosts=[cast.sam],
    )
    refused = _client(cast.pat).post(f"/jams/{staff_only.slug}/", {"title": "Hi", "body": "x"})
    assert refused.status_code == 403
    assert "open to members and staff" in refused.content.decode()
    assert (
        _client(cast.alice)
        .post(f"/jams/{staff_only.slug}/", {"title": "Hi", "body": "x"})
        .status_code
        == 302
    )


def test_replies_after_the_end_are_refused(cast: Cast, live_jam: Jam) -> None:
    idea = do_create_idea(cast.alice, live_jam.space, title="Hello", body_md="First")
    Jam.objects.filter(pk=live_jam.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ActionError, match="closed for posting"):
        check_reply(cast.bob, Thread.objects.get(pk=idea.thread_id), body_md="Late reply")
    assert Post.objects.filter(thread_id=idea.thread_id).count() == 1


def test_new_posts_find_their_theme(cast: Cast, live_jam: Jam) -> None:
    _fill(live_jam, cast)
    assert Post.objects.filter(thread__space=live_jam.space).count() >= MIN_POSTS
    # Every post is themed (the first clustering ran at MIN_POSTS, the rest one by one).
    assigned = ThemeAssignment.objects.filter(jam=live_jam)
    assert assigned.count() == 10
    themes = {t.pk: t for t in Theme.objects.filter(jam=live_jam)}
    battery = {a.theme_id for a in assigned if "battery" in a.post.body_md}
    lights = {a.theme_id for a in assigned if "lights" in a.post.body_md}
    assert battery.isdisjoint(lights)
    labels = " ".join(t.label.lower() for t in themes.values())
    assert "battery" in labels or "sensor" in labels
    idea = do_create_idea(cast.alice, live_jam.space, title="Battery", body_md="A battery warning")
    post = idea.thread.posts.get()
    assert ThemeAssignment.objects.get(post=post).theme_id in battery
    page = Client().get(f"/jams/{live_jam.slug}/").content.decode()
    assert "Emerging themes" in page
    assert next(iter(themes.values())).label in page


def test_moderators_rename_merge_split_and_reclustering_respects_it(
    cast: Cast, live_jam: Jam
) -> None:
    _fill(live_jam, cast)
    do_recluster(live_jam.pk)
    first, second = Theme.objects.filter(jam=live_jam, size__gt=0).order_by("pk")[:2]
    with pytest.raises(ActionError):
        check_rename_theme(cast.alice, first, "Mine")
    check_rename_theme(cast.maya, first, "Power and batteries")
    do_recluster(live_jam.pk)
    first.refresh_from_db()
    assert first.label == "Power and batteries"

    members = list(ThemeAssignment.objects.filter(theme=first).values_list("post_id", flat=True))
    split = check_split_theme(cast.maya, first, members[:1], "One alone")
    do_recluster(live_jam.pk)
    assert list(ThemeAssignment.objects.filter(theme=split).values_list("post_id", flat=True)) == [
        members[0]
    ]

    merged_posts = set(
        ThemeAssignment.objects.filter(theme=second).values_list("post_id", flat=True)
    )
    into = check_merge_themes(cast.sam, second, first)  # sam hosts the jam
    do_recluster(live_jam.pk)
    second.refresh_from_db()
    assert second.merged_into_id == into.pk
    now_in_first = set(
        ThemeAssignment.objects.filter(theme=first).values_list("post_id", flat=True)
    )
    assert merged_posts <= now_in_first
    response = _client(cast.maya).post(
        f"/jams/{live_jam.slug}/themes/{first.pk}/", {"action": "merge", "into": first.pk}
    )
    assert response.status_code == 400
    assert "Choose another theme" in response.content.decode()


def test_the_report_after_the_end(cast: Cast, live_jam: Jam) -> None:
    _fill(live_jam, cast)
    idea = Idea.objects.filter(thread__space=live_jam.space).first()
    assert idea is not None
    Idea.objects.filter(pk=idea.pk).update(status="planned")
    post = idea.thread.posts.get()
    assert (
        _client(cast.alice)
        .post(f"/jams/{live_jam.slug}/highlight/", {"post": post.pk, "note": "Nice"})
        .status_code
        == 403
    )
    assert (
        _client(cast.sam)
        .post(f"/jams/{live_jam.slug}/highlight/", {"post": post.pk, "note": "Nice"})
        .status_code
        == 302
    )
    assert Highlight.objects.filter(jam=live_jam).count() == 1
    Jam.objects.filter(pk=live_jam.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    page = Client().get(f"/jams/{live_jam.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    for shown in ("Report", "10 posts", "<svg"):
        assert shown in html
    assert "Ideas taken forward" in html
    assert idea.thread.title in html
    assert "Alice Archer" in html
    assert "Top contributors" in html
    assert "Add your idea" not in html
    # The chart's figures are also text, for a screen reader and a keyboard.
    bars = report(Jam.objects.get(pk=live_jam.pk))["chart"]["bars"]
    assert bars
    for bar in bars:
        assert f"<li>{bar['title']}</li>" in html


def test_a_staff_jam_is_hidden_from_customers(cast: Cast) -> None:
    now = timezone.now()
    jam = do_create_jam(
        cast.sam,
        title="Inside",
        question="Q?",
        starts_at=now,
        ends_at=now + timedelta(days=1),
        audience="staff",
        hosts=[cast.sam],
    )
    assert _client(cast.alice).get(f"/jams/{jam.slug}/").status_code == 404
    assert _client(cast.sam).get(f"/jams/{jam.slug}/").status_code == 200
    assert "Inside" not in _client(cast.alice).get("/jams/").content.decode()
    assert PASSWORD


def test_theme_changes_reach_a_webhook_receiver(
    cast: Cast, live_jam: Jam, settings: Settings
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    _fill(live_jam, cast)
    first, second = Theme.objects.filter(jam=live_jam, size__gt=0).order_by("pk")[:2]
    with receiver() as hook:
        endpoint = WebhookEndpoint.objects.create(
            url=hook.url, events=["theme.changed"], created_at=timezone.now()
        )
        hook.secret = endpoint.secret
        check_rename_theme(cast.maya, first, "Power")
        check_merge_themes(cast.maya, second, first)
    bodies = [json.loads(r.body) for r in hook.requests]
    assert all(r.verified for r in hook.requests)
    assert [b["data"]["theme"]["change"] for b in bodies] == ["renamed", "merged"]
    assert bodies[0]["data"]["theme"]["label"] == "Power"
    assert bodies[1]["data"]["theme"]["into_id"] == first.pk
    assert bodies[0]["data"]["theme"]["jam"]["slug"] == live_jam.slug


def test_jam_start_and_end_are_announced_once(cast: Cast, settings: Settings) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    now = timezone.now()
    with receiver() as hook:
        endpoint = WebhookEndpoint.objects.create(
            url=hook.url, events=["jam.started", "jam.ended"], created_at=now
        )
        hook.secret = endpoint.secret
        ended = do_create_jam(
            cast.sam,
            title="Last week",
            question="Q?",
            starts_at=now - timedelta(days=8),
            ends_at=now - timedelta(days=7),
            hosts=[cast.sam],
        )
        later = do_create_jam(
            cast.sam,
            title="Next week",
            question="Q?",
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=8),
            hosts=[cast.sam],
        )
        assert do_announce_jam(ended.pk) == []  # already announced, once
        assert do_announce_jam(later.pk) == []  # not due
    bodies = [json.loads(r.body) for r in hook.requests]
    assert sorted(b["event"] for b in bodies) == ["jam.ended", "jam.started"]
    assert {b["data"]["jam"]["slug"] for b in bodies} == {ended.slug}
