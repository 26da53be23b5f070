"""Verbs on ideas. `check_*` validates and refuses; `do_*` writes.

An idea is a thread of kind "idea" in an ideas space plus one Idea row with its votes and a
status that staff change in public, always with an explanation, and voters are told.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.ideas.events import IdeaCreated, IdeaStatusChanged, IdeaVoted
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
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
        raise ActionError("Ideas go in an ideas space; choose one.", field="space")
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
            f"Voting is closed: this idea is {idea.get_status_display().lower()}.", status=409
        )


def _already_voted() -> ActionError:
    return ActionError("You have already voted for this idea.", status=409)


def check_vote_idea(member: Member, idea: Idea) -> None:
    _check_voting_open(idea)
    if IdeaVote.objects.filter(idea=idea, member=member).exists():
        raise _already_voted()
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
        raise ActionError("You have not voted for this idea.", status=409)


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
        raise ActionError("Only staff can change the status of an idea.", status=403)


def check_change_idea_status(
    member: Member, idea: Idea, *, status: str, explanation: str
) -> IdeaStatusChange:
    check_may_change_status(member)
    if status not in Idea.Status.values:
        raise ActionError("Choose one of the listed statuses.", field="status")
    if status == idea.status:
        raise ActionError(
            f"This idea is already {idea.get_status_display().lower()}.", field="status"
        )
    explanation = explanation.strip()
    if not explanation:
        raise ActionError(
            "Explain the change: the explanation is shown to everyone and sent to voters.",
            field="explanation",
        )
    if len(explanation) > EXPLANATION_MAX_CHARS:
        raise ActionError(
            f"Explanations are limited to {EXPLANATION_MAX_CHARS:,} characters.",
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
