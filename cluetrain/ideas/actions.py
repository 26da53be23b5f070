"""Verbs on ideas. `check_*` validates and refuses; `do_*` writes.

An idea is a thread of kind "idea" in an ideas space plus one Idea row with its votes and a
status that staff change in public, always with an explanation, and voters are told.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.ideas.events import IdeaCreated, IdeaMerged, IdeaStatusChanged, IdeaVoted
from cluetrain.ideas.models import Idea, IdeaFollow, IdeaStatusChange, IdeaVote, VoteBudget
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, do_create_thread
from cluetrain.threads.models import Thread

EXPLANATION_MAX_CHARS = 2000


def check_create_idea(
    author: Member, space: Space, *, title: str, body_md: str, product: Product | None = None
) -> Idea:
    if space.kind != Space.Kind.IDEAS:
        raise ActionError(gettext("Ideas go in an ideas space; choose one."), field="space")
    # One transaction: a refused idea leaves no thread behind.
    with transaction.atomic():
        thread = check_create_thread(
            author, space, title=title, body_md=body_md, kind=Thread.Kind.IDEA
        )
        return do_add_idea(thread, author, product)


@transaction.atomic
def do_create_idea(
    author: Member,
    space: Space,
    *,
    title: str,
    body_md: str,
    product: Product | None = None,
    created_at: datetime | None = None,
) -> Idea:
    """For trusted input (the demo, importers): no validation beyond the database's."""
    thread = do_create_thread(
        author, space, title=title, body_md=body_md, kind=Thread.Kind.IDEA, created_at=created_at
    )
    return do_add_idea(thread, author, product)


def do_add_idea(thread: Thread, author: Member, product: Product | None) -> Idea:
    """The Idea row of a thread just written."""
    idea = Idea.objects.create(thread=thread, product=product)
    publish(IdeaCreated(idea_id=idea.pk, thread_id=thread.pk, author_id=author.pk))
    return idea


def _check_voting_open(idea: Idea) -> None:
    if not idea.voting_open:
        raise ActionError(
            gettext("Voting is closed: this idea is %(status)s.")
            % {"status": idea.get_status_display().lower()},
            status=409,
        )


def _already_voted() -> ActionError:
    return ActionError(gettext("You have already voted for this idea."), status=409)


def _open_votes_in_space(member: Member, space_id: int) -> int:
    return (
        IdeaVote.objects.filter(
            member=member, idea__thread__space_id=space_id, idea__merged_into=None
        )
        .exclude(idea__status__in=[Idea.Status.DONE, Idea.Status.DECLINED])
        .count()
    )


def check_vote_idea(member: Member, idea: Idea) -> None:
    _check_voting_open(idea)
    if IdeaVote.objects.filter(idea=idea, member=member).exists():
        raise _already_voted()
    budget = VoteBudget.objects.filter(space_id=idea.thread.space_id).first()
    if budget is not None and _open_votes_in_space(member, budget.space_id) >= budget.votes:
        raise ActionError(
            ngettext(
                "You have used your %(count)s vote in this space: withdraw it from another "
                "open idea to vote for this one.",
                "You have used your %(count)s votes in this space: withdraw a vote from "
                "another open idea to vote for this one.",
                budget.votes,
            )
            % {"count": budget.votes},
            status=409,
        )
    try:
        do_vote_idea(member, idea)
    except IntegrityError:
        # A double click that raced past the check: the unique constraint kept one vote.
        raise _already_voted() from None


@transaction.atomic
def do_vote_idea(member: Member, idea: Idea, *, created_at: datetime | None = None) -> None:
    IdeaVote.objects.create(idea=idea, member=member, created_at=created_at or timezone.now())
    Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
    publish(IdeaVoted(idea_id=idea.pk, member_id=member.pk, voted=True))


def check_unvote_idea(member: Member, idea: Idea) -> None:
    _check_voting_open(idea)
    if not do_unvote_idea(member, idea):
        raise ActionError(gettext("You have not voted for this idea."), status=409)


