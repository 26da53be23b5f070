"""Each domain's endpoints: the happy path, and refusals that write nothing."""

from cluetrain.api.tests.conftest import World
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.members.models import Connection
from cluetrain.moderation.models import Flag, ModerationAction
from cluetrain.notifications.models import Notification
from cluetrain.reviews.models import Review
from cluetrain.spaces.models import SpaceFollow
from cluetrain.threads.models import Post, PostRevision, Reaction, Thread


def test_spaces_list_only_what_the_caller_may_read(world: World) -> None:
    slugs = [s["slug"] for s in world.client(None).get("/api/spaces").json()["items"]]
    assert slugs == ["general", "help", "ideas", "reviews"]
    pat = [s["slug"] for s in world.client(world.cast.pat).get("/api/spaces").json()["items"]]
    assert pat == ["general", "help", "ideas", "partner-lounge", "reviews"]


def test_follow_and_unfollow_a_space(world: World) -> None:
    client = world.client(world.cast.alice)
    followed = client.post("/api/spaces/general/follow").json()
    assert followed == {"slug": "general", "following": True, "follower_count": 1}
    assert client.get("/api/spaces/general").json()["following"] is True
    assert client.delete("/api/spaces/general/follow").json()["following"] is False
    assert not SpaceFollow.objects.exists()
    assert client.post("/api/spaces/staff-room/follow").status_code == 404


def test_threads_filter_and_create(world: World) -> None:
    client = world.client(world.cast.alice)
    created = client.post(
        "/api/spaces/help/threads", {"title": "Wi-Fi?", "body": "How?", "tags": ["Wi-Fi"]}
    )
    assert created.status_code == 201
    thread = created.json()
    assert (thread["kind"], thread["tags"], thread["author"]["username"]) == (
        "question",
        ["wi-fi"],
        "alice",
    )
    listed = client.get("/api/spaces/help/threads", unanswered=True).json()["items"]
    assert [t["title"] for t in listed] == ["Wi-Fi?"]
    assert [
        t["id"] for t in client.get("/api/spaces/help/threads", tag="wi-fi").json()["items"]
    ] == [thread["id"]]


def test_thread_creation_refusals_write_nothing(world: World) -> None:
    client = world.client(world.cast.alice)
    before = Thread.objects.count()
    too_many = {"title": "T", "body": "B", "tags": ["a", "b", "c", "d", "e", "f"]}
    refused = client.post("/api/spaces/general/threads", too_many)
    assert refused.json()["error"]["message"] == "tags: Should have at most 5 items"
    blank = client.post("/api/spaces/general/threads", {"title": "   ", "body": "B"})
    assert blank.status_code == 400
    assert blank.json()["error"] == {
        "code": "invalid",
        "message": "Give your thread a title.",
        "field": "title",
        "details": [],
    }
    ideas = client.post("/api/spaces/ideas/threads", {"title": "T", "body": "B"})
    assert ideas.json()["error"]["message"] == "Post this with POST /api/ideas."
    staff = client.post("/api/spaces/staff-room/threads", {"title": "T", "body": "B"})
    assert staff.status_code == 404
    assert Thread.objects.count() == before


def test_reply_edit_revisions_delete(world: World) -> None:
    client = world.client(world.cast.alice)
    reply = client.post(
        f"/api/threads/{world.thread.pk}/posts",
        {"body": "Fixed by a reset.", "parent_id": world.reply.pk},
    )
    assert reply.status_code == 201
    post_id = reply.json()["id"]
    assert reply.json()["parent_id"] == world.reply.pk
    edited = client.patch(f"/api/posts/{post_id}", {"body": "Fixed by a factory reset."})
    assert edited.json()["body_md"] == "Fixed by a factory reset."
    revisions = client.get(f"/api/posts/{post_id}/revisions").json()["items"]
    assert [r["body_md"] for r in revisions] == ["Fixed by a reset."]
    retitled = client.patch(
        f"/api/posts/{world.opening.pk}", {"body": "Since 2.1.", "title": "Reboots"}
    )
    assert retitled.status_code == 200
    assert Thread.objects.get(pk=world.thread.pk).title == "Reboots"
    deleted = client.delete(f"/api/posts/{post_id}")
    assert deleted.json()["is_deleted"] is True
    assert client.get(f"/api/posts/{post_id}").status_code == 404


