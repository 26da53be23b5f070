"""The demo generator: a small run, checked for shape, consistency and determinism."""

import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.test import Client
from django.utils import timezone

from cluetrain.demo.generate import DEMO_EMAIL_DOMAIN, Summary, delete_demo, generate
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.reputation.models import FlaggedAccount
from cluetrain.reviews.models import Review
from cluetrain.search.backends import search_members, search_posts
from cluetrain.search.models import SearchEntry
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Mention, Post, Reaction, Thread

MEMBERS = 80
POSTS = 800


@pytest.fixture
def demo(db: None) -> Summary:
    return generate(seed=7, members=MEMBERS, posts=POSTS, progress=False)


def test_counts_and_roles(demo: Summary) -> None:
    assert Member.objects.count() == MEMBERS == demo.members
    roles = Counter(Member.objects.values_list("role", flat=True))
    assert roles["admin"] == 1
    assert roles["staff"] >= 3
    assert roles["partner"] >= 2
    assert roles["moderator"] >= 1
    assert (
        roles["customer"]
        == MEMBERS - roles["admin"] - roles["staff"] - roles["partner"] - (roles["moderator"])
    )
    assert Profile.objects.count() == MEMBERS
    assert Post.objects.count() == demo.posts >= POSTS
    assert Thread.objects.count() == demo.threads
    assert Organization.objects.filter(kind="company").count() == 1
    assert Organization.objects.filter(kind="partner").count() == 12
    assert Product.objects.count() == 8
    assert Space.objects.filter(visibility="staff").count() == 1
    assert Space.objects.filter(visibility="partners").count() == 1
    assert set(Member.objects.values_list("email", flat=True)) == {
        f"{m.username}@{DEMO_EMAIL_DOMAIN}" for m in Member.objects.all()
    }


def test_demo_logins_work(demo: Summary, client: Client) -> None:
    assert demo.logins == ["admin", "staff", "partner", "moderator", "customer"]
    admin = Member.objects.get(username="admin")
    assert (admin.role, admin.is_superuser, admin.is_staff) == ("admin", True, True)
    for username in demo.logins:
        assert client.login(username=username, password="cluetrain-demo")
    assert not client.login(username="customer", password="wrong")


def test_same_seed_gives_same_community(demo: Summary) -> None:
    titles = list(Thread.objects.order_by("created_at", "pk").values_list("title", flat=True))
    bodies = list(Post.objects.order_by("created_at", "pk").values_list("body_md", flat=True))
    delete_demo()
    assert Thread.objects.count() == 0
    assert Member.objects.count() == 0
    assert SearchEntry.objects.count() == 0
    generate(seed=7, members=MEMBERS, posts=POSTS, progress=False)
    assert list(Thread.objects.order_by("created_at", "pk").values_list("title", flat=True)) == (
        titles
    )
    assert list(Post.objects.order_by("created_at", "pk").values_list("body_md", flat=True)) == (
        bodies
    )
    delete_demo()
    generate(seed=8, members=MEMBERS, posts=POSTS, progress=False)
    other = list(Thread.objects.order_by("created_at", "pk").values_list("title", flat=True))
    assert other != titles


def test_reply_trees_are_well_formed(demo: Summary) -> None:
    posts = {p.pk: p for p in Post.objects.all()}
    roots = Counter(p.thread_id for p in posts.values() if p.parent_id is None)
    assert set(roots.values()) == {1}
    assert len(roots) == Thread.objects.count()
    depths: Counter[int] = Counter()
    for post in posts.values():
        depth, node = 0, post
        while node.parent_id is not None:
            parent = posts[node.parent_id]
            assert parent.thread_id == node.thread_id
            assert parent.created_at < node.created_at
            depth, node = depth + 1, parent
        depths[depth] += 1
    assert max(depths) <= 4
    assert depths[2] > 0


