"""The demo's ideas at scale: duplicates posted and merged, and decisions explained."""

from django.db import transaction

from cluetrain.ideas.actions import (
    do_change_idea_status,
    do_create_idea,
    do_follow_idea,
    do_merge_ideas,
    do_vote_idea,
)
from cluetrain.ideas.models import Idea
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space

DUPLICATE_TITLES = ("{title} (again)", "Please: {title}")
DECISIONS = (
    ("under_review", "We are looking into this with the firmware team; expect news this month."),
    ("planned", "Planned for the spring release: it was one of the most asked-for ideas."),
    ("in_progress", "Being built now; beta testers will get it first."),
    ("done", "Shipped in the latest update. Thank you to everyone who voted and explained why."),
    ("declined", "Not now: it would drain the hub's battery backup. Here is what we do instead."),
)


def plant_duplicates_and_decisions(email_domain: str) -> str | None:
    """Post two duplicates and merge them, then explain five status changes; say what."""
    space = Space.objects.filter(kind=Space.Kind.IDEAS).order_by("pk").first()
    staff = Member.objects.filter(
        role=Member.Role.STAFF, email__endswith=f"@{email_domain}"
    ).first()
    members = list(
        Member.objects.filter(role=Member.Role.CUSTOMER, email__endswith=f"@{email_domain}")
        .order_by("pk")
        .only("pk")[:40]
    )
    open_ideas = list(
        Idea.objects.filter(thread__space=space, status=Idea.Status.NEW, merged_into=None)
        .select_related("thread")
        .order_by("-vote_count", "pk")[: 2 + len(DECISIONS)]
    )
    if space is None or staff is None or len(members) < 10 or len(open_ideas) < 7:
        return None
    with transaction.atomic():
        merged = 0
        for n, original in enumerate(open_ideas[:2]):
            author = members[n]
            duplicate = do_create_idea(
                author,
                space,
                title=DUPLICATE_TITLES[n].format(title=original.thread.title),
                body_md="I would love this too; it would save me time every evening.",
            )
            # Some voters of the duplicate voted for the original too: they keep one vote.
            voters = set(original.votes.values_list("member_id", flat=True)[:3])
            for member in members[2 + 4 * n : 8 + 4 * n]:
                if member.pk not in voters:
                    do_vote_idea(member, duplicate)
            do_follow_idea(members[-1 - n], duplicate, follow=True)
            do_merge_ideas(staff, duplicate, original)
            merged += 1
        for idea, (status, explanation) in zip(open_ideas[2:], DECISIONS, strict=True):
            do_change_idea_status(staff, idea, status=status, explanation=explanation)
    return (
        f"{merged} duplicate ideas were merged and {len(DECISIONS)} decisions explained to "
        "their voters (/ideas/roadmap/, /ideas/ranking/)"
    )