def test_others_may_not_edit_or_delete(world: World) -> None:
    client = world.client(world.cast.bob)
    refused = client.patch(f"/api/posts/{world.opening.pk}", {"body": "Mine now"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "You can only edit your own posts."
    assert client.delete(f"/api/posts/{world.opening.pk}").status_code == 403
    assert Post.objects.get(pk=world.opening.pk).body_md == "Since the update."
    assert not PostRevision.objects.exists()


def test_reply_to_a_post_of_another_thread_is_refused(world: World) -> None:
    client = world.client(world.cast.alice)
    before = Post.objects.count()
    body = {"body": "Hi", "parent_id": world.answer.pk}
    refused = client.post(f"/api/threads/{world.thread.pk}/posts", body)
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "parent_id"
    assert Post.objects.count() == before


def test_an_empty_post_is_refused_naming_the_api_field(world: World) -> None:
    # The action names the page form's field (body); the API's input is body_md.
    client = world.client(world.cast.alice)
    before = Post.objects.count()
    replied = client.post(f"/api/threads/{world.thread.pk}/posts", {"body_md": "   "})
    started = client.post("/api/spaces/general/threads", {"title": "T", "body_md": "  "})
    edited = client.patch(f"/api/posts/{world.opening.pk}", {"body_md": "  "})
    for refused in (replied, started, edited):
        assert refused.status_code == 400
        assert refused.json()["error"]["field"] == "body_md"
    assert Post.objects.count() == before


def test_react_toggles_and_not_on_own_post(world: World) -> None:
    client = world.client(world.cast.alice)
    on = client.post(f"/api/posts/{world.reply.pk}/reactions", {"kind": "like"}).json()
    assert on == {"post_id": world.reply.pk, "kind": "like", "on": True, "score": 1}
    off = client.post(f"/api/posts/{world.reply.pk}/reactions", {"kind": "like"}).json()
    assert (off["on"], off["score"]) == (False, 0)
    own = client.post(f"/api/posts/{world.opening.pk}/reactions", {"kind": "like"})
    assert own.status_code == 403
    bad = client.post(f"/api/posts/{world.reply.pk}/reactions", {"kind": "love"})
    assert bad.json()["error"]["message"] == "kind: Input should be 'like' or 'helpful'"
    assert not Reaction.objects.exists()


def test_accept_an_answer(world: World) -> None:
    client = world.client(world.cast.alice)
    accepted = client.post(f"/api/posts/{world.answer.pk}/accept").json()
    assert accepted == {"thread_id": world.question.pk, "accepted_answer_id": world.answer.pk}
    refused = world.client(world.cast.bob).post(f"/api/posts/{world.answer.pk}/accept")
    assert refused.status_code == 403
    assert Thread.objects.get(pk=world.question.pk).accepted_answer_id == world.answer.pk


def test_hidden_posts_keep_their_place_without_their_words(world: World) -> None:
    world.reply.is_hidden = True
    world.reply.save()
    posts = world.client(None).get(f"/api/threads/{world.thread.pk}/posts").json()["items"]
    assert [(p["is_hidden"], p["body_md"]) for p in posts] == [
        (False, "Since the update."),
        (True, ""),
    ]
    moderator = world.client(world.cast.maya).get(f"/api/threads/{world.thread.pk}/posts").json()
    assert moderator["items"][1]["body_md"] == "Same here."


def test_reviews_summary_sort_create_and_helpful(world: World) -> None:
    client = world.client(world.cast.alice)
    created = client.post(
        "/api/products/lumen-hub/reviews", {"stars": 2, "title": "Meh", "body": "Flaky."}
    )
    assert created.status_code == 201
    assert created.json()["body_html"] == "<p>Flaky.</p>\n"
    listed = client.get("/api/products/lumen-hub/reviews", sort="lowest").json()
    assert (listed["total"], listed["average"]) == (2, 3.0)
    assert [s["count"] for s in listed["distribution"]] == [0, 1, 0, 1, 0]
    assert [r["stars"] for r in listed["items"]] == [2, 4]
    # Reads give back the Markdown that writes take (docs/api.md), beside its HTML.
    assert [r["body_md"] for r in listed["items"]] == ["Flaky.", "Works well."]
    assert created.json()["body_md"] == "Flaky."
    marked = client.post(f"/api/reviews/{world.review.pk}/helpful").json()
    assert marked == {"review_id": world.review.pk, "marked": True, "helpful_count": 1}
    again = client.post(f"/api/reviews/{world.review.pk}/helpful")
    assert again.status_code == 409
    assert client.delete(f"/api/reviews/{world.review.pk}/helpful").json()["helpful_count"] == 0
    own = world.client(world.cast.bob).post(f"/api/reviews/{world.review.pk}/helpful")
    assert own.status_code == 403
    assert Review.objects.get(pk=world.review.pk).helpful_count == 0


def test_ideas_board_vote_and_status(world: World) -> None:
    client = world.client(world.cast.alice)
    created = client.post("/api/ideas", {"space": "ideas", "title": "Timers", "body": "Please"})
    assert created.status_code == 201
    voted = client.post(f"/api/ideas/{world.idea.pk}/vote").json()
    assert (voted["vote_count"], voted["voted"]) == (1, True)
    assert client.post(f"/api/ideas/{world.idea.pk}/vote").status_code == 409
    board = client.get("/api/ideas", sort="top").json()["items"]
    assert [(i["title"], i["vote_count"]) for i in board] == [("Dark mode", 1), ("Timers", 0)]
    refused = client.post(
        f"/api/ideas/{world.idea.pk}/status", {"status": "planned", "explanation": "Soon"}
    )
    assert refused.status_code == 403
    assert not IdeaStatusChange.objects.exists()
    staff = world.client(world.cast.sam)
    changed = staff.post(
        f"/api/ideas/{world.idea.pk}/status", {"status": "planned", "explanation": "Q3."}
    )
    assert changed.json()["status"] == "planned"
    planned = client.get("/api/ideas", status="planned").json()["items"]
    assert [i["id"] for i in planned] == [world.idea.pk]
    assert client.delete(f"/api/ideas/{world.idea.pk}/vote").json()["vote_count"] == 0
    assert not IdeaVote.objects.exists()
    wrong_space = client.post("/api/ideas", {"space": "general", "title": "T", "body": "B"})
    assert wrong_space.json()["error"]["field"] == "space"
    assert Idea.objects.count() == 2


def test_profile_directory_follow_connect(world: World) -> None:
    client = world.client(world.cast.alice)
    edited = client.patch("/api/me/profile", {"headline": "Tinkerer", "expertise": ["Zigbee"]})
    assert (edited.json()["headline"], edited.json()["expertise"]) == ("Tinkerer", ["Zigbee"])
    assert client.patch("/api/me/profile", {"location": "Oslo"}).json()["headline"] == "Tinkerer"
    found = world.client(None).get("/api/members", expertise="zigbee").json()["items"]
    assert [m["username"] for m in found] == ["alice"]
    staff = world.client(None).get("/api/members", role="staff").json()["items"]
    assert [m["username"] for m in staff] == ["sam"]
    follow = client.post("/api/members/bob/follow").json()
    assert follow["following"] is True
    assert client.post("/api/members/bob/follow").status_code == 409
    assert client.post("/api/members/alice/follow").status_code == 400
    incoming = client.get("/api/connections", state="incoming").json()["items"]
    assert [c["from_member"]["username"] for c in incoming] == ["bob"]
    accepted = client.post(
        f"/api/connections/{world.connection.pk}/respond", {"decision": "accept"}
    )
    assert accepted.json()["status"] == "accepted"
    connected = client.get("/api/connections").json()["items"]
    assert [c["id"] for c in connected] == [world.connection.pk]
    assert client.get("/api/members/bob").json()["followers"] == 1
    assert client.delete("/api/members/bob/connection").json()["connect_state"] == ""
    assert not Connection.objects.filter(kind="connect").exists()


def test_search_and_notifications(world: World) -> None:
    client = world.client(world.cast.alice)
    hits = client.get("/api/search/posts", q="update").json()
    assert [h["post_id"] for h in hits["items"]] == [world.opening.pk]
    hidden = client.get("/api/search/posts", q="Internal").json()
    assert hidden["items"] == []
    assert world.client(world.cast.sam).get("/api/search/posts", q="Internal").json()["total"] == 1
    Notification.objects.create(
        recipient=world.cast.alice,
        kind="reply",
        actor=world.cast.bob,
        thread=world.thread,
        post=world.reply,
        dedupe_key="reply:1",
        created_at=world.reply.created_at,
    )
    inbox = client.get("/api/notifications").json()
    assert inbox["unread"] == 1
    assert [(n["kind"], n["actor"]["username"]) for n in inbox["items"]] == [("reply", "bob")]
    assert client.post("/api/notifications/read").json() == {"marked": 1}
    assert client.get("/api/notifications", unread_only=True).json()["items"] == []


def test_flags_and_moderation(world: World) -> None:
    alice = world.client(world.cast.alice)
    flagged = alice.post(f"/api/posts/{world.reply.pk}/flags", {"reason": "spam", "note": "Ads"})
    assert flagged.status_code == 201
    assert alice.post(f"/api/posts/{world.reply.pk}/flags", {"reason": "spam"}).status_code == 409
    assert alice.get("/api/moderation/flags").status_code == 403
    maya = world.client(world.cast.maya)
    queue = maya.get("/api/moderation/flags").json()["items"]
    assert [f["post_id"] for f in queue] == [world.opening.pk, world.reply.pk]
    upheld = maya.post(
        f"/api/moderation/flags/{flagged.json()['id']}/resolve", {"decision": "uphold"}
    )
    assert upheld.json()["status"] == "upheld"
    assert Post.objects.get(pk=world.reply.pk).is_hidden is True
    locked = maya.post(f"/api/moderation/threads/{world.thread.pk}", {"action": "lock"})
    assert locked.json()["is_locked"] is True
    moved = maya.post(
        f"/api/moderation/threads/{world.thread.pk}", {"action": "move", "space": "help"}
    )
    assert moved.json()["space"] == "help"
    shown = maya.post(f"/api/moderation/posts/{world.reply.pk}", {"action": "unhide"})
    assert shown.json()["is_hidden"] is False
    log = [e["action"] for e in maya.get("/api/moderation/log").json()["items"]]
    assert log == ["unhide_post", "move_thread", "lock_thread", "hide_post", "resolve_flag"]
    before = ModerationAction.objects.count()
    refused = alice.post(f"/api/moderation/threads/{world.thread.pk}", {"action": "unlock"})
    assert refused.status_code == 403
    assert ModerationAction.objects.count() == before
    assert list(Flag.objects.filter(status="open")) == [world.flag]