def test_times_fall_in_the_past_year(demo: Summary) -> None:
    now = timezone.now()
    first = Post.objects.order_by("created_at").first()
    last = Post.objects.order_by("-created_at").first()
    assert first is not None
    assert last is not None
    assert (now - first.created_at).days <= 366
    assert last.created_at <= now
    for thread in Thread.objects.annotate(posts_n=Count("posts"), last=Max("posts__created_at")):
        assert thread.reply_count == thread.posts_n - 1
        assert thread.last_activity_at == thread.last


def test_staff_replies_are_marked_and_in_staff_voice(demo: Summary) -> None:
    staff_posts = Post.objects.filter(is_staff_reply=True).select_related("author")
    assert staff_posts.count() > 20
    for post in staff_posts:
        assert post.author is not None
        assert post.author.is_company_staff
    assert not Post.objects.filter(
        is_staff_reply=False, author__role__in=["staff", "moderator", "admin"]
    ).exists()
    public_staff = staff_posts.filter(thread__space__visibility="public")
    signed = [p for p in public_staff if "Lumen Home" in p.body_md or "Community team" in p.body_md]
    assert len(signed) == public_staff.count()


def test_private_spaces_are_written_by_insiders(demo: Summary) -> None:
    assert Post.objects.filter(thread__space__slug="staff-room").exists()
    assert not Post.objects.filter(thread__space__slug="staff-room").exclude(
        author__role__in=["staff", "moderator", "admin"]
    )
    assert not Post.objects.filter(thread__space__slug="partner-lounge").exclude(
        author__role__in=["staff", "moderator", "admin", "partner"]
    )


def test_questions_have_accepted_answers_in_their_thread(demo: Summary) -> None:
    accepted = Thread.objects.exclude(accepted_answer=None).select_related("accepted_answer")
    assert accepted.count() > 5
    for thread in accepted:
        assert thread.kind == "question"
        assert thread.accepted_answer is not None
        assert thread.accepted_answer.thread_id == thread.pk
        assert thread.accepted_answer.parent_id is not None


def test_reviews_are_j_shaped_with_all_star_values(demo: Summary) -> None:
    stars = Counter(Review.objects.values_list("stars", flat=True))
    assert set(stars) == {1, 2, 3, 4, 5}
    assert stars[5] > stars[3]
    assert stars[1] > stars[3]
    for review in Review.objects.select_related("thread"):
        assert review.thread.kind == "review"
        assert review.thread.space.kind == "reviews"
        assert review.author_id == review.thread.author_id
        root = review.thread.posts.get(parent=None)
        helpful = Reaction.objects.filter(post=root, kind="helpful").count()
        assert review.helpful_count == helpful