@transaction.atomic
def do_unvote_idea(member: Member, idea: Idea) -> bool:
    """False when there was no vote to remove."""
    deleted, _ = IdeaVote.objects.filter(idea=idea, member=member).delete()
    if not deleted:
        return False
    Idea.objects.filter(pk=idea.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
    publish(IdeaVoted(idea_id=idea.pk, member_id=member.pk, voted=False))
    return True


def check_may_change_status(member: Member) -> None:
    if not member.is_company_staff:
        raise ActionError(gettext("Only staff can change the status of an idea."), status=403)


def check_change_idea_status(
    member: Member, idea: Idea, *, status: str, explanation: str
) -> IdeaStatusChange:
    check_may_change_status(member)
    if status not in Idea.Status.values:
        raise ActionError(gettext("Choose one of the listed statuses."), field="status")
    if status == idea.status:
        raise ActionError(
            gettext("This idea is already %(status)s.")
            % {"status": idea.get_status_display().lower()},
            field="status",
        )
    explanation = explanation.strip()
    if not explanation:
        raise ActionError(
            gettext("Explain the change: the explanation is shown to everyone and sent to voters."),
            field="explanation",
        )
    if len(explanation) > EXPLANATION_MAX_CHARS:
        raise ActionError(
            gettext("Explanations are limited to %(limit)s characters.")
            % {"limit": number_format(EXPLANATION_MAX_CHARS, force_grouping=True)},
            field="explanation",
        )
    return do_change_idea_status(member, idea, status=status, explanation=explanation)


@transaction.atomic
def do_change_idea_status(
    member: Member | None, idea: Idea, *, status: str, explanation: str
) -> IdeaStatusChange:
    # Lock the row so that two staff changing it at once each record the true previous status.
    current = Idea.objects.select_for_update().get(pk=idea.pk)
    now = timezone.now()
    change = IdeaStatusChange.objects.create(
        idea=current,
        from_status=current.status,
        to_status=status,
        explanation=explanation,
        changed_by=member,
        created_at=now,
    )
    Idea.objects.filter(pk=idea.pk).update(status=status, status_changed_at=now)
    idea.status, idea.status_changed_at = status, now
    publish(
        IdeaStatusChanged(
            change_id=change.pk,
            idea_id=idea.pk,
            from_status=change.from_status,
            to_status=status,
            changed_by_id=member.pk if member is not None else None,
        )
    )
    return change


def check_set_vote_budget(member: Member, space: Space, *, votes: int | None) -> None:
    """Staff limit the open ideas a member may vote for in an ideas space (None: no limit)."""
    check_may_change_status(member)
    if space.kind != Space.Kind.IDEAS:
        raise ActionError(gettext("Vote budgets apply to ideas spaces."), field="space")
    if votes is not None and not 1 <= votes <= 1000:
        raise ActionError(gettext("A budget is between 1 and 1,000 votes."), field="votes")
    do_set_vote_budget(member, space, votes=votes)


def do_set_vote_budget(member: Member | None, space: Space, *, votes: int | None) -> None:
    if votes is None:
        VoteBudget.objects.filter(space=space).delete()
        return
    VoteBudget.objects.update_or_create(
        space=space, defaults={"votes": votes, "set_by": member, "updated_at": timezone.now()}
    )


def check_follow_idea(member: Member, idea: Idea, *, follow: bool) -> None:
    if idea.merged_into_id is not None:
        raise ActionError(
            gettext("This idea was merged: follow the idea it was merged into."), status=409
        )
    do_follow_idea(member, idea, follow=follow)


def do_follow_idea(member: Member, idea: Idea, *, follow: bool) -> None:
    """Idempotent: following twice keeps one follow."""
    if follow:
        IdeaFollow.objects.get_or_create(
            idea=idea, member=member, defaults={"created_at": timezone.now()}
        )
    else:
        IdeaFollow.objects.filter(idea=idea, member=member).delete()


def check_may_merge(member: Member) -> None:
    if not member.is_company_staff:
        raise ActionError(gettext("Only staff can merge ideas."), status=403)


def check_merge_ideas(member: Member, duplicate: Idea, survivor: Idea) -> IdeaMerged:
    check_may_merge(member)
    if duplicate.pk == survivor.pk:
        raise ActionError(gettext("An idea cannot be merged into itself."), field="into")
    if duplicate.merged_into_id is not None:
        raise ActionError(gettext("This idea was already merged."), status=409)
    if survivor.merged_into_id is not None:
        raise ActionError(
            gettext("That idea was itself merged: merge into the idea it points to."), field="into"
        )
    return do_merge_ideas(member, duplicate, survivor)


@transaction.atomic
def do_merge_ideas(member: Member | None, duplicate: Idea, survivor: Idea) -> IdeaMerged:
    """Move votes and followers once per member, point the duplicate at the survivor.

    A member who voted for both keeps one vote; the duplicate's author and voters follow the
    survivor, so they hear of its status changes.
    """
    locked = {
        i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[duplicate.pk, survivor.pk])
    }
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    voted = set(survivor.votes.values_list("member_id", flat=True))
    moving = duplicate.votes.exclude(member_id__in=voted)
    votes_moved = moving.update(idea=survivor)
    duplicate.votes.all().delete()
    following = set(survivor.follows.values_list("member_id", flat=True))
    followers = set(duplicate.follows.values_list("member_id", flat=True))
    if duplicate.thread.author_id is not None:
        followers.add(duplicate.thread.author_id)
    new_followers = sorted(followers - following)
    now = timezone.now()
    IdeaFollow.objects.bulk_create(
        [IdeaFollow(idea=survivor, member_id=m, created_at=now) for m in new_followers]
    )
    Idea.objects.filter(pk=survivor.pk).update(vote_count=survivor.votes.count())
    Idea.objects.filter(pk=duplicate.pk).update(
        vote_count=0, merged_into=survivor, merged_at=now, merged_by=member
    )
    event = IdeaMerged(
        idea_id=duplicate.pk,
        into_id=survivor.pk,
        merged_by_id=member.pk if member is not None else None,
        votes_moved=votes_moved,
        followers_moved=len(new_followers),
    )
    publish(event)
    return event
