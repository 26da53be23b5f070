"""Read-side helpers for member pages: counts, the viewer's ties to a member, connection lists."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cluetrain.members.access import Viewer
from cluetrain.members.models import Connection, Member, Profile

CONNECT = Connection.Kind.CONNECT
FOLLOW = Connection.Kind.FOLLOW
ACCEPTED = Connection.Status.ACCEPTED
PENDING = Connection.Status.PENDING


@dataclass(frozen=True)
class TieCounts:
    followers: int
    following: int
    connections: int


@dataclass(frozen=True)
class Relation:
    """How the viewer stands with a member, for the follow / connect buttons."""

    is_self: bool = False
    following: bool = False
    # "", "connected", "sent" (the viewer asked; declined reads as sent) or "received".
    connect_state: str = ""
    request_id: int | None = None


def tie_counts(member: Member) -> TieCounts:
    """Followers, following and accepted connections, in one query."""
    counts = Connection.objects.filter(Q(from_member=member) | Q(to_member=member)).aggregate(
        followers=Count("pk", filter=Q(kind=FOLLOW, to_member=member)),
        following=Count("pk", filter=Q(kind=FOLLOW, from_member=member)),
        connections=Count("pk", filter=Q(kind=CONNECT, status=ACCEPTED)),
    )
    return TieCounts(**counts)


def relation(viewer: Viewer, member: Member) -> Relation:
    if not viewer.is_authenticated:
        return Relation()
    if viewer.pk == member.pk:
        return Relation(is_self=True)
    ties = Connection.objects.filter(
        Q(from_member=viewer, to_member=member) | Q(from_member=member, to_member=viewer)
    ).exclude(kind=Connection.Kind.TRUST)
    following = False
    state = ""
    request_id = None
    for tie in ties:
        if tie.kind == FOLLOW:
            following = following or tie.from_member_id == viewer.pk
        elif tie.status == ACCEPTED:
            state = "connected"
        elif tie.from_member_id == viewer.pk:
            state = state or "sent"
        elif tie.status == PENDING:
            state = state or "received"
            request_id = tie.pk
    return Relation(following=following, connect_state=state, request_id=request_id)


def connected_members(member: Member, limit: int | None = None) -> list[Member]:
    """The other side of each accepted connection, newest first."""
    ties: QuerySet[Connection] = (
        Connection.objects.filter(kind=CONNECT, status=ACCEPTED)
        .filter(Q(from_member=member) | Q(to_member=member))
        .select_related("from_member__profile", "to_member__profile")
        .order_by("-responded_at", "-pk")
    )
    if limit is not None:
        ties = ties[:limit]
    return [t.to_member if t.from_member_id == member.pk else t.from_member for t in ties]


def suggested_people(member: Member, limit: int = 8) -> list[Member]:
    """People to follow after signing up: those whose expertise or interests share a topic
    with the member's interests first, then the most followed; never oneself, nor people
    already followed, nor deleted accounts."""
    topics = list(
        Profile.interests.through.objects.filter(profile__member=member).values_list(
            "topic_id", flat=True
        )
    )
    followed = Connection.objects.filter(from_member=member, kind=FOLLOW).values("to_member")
    expertise = Profile.expertise.through.objects.filter(
        profile__member=OuterRef("pk"), topic__in=topics
    )
    interests = Profile.interests.through.objects.filter(
        profile__member=OuterRef("pk"), topic__in=topics
    )
    followers = Connection.objects.filter(to_member=OuterRef("pk"), kind=FOLLOW)
    return list(
        Member.objects.filter(is_active=True)
        .exclude(pk=member.pk)
        .exclude(pk__in=followed)
        .select_related("profile")
        .annotate(
            shared=_count(expertise, "profile") + _count(interests, "profile"),
            followers=_count(followers, "to_member"),
        )
        .order_by("-shared", "-followers", "username")[:limit]
    )


def _count(rows: QuerySet[Any], group: str) -> Coalesce:
    counted = rows.values(group).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
