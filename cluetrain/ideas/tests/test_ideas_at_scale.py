"""Duplicates merged, the ranking that resists a ring of accounts, followers told, the roadmap."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from cluetrain.core.errors import ActionError
from cluetrain.ideas.actions import (
    check_change_idea_status,
    check_follow_idea,
    check_merge_ideas,
    check_set_vote_budget,
    check_vote_idea,
    do_create_idea,
    do_vote_idea,
)
from cluetrain.ideas.demo import plant_duplicates_and_decisions
from cluetrain.ideas.duplicates import similar_ideas
from cluetrain.ideas.models import Idea, IdeaFollow, IdeaStatusChange, IdeaVote
from cluetrain.ideas.ranking import rank
from cluetrain.ideas.roadmap import roadmap
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.reputation.models import FlaggedAccount
from cluetrain.threads.actions import do_reply
from conftest import PASSWORD, Cast, Places, make_member


def _idea(author: Member, places: Places, title: str, body: str = "Details.") -> Idea:
    return do_create_idea(author, places.ideas, title=title, body_md=body)


def _login(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.username, password=PASSWORD)
    return client


# Duplicates


def test_similar_ideas_finds_the_duplicate_not_the_unrelated(cast: Cast, places: Places) -> None:
    dark = _idea(cast.bob, places, "Dark mode for the app", "A dark theme at night.")
    _idea(cast.pat, places, "Sunrise scene", "Turn the lights off at sunrise.")
    found = similar_ideas(cast.alice, "Please add a dark mode to the mobile app")
    assert [idea for idea, _ in found] == [dark]
    assert found[0][1] > 0.2


def test_new_idea_form_shows_similar_ideas_without_posting(cast: Cast, places: Places) -> None:
    _idea(cast.bob, places, "Dark mode for the app", "A dark theme at night.")
    client = _login(cast.alice)
    response = client.post(
        reverse("idea_new"),
        {"title": "Dark mode please", "body": "", "space": places.ideas.pk, "check": "1"},
    )
    assert response.status_code == 200
    assert "Dark mode for the app" in response.content.decode()
    assert Idea.objects.count() == 1
    partial = client.get(reverse("idea_similar"), {"title": "dark mode"}, HTTP_HX_REQUEST="true")
    assert "Dark mode for the app" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_merge_carries_votes_and_followers_once_per_member(cast: Cast, places: Places) -> None:
    survivor = _idea(cast.bob, places, "Dark mode")
    duplicate = _idea(cast.pat, places, "Dark theme")
    for voter in (cast.alice, cast.maya):
        do_vote_idea(voter, survivor)
    for voter in (cast.alice, cast.ada):
        do_vote_idea(voter, duplicate)
    check_follow_idea(cast.maya, duplicate, follow=True)
    check_follow_idea(cast.maya, survivor, follow=True)
    event = check_merge_ideas(cast.sam, duplicate, survivor)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    voters = sorted(survivor.votes.values_list("member__username", flat=True))
    assert voters == ["ada", "alice", "maya"]  # alice voted for both: one vote
    assert survivor.vote_count == 3
    assert (duplicate.vote_count, duplicate.votes.count()) == (0, 0)
    assert duplicate.merged_into == survivor
    assert duplicate.merged_by == cast.sam
    followers = sorted(survivor.follows.values_list("member__username", flat=True))
    assert followers == ["maya", "pat"]  # the duplicate's author follows the survivor
    assert (event.votes_moved, event.followers_moved) == (1, 1)
    page = Client().get(reverse("thread", kwargs={"thread_id": survivor.thread_id}))
    assert "Credited: Bob Baker, Pat Partner" in page.content.decode()
    with pytest.raises(ActionError) as again:
        check_merge_ideas(cast.sam, duplicate, survivor)
    assert again.value.status == 409
    with pytest.raises(ActionError) as closed:
        check_vote_idea(cast.bob, duplicate)
    assert closed.value.status == 409


def test_only_staff_merge_and_not_into_itself(cast: Cast, places: Places) -> None:
    one, two = _idea(cast.bob, places, "Dark mode"), _idea(cast.pat, places, "Dark theme")
    with pytest.raises(ActionError) as refused:
        check_merge_ideas(cast.alice, one, two)
    assert refused.value.status == 403
    with pytest.raises(ActionError) as itself:
        check_merge_ideas(cast.sam, one, one)
    assert itself.value.field == "into"
    assert Idea.objects.exclude(merged_into=None).count() == 0


def test_merge_page_merges_for_staff_and_refuses_members(cast: Cast, places: Places) -> None:
    one, two = _idea(cast.bob, places, "Dark mode"), _idea(cast.pat, places, "Dark theme")
    url = reverse("idea_merge", kwargs={"idea_id": two.pk})
    refused = _login(cast.alice).post(url, {"into": one.pk})
    assert refused.status_code == 403
    assert "Only staff can merge ideas." in refused.content.decode()
    assert "change the status" not in refused.content.decode()
    bad = _login(cast.sam).post(url, {"into": "x"})
    assert bad.status_code == 400
    nowhere = _login(cast.sam).post(url, {"into": 99999})
    assert nowhere.status_code == 400  # the form again, with the message, not a 404 page
    assert "There is no idea number 99999" in nowhere.content.decode()
    assert 'name="into"' in nowhere.content.decode()
    response = _login(cast.sam).post(url, {"into": one.pk})
    assert response.status_code == 302
    two.refresh_from_db()
    assert two.merged_into == one


# Ranking


def test_a_ring_of_accounts_voting_together_counts_once(cast: Cast, places: Places) -> None:
    pumped = [_idea(cast.bob, places, f"Pumped {n}") for n in range(3)]
    liked = _idea(cast.alice, places, "Liked by many")
    ring = [make_member(f"ring{n}", Member.Role.CUSTOMER) for n in range(6)]
    for account in ring:
        for idea in pumped:
            do_vote_idea(account, idea)
    for voter in (cast.pat, cast.maya, cast.ada):
        do_vote_idea(voter, liked)
    rows = rank(Idea.objects.all())
    assert rows[0].idea == liked
    assert (rows[0].row.score, rows[0].row.groups) == (3.0, 3)
    top_pumped = rows[1]
    assert (top_pumped.row.supporters, top_pumped.row.groups, top_pumped.row.score) == (6, 1, 1.0)
    assert len(top_pumped.discounted) == 5
    assert all("counts once" in " ".join(d.reasons) for _, d in top_pumped.discounted)
    reasons = " ".join(r for _, d in top_pumped.discounted for r in d.reasons)
    assert "(s)" not in reasons
    assert "votes together with 5 other accounts" in reasons
    # By raw votes the ring would win: 6 against 3.
    assert Idea.objects.order_by("-vote_count").first() in pumped
    why = Client().get(reverse("idea_why", kwargs={"idea_id": top_pumped.idea.pk}))
    assert why.status_code == 200
    assert "the group counts once" in why.content.decode()


def test_flagged_accounts_and_replies_are_weighed(cast: Cast, places: Places) -> None:
    idea = _idea(cast.bob, places, "Dark mode")
    do_vote_idea(cast.alice, idea)
    do_vote_idea(cast.pat, idea)
    FlaggedAccount.objects.create(
        member=cast.pat,
        reasons=["one of 4 accounts with near-identical neighbourhoods"],
        computed_at=timezone.now(),
    )
    do_reply(cast.maya, idea.thread, body_md="Yes please.")
    do_reply(cast.bob, idea.thread, body_md="Thanks!")  # the author's own reply adds nothing
    (row,) = rank(Idea.objects.all())
    assert row.row.score == 1.5  # alice 1 + pat 0 (flagged) + maya's reply 0.5
    assert row.row.by_kind == {"vote": 2, "reply": 1}
    reasons = {who.username: d.reasons for who, d in row.discounted if who}
    assert reasons["pat"][0].startswith("flagged by the reputation defences")
    assert reasons["maya"] == ("a reply counts 0.5",)


def test_the_ranking_explains_itself_in_the_readers_language(cast: Cast, places: Places) -> None:
    idea = _idea(cast.bob, places, "Dark mode")
    together = [idea, _idea(cast.bob, places, "Offline mode"), _idea(cast.bob, places, "Exports")]
    for voter in [make_member(f"ring{n}", Member.Role.CUSTOMER) for n in range(3)]:
        for voted in together:
            do_vote_idea(voter, voted)
    do_reply(cast.maya, idea.thread, body_md="Yes please.")
    french = Client(headers={"accept-language": "fr"})
    page = french.get(reverse("idea_why", kwargs={"idea_id": idea.pk})).content.decode()
    assert "une réponse compte 0,5" in page
    assert "vote avec 2 autres comptes" in page
    api = french.get(f"/api/ideas/{idea.pk}/rank").json()
    reasons = " ".join(r for d in api["discounted"] for r in d["reasons"])
    assert "une réponse compte 0,5" in reasons


def test_vote_budget_limits_open_votes_in_a_space(cast: Cast, places: Places) -> None:
    ideas = [_idea(cast.bob, places, f"Idea {n}") for n in range(3)]
    with pytest.raises(ActionError):
        check_set_vote_budget(cast.alice, places.ideas, votes=2)
    check_set_vote_budget(cast.sam, places.ideas, votes=2)
    check_vote_idea(cast.alice, ideas[0])
    check_vote_idea(cast.alice, ideas[1])
    with pytest.raises(ActionError) as spent:
        check_vote_idea(cast.alice, ideas[2])
    assert spent.value.status == 409
    assert IdeaVote.objects.filter(member=cast.alice).count() == 2
    check_change_idea_status(cast.sam, ideas[0], status="done", explanation="Shipped.")
    check_vote_idea(cast.alice, ideas[2])  # a done idea's vote no longer counts
    check_set_vote_budget(cast.sam, places.ideas, votes=None)
    with pytest.raises(ActionError) as zero:
        check_set_vote_budget(cast.sam, places.ideas, votes=0)
    assert zero.value.field == "votes"


# Status changes told to voters and followers; the roadmap


def test_status_change_requires_explanation_and_tells_followers(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = _idea(cast.bob, places, "Dark mode")
    do_vote_idea(cast.alice, idea)
    check_follow_idea(cast.maya, idea, follow=True)
    with pytest.raises(ActionError) as bare:
        check_change_idea_status(cast.sam, idea, status="declined", explanation="  ")
    assert bare.value.field == "explanation"
    assert IdeaStatusChange.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        check_change_idea_status(
            cast.sam, idea, status="declined", explanation="It clashes with accessibility."
        )
    told = Notification.objects.filter(kind="idea_status")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "bob", "maya"]
    assert all("It clashes with accessibility." in n.text for n in told)
    page = Client().get(reverse("thread", kwargs={"thread_id": idea.thread_id}))
    assert "It clashes with accessibility." in page.content.decode()


def test_follow_is_once_per_member_and_unfollow_removes(cast: Cast, places: Places) -> None:
    idea = _idea(cast.bob, places, "Dark mode")
    client = _login(cast.alice)
    url = reverse("idea_follow", kwargs={"idea_id": idea.pk})
    client.post(url)
    client.post(url)
    assert IdeaFollow.objects.filter(idea=idea).count() == 1
    client.post(url, {"action": "unfollow"})
    assert IdeaFollow.objects.filter(idea=idea).count() == 0
    assert Client().post(url).status_code == 302  # anonymous: to the login page
    assert IdeaFollow.objects.count() == 0


def test_roadmap_numbers(cast: Cast, places: Places) -> None:
    ideas = [_idea(cast.bob, places, f"Idea {n}") for n in range(5)]
    now = timezone.now()
    for n, idea in enumerate(ideas):
        idea.thread.created_at = now - timedelta(days=10 + n)
        idea.thread.save(update_fields=["created_at"])
    check_change_idea_status(cast.sam, ideas[0], status="planned", explanation="Next.")
    check_change_idea_status(cast.sam, ideas[1], status="in_progress", explanation="Started.")
    check_change_idea_status(cast.sam, ideas[2], status="done", explanation="Shipped.")
    check_change_idea_status(cast.sam, ideas[3], status="declined", explanation="No.")
    check_merge_ideas(cast.sam, _idea(cast.pat, places, "Idea 0 again"), ideas[0])
    road = roadmap(Idea.objects.all())
    assert road.ideas == 5  # the merged duplicate is not counted
    assert (road.taken_forward, road.decided, road.declined) == (3, 4, 1)
    assert road.median_days_to_decision == pytest.approx(11.5, abs=0.1)  # 10, 11, 12, 13
    assert road.median_days_to_done == pytest.approx(12.0, abs=0.1)
    assert [(s, n) for s, _, _, n in road.columns] == [
        ("planned", 1),
        ("in_progress", 1),
        ("done", 1),
    ]
    page = Client().get(reverse("ideas_roadmap"))
    assert page.status_code == 200
    assert "taken forward" in page.content.decode()


def test_demo_merges_duplicates_and_explains_decisions(cast: Cast, places: Places) -> None:
    customers = [make_member(f"demo{n}", Member.Role.CUSTOMER) for n in range(12)]
    ideas = [_idea(customers[n], places, f"Demo idea {n}") for n in range(8)]
    for n, idea in enumerate(ideas):
        for voter in customers[: 8 - n]:
            do_vote_idea(voter, idea)
    line = plant_duplicates_and_decisions("example.com")
    assert line is not None
    merged = Idea.objects.exclude(merged_into=None)
    into = merged.order_by("merged_into").values_list("merged_into", flat=True)
    assert list(into) == [ideas[0].pk, ideas[1].pk]
    assert IdeaStatusChange.objects.count() == 5
    assert all(c.explanation for c in IdeaStatusChange.objects.all())
    for original in ideas[:2]:
        original.refresh_from_db()
        assert original.vote_count == original.votes.count()
