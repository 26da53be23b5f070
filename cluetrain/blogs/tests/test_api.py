"""Blogs in the JSON API: write, read, edit, publish, delete, follow; others' drafts 404."""

import json

from django.conf import settings
from django.test import Client

from cluetrain.blogs.models import BlogFollow, BlogPost
from cluetrain.blogs.tests.conftest import client_of
from conftest import Cast


def _call(client: Client, method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_a_post_through_the_api(cast: Cast) -> None:
    alice = client_of(cast.alice)
    made = _call(alice, "post", "/api/blogs/posts", {"title": "T", "body_md": "B", "tags": ["hub"]})
    assert made.status_code == 201
    post = made.json()
    assert (post["status"], post["thread_id"], post["tags"]) == ("draft", None, ["hub"])
    path = f"/api/blogs/posts/{post['id']}"
    assert client_of(cast.bob).get(path).status_code == 404
    assert (
        _call(client_of(cast.bob), "patch", path, {"title": "x", "body_md": "y"}).status_code == 404
    )
    edited = _call(alice, "patch", path, {"title": "T2", "body_md": "B2", "tags": []})
    assert (edited.status_code, edited.json()["title"]) == (200, "T2")
    published = _call(alice, "post", f"{path}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert _call(alice, "post", f"{path}/publish").status_code == 409
    assert client_of(None).get(path).json()["thread_id"] == published.json()["thread_id"]
    listed = client_of(None).get("/api/blogs").json()
    assert [(b["owner"]["username"], b["published"], b["staff"]) for b in listed] == [
        ("alice", 1, False)
    ]
    assert [
        p["title"] for p in client_of(None).get("/api/blogs/by/alice/posts").json()["items"]
    ] == ["T2"]
    assert _call(alice, "delete", path).json() == {"id": post["id"], "deleted": True}
    assert not BlogPost.objects.exists()


def test_a_patch_changes_only_the_fields_it_sends(cast: Cast) -> None:
    # Title and body were required and tags left out were emptied: PATCH replaced the post.
    alice = client_of(cast.alice)
    made = _call(alice, "post", "/api/blogs/posts", {"title": "T", "body_md": "B", "tags": ["hub"]})
    path = f"/api/blogs/posts/{made.json()['id']}"
    edited = _call(alice, "patch", path, {"title": "T2"})
    assert edited.status_code == 200
    assert {k: edited.json()[k] for k in ("title", "body_md", "tags")} == {
        "title": "T2",
        "body_md": "B",
        "tags": ["hub"],
    }
    published = _call(alice, "post", f"{path}/publish").json()
    assert published["tags"] == ["hub"]
    again = _call(alice, "patch", path, {"body_md": "B3"}).json()
    assert (again["title"], again["body_md"], again["tags"]) == ("T2", "B3", ["hub"])
    assert _call(alice, "patch", path, {"title": ""}).status_code == 400


def test_scheduling_needs_a_future_time(cast: Cast) -> None:
    alice = client_of(cast.alice)
    body = {"title": "T", "body_md": "B", "action": "schedule", "publish_at": "2001-01-01T00:00Z"}
    refused = _call(alice, "post", "/api/blogs/posts", body)
    assert refused.status_code == 400
    assert "future" in refused.content.decode()
    body["publish_at"] = "2999-01-01T00:00:00Z"
    made = _call(alice, "post", "/api/blogs/posts", body)
    assert (made.status_code, made.json()["status"]) == (201, "scheduled")
    assert client_of(None).get("/api/blogs/by/alice/posts").json()["items"] == []
    assert len(client_of(cast.alice).get("/api/blogs/by/alice/posts").json()["items"]) == 1


def test_follow_and_unfollow(cast: Cast) -> None:
    bob = client_of(cast.bob)
    assert _call(bob, "post", "/api/blogs/by/alice/follow").json() == {
        "blog": "alice",
        "following": True,
    }
    assert BlogFollow.objects.filter(member=cast.bob).count() == 1
    assert _call(bob, "delete", "/api/blogs/by/alice/follow").json()["following"] is False
    assert _call(client_of(cast.alice), "post", "/api/blogs/by/alice/follow").status_code == 409
    assert _call(client_of(None), "post", "/api/blogs/by/alice/follow").status_code == 401


def test_the_owner_sets_the_blogs_title_and_description(cast: Cast) -> None:
    body = {"title": "Hub notes", "description": "Tinkering."}
    assert _call(client_of(None), "put", "/api/blogs/mine", body).status_code == 401
    made = _call(client_of(cast.alice), "put", "/api/blogs/mine", body)
    assert made.status_code == 200
    assert (made.json()["title"], made.json()["url"]) == (
        "Hub notes",
        f"{settings.SITE_URL}/blogs/by/alice/",
    )
    got = client_of(None).get("/api/blogs/by/alice").json()
    assert (got["title"], got["description"]) == ("Hub notes", "Tinkering.")
    too_long = _call(client_of(cast.alice), "put", "/api/blogs/mine", {"title": "x" * 121})
    assert too_long.status_code == 400
    assert "title" in too_long.content.decode()
