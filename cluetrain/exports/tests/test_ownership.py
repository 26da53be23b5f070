"""Members download their own data and delete their account, leaving nothing personal behind.

The deletion test gives the member a unique marker in every personal field (and, when posts
are removed, in their post texts), then scans every text and JSON column of every model,
and the search index, for it.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from cluetrain.api.models import ApiToken
from cluetrain.exports.ownership import do_delete_account
from cluetrain.ideas.actions import check_create_idea, check_vote_idea
from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.members.actions import check_edit_profile, check_follow, check_signup
from cluetrain.members.models import Connection, Member
from cluetrain.moderation.actions import check_flag_post
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Organization
from cluetrain.partners.actions import do_answer_referral, do_refer
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.reviews.actions import check_post_review
from cluetrain.search.backends import postgres_matching_entries, postgres_search_query
from cluetrain.search.models import SearchEntry
from cluetrain.sources.lookup import community_source
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.threads.actions import check_create_thread, check_edit_post, check_react, check_reply
from cluetrain.threads.follow import check_follow_thread
from cluetrain.threads.models import Post, PostRevision, Reaction, Thread, ThreadFollow
from cluetrain.webhooks.models import WebhookEndpoint
from conftest import PASSWORD, Cast, Places

MARKER = "Qx7mark"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
OnCommit = Callable[..., Any]


def _login(client: Client, member: Member) -> None:
    assert client.login(username=member.username, password=PASSWORD)


def _marked_member(cast: Cast, places: Places, *, marked_posts: bool) -> Member:
    """A member with the marker everywhere that is theirs, and ties to everything else."""
    words = f"{MARKER} words" if marked_posts else "plain words"
    member = check_signup(
        username=f"{MARKER.lower()}",
        display_name=f"{MARKER} Person",
        email=f"{MARKER}@example.com",
        password=PASSWORD,
    )
    member.first_name, member.last_name = f"{MARKER}first", f"{MARKER}last"
    member.save()
    check_edit_profile(
        member,
        display_name=f"{MARKER} Person",
        headline=f"{MARKER} headline",
        location=f"{MARKER}ville",
        bio=f"{MARKER} bio",
        expertise=["thermostats"],
        interests=["zigbee"],
    )
    thread = check_create_thread(member, places.forum, title=f"Title {words}", body_md=words)
    post = thread.posts.get()
    check_edit_post(member, post, body_md=f"{words}, edited")
    reply = check_reply(cast.bob, thread, body_md=f"Thanks @{member.username}, see above.")
    check_reply(member, thread, body_md=f"Reply with {words}")
    # Bob is told "Alice replied in “<the member's title>”".
    check_reply(cast.alice, thread, body_md="Me too.", parent=reply)
    check_react(member, reply, "helpful")
    check_react(cast.bob, post, "like")
    idea = check_create_idea(cast.bob, places.ideas, title="Dark mode", body_md="Please.")
    check_vote_idea(member, idea)
    check_create_idea(member, places.ideas, title=f"Idea {words}", body_md=words)
    check_post_review(member, places.product, stars=4, title=f"Review {words}", body_md=words)
    check_follow(member, cast.bob)
    check_follow(cast.alice, member)
    check_flag_post(member, reply, reason="other", note=f"{MARKER} flag note")
    identity = ExternalIdentity.objects.create(
        source=Source.objects.create(slug="x", name="X", kind=Source.Kind.SOCIAL),
        external_id="1",
        handle="@someone",
        member=member,
    )
    RelationshipEvent.objects.create(
        actor_member=member,
        target_product=places.product,
        kind="recommend",
        polarity=1,
        occurred_at=post.created_at,
        source=community_source(),
        post=post,
    )
    ApiToken.objects.create(
        member=member,
        name=f"{MARKER} laptop",
        token_hash="cd" * 32,
        prefix="ct_cdcd",
        created_at=post.created_at,
    )
    # Sam refers the member to a partner, which accepts: the referral event and the partner's
    # notice quote the customer's name.
    provider = Organization.objects.create(name="Acme", slug="acme", kind=Organization.Kind.PARTNER)
    cast.pat.organization = provider
    cast.pat.save(update_fields=["organization"])
    referral = do_refer(cast.sam, customer=member, provider=provider, need="a roof check")
    do_answer_referral(cast.pat, referral, accept=True)
    assert RelationshipEvent.objects.filter(
        origin=f"referral:{referral.pk}", evidence__contains=MARKER
    ).exists()
    assert Notification.objects.filter(recipient=cast.pat, text__contains=MARKER).exists()
    assert identity.member_id == member.pk
    return member


def _columns_with_marker() -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                rows = model._base_manager.filter(**{f"{field.name}__icontains": MARKER})
                found += [
                    f"{model._meta.label}.{field.name}#{pk}"
                    for pk in rows.values_list("pk", flat=True)
                ]
    return sorted(found)


def _fts_hits() -> int:
    if connection.vendor == "postgresql":
        return postgres_matching_entries(postgres_search_query(MARKER)).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [f'"{MARKER}"'])
        (count,) = cursor.fetchone()
    return int(count)


@pytest.mark.parametrize("choice", ["anonymize", "remove"])
def test_delete_account_leaves_no_personal_data(
    cast: Cast,
    places: Places,
    client: Client,
    django_capture_on_commit_callbacks: OnCommit,
    choice: str,
) -> None:
    WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook",
        events=["post.created", "member.joined"],
        created_at=places.forum.created_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        member = _marked_member(cast, places, marked_posts=choice == "remove")
    assert _columns_with_marker() != []
    assert _fts_hits() > 0
    assert Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.filter(actor=member).exists()
    followed = check_create_thread(cast.bob, places.forum, title="Followed", body_md="Hi.")
    check_follow_thread(member, followed, follow=True)
    quoted = Notification.objects.filter(
        recipient=cast.bob, actor=cast.alice, text__contains=MARKER
    )
    assert quoted.exists() == (choice == "remove")
    reply = Post.objects.get(body_md__startswith="Thanks @")
    assert (reply.score, Idea.objects.get(thread__title="Dark mode").vote_count) == (1, 1)
    own_posts = list(Post.objects.filter(author=member).order_by("pk").values_list("pk", flat=True))
    _login(client, member)
    session_key = client.session.session_key

    response = client.post(reverse("delete_account"), {"posts": choice, "password": PASSWORD})

    assert response.status_code == 302
    assert _columns_with_marker() == []
    assert _fts_hits() == 0
    member.refresh_from_db()
    assert member.username.startswith("deleted-")
    assert (member.email, member.display_name, member.is_active) == ("", "", False)
    assert not member.has_usable_password()
    assert not member.profile.expertise.exists()
    assert not SearchEntry.objects.filter(kind="member", object_id=member.pk).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    for model, field in [
        (Connection, "from_member"),
        (Connection, "to_member"),
        (Reaction, "member"),
        (ThreadFollow, "member"),
        (IdeaVote, "member"),
        (Notification, "recipient"),
        (Notification, "actor"),
        (ApiToken, "member"),
        (ExternalIdentity, "member"),
        (RelationshipEvent, "actor_member"),
        (Thread, "author"),
        (Post, "author"),
    ]:
        assert not model._base_manager.filter(**{field: member}).exists(), (model, field)
    reply.refresh_from_db()
    assert reply.body_md == "Thanks @deleted-member, see above."
    # Counts stay equal to the rows behind them.
    assert (reply.score, Idea.objects.get(thread__title="Dark mode").vote_count) == (0, 0)
    posts = Post.objects.filter(pk__in=own_posts).order_by("pk")
    assert [p.author_id for p in posts] == [None] * len(own_posts)
    if choice == "anonymize":
        assert [p.is_deleted for p in posts] == [False] * len(own_posts)
        assert posts[0].body_md == "plain words, edited"
        assert SearchEntry.objects.filter(kind="post", object_id__in=own_posts).count() == len(
            own_posts
        )
    else:
        assert {(p.is_deleted, p.body_md, p.body_html) for p in posts} == {(True, "", "")}
        assert not PostRevision.objects.filter(post__in=own_posts).exists()
        assert not SearchEntry.objects.filter(kind="post", object_id__in=own_posts).exists()
    # Logged out: the page now asks to log in.
    assert client.get(reverse("my_data")).status_code == 302


def test_delete_account_refuses_a_wrong_password(cast: Cast, client: Client) -> None:
    _login(client, cast.alice)
    response = client.post(reverse("delete_account"), {"posts": "remove", "password": "nope"})
    assert response.status_code == 403
    cast.alice.refresh_from_db()
    assert (cast.alice.username, cast.alice.is_active) == ("alice", True)
    assert client.get(reverse("my_data")).status_code == 200
    assert client.get(reverse("delete_account")).status_code == 200


def test_delete_account_page_needs_login(db: None, client: Client) -> None:
    response = client.get(reverse("delete_account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_has_all_and_only_own_data(cast: Cast, places: Places, client: Client) -> None:
    thread = check_create_thread(
        cast.alice, places.forum, title="Hub offline", body_md="Since Tuesday."
    )
    check_edit_post(cast.alice, thread.posts.get(), body_md="Since Tuesday, again.")
    bob_reply = check_reply(cast.bob, thread, body_md="Bob's own words.")
    check_react(cast.alice, bob_reply, "helpful")
    check_follow(cast.alice, cast.bob)
    check_follow(cast.pat, cast.alice)
    check_flag_post(cast.alice, bob_reply, reason="spam", note="ad")
    other = check_create_thread(cast.bob, places.forum, title="Bob asks", body_md="Anyone?")
    check_follow_thread(cast.alice, other, follow=True)
    check_follow_thread(cast.bob, thread, follow=True)
    _login(client, cast.alice)

    response = client.get(reverse("my_data_download"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cluetrain-alice-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert data["account"]["email"] == "alice@example.com"
    assert [p["body_md"] for p in data["posts"]] == ["Since Tuesday, again."]
    assert [r["body_md"] for r in data["post_revisions"]] == ["Since Tuesday."]
    assert [t["title"] for t in data["threads"]] == ["Hub offline"]
    assert [(r["post_id"], r["kind"]) for r in data["reactions"]] == [(bob_reply.pk, "helpful")]
    assert [(f["thread_id"], f["thread__title"]) for f in data["thread_follows"]] == [
        (other.pk, "Bob asks")
    ]
    assert [c["to_member__username"] for c in data["connections_out"]] == ["bob"]
    assert [c["from_member__username"] for c in data["connections_in"]] == ["pat"]
    assert [(f["post_id"], f["note"]) for f in data["flags_raised"]] == [(bob_reply.pk, "ad")]
    assert "Bob's own words." not in response.content.decode()
    assert set(data) >= {
        "profile",
        "reviews",
        "ideas",
        "idea_votes",
        "notifications",
        "external_identities",
        "relationship_events",
        "api_tokens",
    }


def test_download_needs_login(db: None, client: Client) -> None:
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 302


def test_the_last_administrator_cannot_delete_their_account(cast: Cast, client: Client) -> None:
    _login(client, cast.ada)
    response = client.post(reverse("delete_account"), {"posts": "anonymize", "password": PASSWORD})
    assert response.status_code == 409
    assert "last administrator" in response.content.decode()
    cast.ada.refresh_from_db()
    assert (cast.ada.username, cast.ada.is_active, cast.ada.is_superuser) == ("ada", True, True)


@pytest.mark.parametrize(
    ("written", "scrubbed"),
    [
        ("Thanks for posting, @bob.", "Thanks for posting, @deleted-member."),
        ("(@bob) knows", "(@deleted-member) knows"),
        ("Ask @bob! Or @bob? Or @bob, or @bob; fine", None),
        ("Ellipsis @bob... then", "Ellipsis @deleted-member... then"),
        ("Quoted '@bob' and \"@bob\"", "Quoted '@deleted-member' and \"@deleted-member\""),
        ("End of line @bob\nnext", "End of line @deleted-member\nnext"),
    ],
)
def test_deleting_a_member_scrubs_mentions_with_punctuation_around_the_name(
    cast: Cast,
    places: Places,
    django_capture_on_commit_callbacks: OnCommit,
    written: str,
    scrubbed: str | None,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        thread = check_create_thread(cast.alice, places.forum, title="Hello", body_md="Hi all")
        post = check_reply(cast.alice, thread, body_md=written)
        # Names that only start like the member's stay: @bob.smith, @bobby, @bob-x.
        other = check_reply(cast.alice, thread, body_md="@bob.smith @bobby @bob-x and @bob.")
    do_delete_account(cast.bob, posts="anonymize")
    post.refresh_from_db()
    other.refresh_from_db()
    expected = scrubbed or written.replace("@bob", "@deleted-member")
    assert post.body_md == expected
    assert "@bob" not in post.body_html
    assert "bob" not in SearchEntry.objects.get(kind="post", object_id=post.pk).body
    assert other.body_md == "@bob.smith @bobby @bob-x and @deleted-member."
