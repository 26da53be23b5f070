"""Feeds, the sitemap and robots.txt carry public content only, whoever asks."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from cluetrain.moderation.actions import check_moderate_post, check_moderate_thread
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Post, Thread
from conftest import PASSWORD, Cast, Places


@pytest.fixture
def world(cast: Cast, places: Places) -> dict[str, Thread]:
    public = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="**Why?**")
    check_reply(cast.sam, public, body_md="Try a restart.")
    secret_reply = check_reply(cast.sam, public, body_md="Internal: refund code X-42")
    check_moderate_post(cast.maya, secret_reply, hide=True)
    hidden = check_create_thread(cast.bob, places.forum, title="Spam spam", body_md="buy")
    check_moderate_thread(cast.maya, hidden, action="hide")
    staff = check_create_thread(cast.sam, places.staff_room, title="Pricing plan", body_md="x")
    partner = check_create_thread(cast.pat, places.partner_lounge, title="Margins", body_md="y")
    return {"public": public, "hidden": hidden, "staff": staff, "partner": partner}


def _staff_client() -> Client:
    client = Client()
    assert client.login(username="ada", password=PASSWORD)  # an admin sees everything
    return client


SECRETS = ("Spam spam", "Pricing plan", "Margins", "X-42")


@pytest.mark.parametrize("kind", ["", "atom/"])
def test_space_feed_lists_public_threads_only(
    places: Places, world: dict[str, Thread], kind: str
) -> None:
    for client in (Client(), _staff_client()):
        response = client.get(f"/s/{places.forum.slug}/feed/{kind}")
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert [entry.title for entry in parsed.entries] == ["Hub blinks"]
        assert "<strong>Why?</strong>" in parsed.entries[0].summary
        assert parsed.entries[0].link.endswith(reverse("thread", args=[world["public"].pk]))
        for secret in SECRETS:
            assert secret.encode() not in response.content


@pytest.mark.parametrize("space", ["staff_room", "partner_lounge"])
def test_private_space_feeds_are_404_even_for_staff(
    places: Places, world: dict[str, Thread], space: str
) -> None:
    slug = getattr(places, space).slug
    for url in (f"/s/{slug}/feed/", f"/s/{slug}/feed/atom/"):
        assert _staff_client().get(url).status_code == 404
        assert Client().get(url).status_code == 404


def test_thread_feed_has_visible_posts_and_private_threads_are_404(
    world: dict[str, Thread],
) -> None:
    response = Client().get(reverse("thread_feed", args=[world["public"].pk]))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert len(parsed.entries) == 2  # the question and the visible reply
    assert b"Try a restart." in response.content
    assert b"X-42" not in response.content
    for name in ("hidden", "staff", "partner"):
        for view in ("thread_feed", "thread_feed_atom"):
            url = reverse(view, args=[world[name].pk])
            assert _staff_client().get(url).status_code == 404, (name, view)


def _locations(content: bytes) -> set[str]:
    root = ET.fromstring(content)  # noqa: S314 - our own page
    return {
        (element.text or "").removeprefix("http://testserver")
        for element in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }


def test_sitemap_lists_public_spaces_and_threads_only(
    places: Places, world: dict[str, Thread]
) -> None:
    client = _staff_client()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = _locations(index.content)
    assert sections == {"/sitemap-spaces.xml", "/sitemap-threads.xml"}
    paths: set[str] = set()
    for section in sorted(sections):
        response = client.get(section)
        assert response.status_code == 200
        paths |= _locations(response.content)
    assert reverse("thread", args=[world["public"].pk]) in paths
    assert reverse("space", args=[places.forum.slug]) in paths
    for name in ("hidden", "staff", "partner"):
        assert reverse("thread", args=[world[name].pk]) not in paths
    for space in (places.staff_room, places.partner_lounge):
        assert reverse("space", args=[space.slug]) not in paths


def test_robots_txt_points_to_the_sitemap(db: None) -> None:
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /unsubscribe/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_public_pages_announce_their_feeds_private_ones_do_not(
    places: Places, world: dict[str, Thread]
) -> None:
    client = _staff_client()
    forum = client.get(reverse("space", args=[places.forum.slug])).content.decode()
    assert f'href="{reverse("space_feed", args=[places.forum.slug])}"' in forum
    assert f'href="{reverse("space_feed_atom", args=[places.forum.slug])}"' in forum
    thread = client.get(reverse("thread", args=[world["public"].pk])).content.decode()
    assert f'href="{reverse("thread_feed", args=[world["public"].pk])}"' in thread
    staff_room = client.get(reverse("space", args=[places.staff_room.slug])).content.decode()
    assert 'type="application/rss+xml"' not in staff_room
    for name in ("hidden", "staff"):
        page = client.get(reverse("thread", args=[world[name].pk])).content.decode()
        assert 'type="application/rss+xml"' not in page, name


def test_space_feed_names_the_author_of_an_outside_or_deleted_members_thread(
    cast: Cast, places: Places
) -> None:
    # Both had an empty <name/>: the feed read the thread's member author only.
    outside = check_create_thread(cast.alice, places.forum, title="Imported", body_md="x")
    source = Source.objects.create(name="Trustpilot", slug="trustpilot")
    them = ExternalIdentity.objects.create(source=source, external_id="a1", display_name="Ann O.")
    Post.objects.filter(thread=outside).update(author=None, external_author=them)
    gone = check_create_thread(cast.bob, places.forum, title="Gone", body_md="y")
    Post.objects.filter(thread=gone).update(author=None)
    Thread.objects.filter(pk__in=[outside.pk, gone.pk]).update(author=None)

    parsed = feedparser.parse(Client().get(f"/s/{places.forum.slug}/feed/atom/").content)

    authors = {entry.title: entry.get("author") for entry in parsed.entries}
    assert authors == {"Imported": "Ann O.", "Gone": "Deleted member"}
