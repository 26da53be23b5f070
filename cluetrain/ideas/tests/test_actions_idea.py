import pytest
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from cluetrain.core.errors import ActionError
from cluetrain.ideas.actions import (
    check_change_idea_status,
    check_create_idea,
    check_unvote_idea,
    check_vote_idea,
    do_vote_idea,
)
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.notifications.models import Notification
from cluetrain.threads.models import Thread
from conftest import Cast, Places


def test_create_idea_is_an_idea_thread(cast: Cast, places: Places) -> None:
    idea = check_create_idea(
        cast.bob, places.ideas, title="Dark mode", body_md="Please.", product=places.product
    )
    idea.refresh_from_db()
    assert (idea.status, idea.vote_count, idea.product) == ("new", 0, places.product)
    assert idea.thread.kind == Thread.Kind.IDEA
    assert idea.thread.space == places.ideas
    assert idea.thread.author == cast.bob


def test_idea_outside_an_ideas_space_is_refused(cast: Cast, places: Places) -> None:
    with pytest.raises(ActionError) as refused:
        check_create_idea(cast.bob, places.forum, title="Dark mode", body_md="Please.")
    assert (refused.value.status, refused.value.field) == (400, "space")
    assert Thread.objects.count() == 0
    assert Idea.objects.count() == 0


def test_idea_with_empty_body_writes_nothing(cast: Cast, places: Places) -> None:
    with pytest.raises(ActionError) as refused:
        check_create_idea(cast.bob, places.ideas, title="Dark mode", body_md="   ")
    assert (refused.value.status, refused.value.field) == (400, "body")
    assert Thread.objects.count() == 0
    assert Idea.objects.count() == 0


def test_vote_once_then_twice_is_refused(cast: Cast, idea: Idea) -> None:
    check_vote_idea(cast.bob, idea)
    with pytest.raises(ActionError) as refused:
        check_vote_idea(cast.bob, idea)
    assert refused.value.status == 409
    assert refused.value.message == "You have already voted for this idea."
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert list(IdeaVote.objects.values_list("member__username", flat=True)) == ["bob"]


def test_votes_from_different_members_add_up(cast: Cast, idea: Idea) -> None:
    for member in (cast.alice, cast.bob, cast.sam):
        check_vote_idea(member, idea)
    idea.refresh_from_db()
    assert idea.vote_count == 3


def test_unvote_removes_the_vote(cast: Cast, idea: Idea) -> None:
    check_vote_idea(cast.bob, idea)
    check_vote_idea(cast.pat, idea)
    check_unvote_idea(cast.bob, idea)
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert list(IdeaVote.objects.values_list("member__username", flat=True)) == ["pat"]
    with pytest.raises(ActionError) as refused:
        check_unvote_idea(cast.bob, idea)
    assert refused.value.status == 409
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_voting_is_closed_on_done_ideas(cast: Cast, idea: Idea) -> None:
    do_vote_idea(cast.bob, idea)
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.DONE)
    idea.refresh_from_db()
    with pytest.raises(ActionError) as refused:
        check_vote_idea(cast.pat, idea)
    assert (refused.value.status, refused.value.message) == (
        409,
        "Voting is closed: this idea is done.",
    )
    with pytest.raises(ActionError):
        check_unvote_idea(cast.bob, idea)
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert IdeaVote.objects.count() == 1


def test_staff_status_change_notifies_voters_and_author(
    cast: Cast, idea: Idea, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    do_vote_idea(cast.bob, idea)
    do_vote_idea(cast.pat, idea)
    do_vote_idea(cast.sam, idea)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        change = check_change_idea_status(
            cast.sam, idea, status="planned", explanation="  Coming in the spring release.  "
        )
    idea.refresh_from_db()
    assert idea.status == "planned"
    assert idea.status_changed_at is not None
    assert idea.status_changed_at >= before
    assert (change.from_status, change.to_status, change.changed_by) == ("new", "planned", cast.sam)
    assert change.explanation == "Coming in the spring release."
    notified = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.idea_id, n.actor_id) for n in notified] == [
        ("alice", "idea_status", idea.pk, cast.sam.pk),
        ("bob", "idea_status", idea.pk, cast.sam.pk),
        ("pat", "idea_status", idea.pk, cast.sam.pk),
    ]
    assert notified[0].text == "“Sunrise scene” is now Planned: Coming in the spring release."


@pytest.mark.parametrize("who", ["maya", "ada"])
def test_moderators_and_admins_may_change_status(cast: Cast, idea: Idea, who: str) -> None:
    check_change_idea_status(getattr(cast, who), idea, status="declined", explanation="No.")
    idea.refresh_from_db()
    assert idea.status == "declined"


@pytest.mark.parametrize("who", ["alice", "bob", "pat"])
def test_status_change_is_refused_for_non_staff(
    cast: Cast,
    idea: Idea,
    who: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    do_vote_idea(cast.bob, idea)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ActionError) as refused,
    ):
        check_change_idea_status(getattr(cast, who), idea, status="done", explanation="Done!")
    assert refused.value.status == 403
    assert callbacks == []
    idea.refresh_from_db()
    assert (idea.status, idea.status_changed_at) == ("new", None)
    assert IdeaStatusChange.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "explanation", "field"),
    [
        ("planned", "", "explanation"),
        ("planned", "   \n ", "explanation"),
        ("someday", "Why not", "status"),
        ("new", "Still new", "status"),
    ],
)
def test_status_change_needs_a_new_status_and_an_explanation(
    cast: Cast, idea: Idea, status: str, explanation: str, field: str
) -> None:
    with pytest.raises(ActionError) as refused:
        check_change_idea_status(cast.sam, idea, status=status, explanation=explanation)
    assert (refused.value.status, refused.value.field) == (400, field)
    idea.refresh_from_db()
    assert idea.status == "new"
    assert IdeaStatusChange.objects.count() == 0