def test_ideas_have_votes_and_status_history(demo: Summary) -> None:
    ideas = Idea.objects.annotate(votes_n=Count("votes"))
    assert ideas.count() == demo.ideas >= 6
    for idea in ideas:
        assert idea.vote_count == idea.votes_n
        assert idea.thread.kind == "idea"
        changes = list(idea.status_changes.order_by("created_at"))
        if changes:
            assert changes[0].from_status == "new"
            assert changes[-1].to_status == idea.status
            assert idea.status_changed_at == changes[-1].created_at
            assert all(c.changed_by is not None and c.changed_by.is_company_staff for c in changes)
            assert all(c.explanation for c in changes)
            assert changes[0].created_at > idea.thread.created_at
        else:
            assert idea.status == "new"
    counts = sorted(ideas.values_list("vote_count", flat=True), reverse=True)
    assert sum(counts) == IdeaVote.objects.count() > 0
    assert counts[0] >= 3 * counts[len(counts) // 2]  # heavy tail
    assert IdeaStatusChange.objects.exists()


def test_follow_graph_is_heavy_tailed(demo: Summary) -> None:
    follows = Connection.objects.filter(kind="follow")
    indegree = sorted(
        follows.values("to_member").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    assert indegree[0] >= 4 * indegree[len(indegree) // 2]
    kinds = Counter(Connection.objects.values_list("kind", "status"))
    assert kinds[("connect", "accepted")] > 0
    assert kinds[("connect", "pending")] > 0
    assert kinds[("trust", "accepted")] > 0
    assert not Connection.objects.filter(from_member=F("to_member")).exists()


def test_scores_and_mentions_are_consistent(demo: Summary) -> None:
    for post in Post.objects.annotate(reactions_n=Count("reactions")).filter(
        Q(score__gt=0) | Q(reactions_n__gt=0)
    ):
        assert post.score == post.reactions_n
    assert Mention.objects.count() == demo.mentions > 0
    for mention in Mention.objects.select_related("post", "member"):
        assert f"@{mention.member.username}" in mention.post.body_md
        assert mention.post.author_id != mention.member_id


def test_search_index_finds_planted_problems(demo: Summary) -> None:
    assert SearchEntry.objects.filter(kind="post").count() == Post.objects.count()
    assert SearchEntry.objects.filter(kind="member").count() == MEMBERS
    anonymous = AnonymousUser()
    assert search_posts(anonymous, "logs me out").total > 0
    assert search_posts(anonymous, "doorbell battery drains").total > 0
    staff_entry = SearchEntry.objects.filter(kind="post", visibility="staff").first()
    assert staff_entry is not None
    query = " ".join(re.findall(r"\w+", staff_entry.body)[:3])
    staff = Member.objects.get(username="staff")
    customer = Member.objects.get(username="customer")
    assert staff_entry.object_id in [
        h.object_id for h in search_posts(staff, query, limit=100).hits
    ]
    for viewer in (customer, anonymous):
        hits = search_posts(viewer, query, limit=100).hits
        assert all(h.post and h.post.thread.space.visibility == "public" for h in hits)
    assert search_members("customer").total >= 1


def test_planted_problem_follows_its_curve(db: None) -> None:
    generate(seed=3, members=120, posts=2500, progress=False)
    now = timezone.now()
    # Firmware 3.2 ships in month 7 of 12: no complaint about it before then.
    month_7 = now - timedelta(days=365) + timedelta(days=365 / 12 * 7)
    wifi = Post.objects.filter(body_md__icontains="firmware 3.2")
    assert wifi.count() > 10
    assert not wifi.filter(created_at__lt=month_7).exists()


def test_command_is_idempotent_and_resets(db: None) -> None:
    out = StringIO()
    call_command("demo", members=40, posts=300, verbosity=0, stdout=out)
    assert "Log in as any of: admin, staff, partner, moderator, customer" in out.getvalue()
    # No address of its own: the server says where it runs (it may use another port).
    assert "Open http" not in out.getvalue()
    assert "(with --host or --port, the address the server prints)" in out.getvalue()
    # Relationships were inferred, and the planted vote ring is caught by the defences.
    assert "new relationship events" in out.getvalue()
    assert RelationshipEvent.objects.filter(inferred=True, kind="respond").exists()
    ring = set(Member.objects.filter(username__startswith="ringer").values_list("pk", flat=True))
    assert len(ring) == 12
    assert ring <= set(FlaggedAccount.objects.values_list("member_id", flat=True))
    counts = (Member.objects.count(), Post.objects.count(), SearchEntry.objects.count())
    again = StringIO()
    call_command("demo", members=40, posts=300, verbosity=0, stdout=again)
    assert "already there" in again.getvalue()
    assert (Member.objects.count(), Post.objects.count(), SearchEntry.objects.count()) == counts
    call_command("demo", members=40, posts=300, reset=True, verbosity=0, stdout=StringIO())
    assert (Member.objects.count(), Post.objects.count(), SearchEntry.objects.count()) == counts


def test_reset_keeps_members_who_are_not_part_of_the_demo(db: None) -> None:
    outsider = Member.objects.create_user(username="outsider", password="x" * 12)
    generate(seed=1, members=30, posts=200, progress=False)
    delete_demo()
    assert list(Member.objects.values_list("username", flat=True)) == ["outsider"]
    assert outsider.pk
