"""Members in the JSON API: profiles, the directory, follow and connect."""

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.text import slugify
from ninja import Query, Router, Schema
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, MemberRef, Page, member_ref
from cluetrain.members import actions, queries
from cluetrain.members.access import access_connection, access_member
from cluetrain.members.actions import MAX_TAGS, TAG_MAX_CHARS
from cluetrain.members.lookup import LIMIT, MAX_TEXT, check_suggest_members
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.topics.models import Topic

router = Router(tags=["members"])

TagName = Annotated[str, Field(min_length=1, max_length=TAG_MAX_CHARS)]


class ProfileOut(Schema):
    username: str
    name: str
    role: str
    organization: str | None
    headline: str
    location: str
    bio: str
    expertise: list[str]
    interests: list[str]
    followers: int
    following: int
    connections: int


class RelationOut(Schema):
    username: str
    following: bool
    connect_state: Literal["", "connected", "sent", "received"]
    request_id: int | None


class MemberPage(Page):
    items: list[MemberRef]


class DirectoryFilters(PageParams):
    q: str | None = Field(None, max_length=150)
    expertise: str | None = Field(None, max_length=80)
    location: str | None = Field(None, max_length=200)
    role: Literal["customer", "staff", "partner", "moderator", "admin"] | None = None


class LookupFilters(Schema):
    q: str = Field(min_length=1, max_length=MAX_TEXT)
    limit: int = Field(LIMIT, ge=1, le=20)


class LookupOut(Schema):
    items: list[MemberRef]
    # True when nobody matched the text as typed and `items` are a guess (a typo's).
    similar: bool


class ProfileIn(Input):
    display_name: str | None = Field(None, min_length=1, max_length=150)
    headline: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=200)
    bio: str | None = Field(None, max_length=5000)
    expertise: list[TagName] | None = Field(None, max_length=MAX_TAGS)
    interests: list[TagName] | None = Field(None, max_length=MAX_TAGS)


class ConnectionOut(Schema):
    id: int
    from_member: MemberRef
    to_member: MemberRef
    status: str
    created_at: datetime
    responded_at: datetime | None


class ConnectionPage(Page):
    items: list[ConnectionOut]


class ConnectionFilters(PageParams):
    state: Literal["incoming", "outgoing", "connected"] = "connected"


class RespondIn(Input):
    decision: Literal["accept", "decline"]


def _profile_out(person: Member) -> ProfileOut:
    profile = Profile.objects.prefetch_related("expertise", "interests").filter(member=person)
    found = profile.first()
    counts = queries.tie_counts(person)
    return ProfileOut(
        username=person.username,
        name=person.name,
        role=person.role,
        organization=person.organization.name if person.organization else None,
        headline=found.headline if found else "",
        location=found.location if found else "",
        bio=found.bio if found else "",
        expertise=[t.name for t in found.expertise.all()] if found else [],
        interests=[t.name for t in found.interests.all()] if found else [],
        followers=counts.followers,
        following=counts.following,
        connections=counts.connections,
    )


def _relation_out(request: HttpRequest, person: Member) -> RelationOut:
    relation = queries.relation(viewer(request), person)
    return RelationOut(
        username=person.username,
        following=relation.following,
        connect_state=relation.connect_state,  # type: ignore[arg-type]
        request_id=relation.request_id,
    )


@router.get("/me", response=ProfileOut)
def me(request: HttpRequest) -> ProfileOut:
    return _profile_out(member(request))


@router.patch("/me/profile", response=ProfileOut)
def edit_profile(request: HttpRequest, payload: ProfileIn) -> ProfileOut:
    """Fields left out keep their value."""
    who = member(request)
    current = Profile.objects.prefetch_related("expertise", "interests").filter(member=who).first()

    def keep(value: str | None, old: str) -> str:
        return old if value is None else value

    actions.check_edit_profile(
        who,
        display_name=keep(payload.display_name, who.display_name),
        headline=keep(payload.headline, current.headline if current else ""),
        location=keep(payload.location, current.location if current else ""),
        bio=keep(payload.bio, current.bio if current else ""),
        expertise=actions.parse_tags(",".join(payload.expertise))
        if payload.expertise is not None
        else [t.name for t in current.expertise.all()]
        if current
        else [],
        interests=actions.parse_tags(",".join(payload.interests))
        if payload.interests is not None
        else [t.name for t in current.interests.all()]
        if current
        else [],
    )
    return _profile_out(who)


@router.get("/members", response=MemberPage, auth=READ_AUTH)
def directory(request: HttpRequest, filters: Query[DirectoryFilters]) -> MemberPage:
    """The people directory, filtered as on the people page."""
    people = Member.objects.filter(is_active=True)
    if filters.q:
        people = people.filter(
            Q(username__icontains=filters.q) | Q(display_name__icontains=filters.q)
        )
    if filters.expertise:
        topics = Topic.objects.filter(
            Q(slug=slugify(filters.expertise)) | Q(name__icontains=filters.expertise)
        )
        people = people.filter(profile__in=Profile.objects.filter(expertise__in=topics))
    if filters.location:
        people = people.filter(profile__location__icontains=filters.location)
    if filters.role:
        people = people.filter(role=filters.role)
    rows, next_cursor = paginate(people, ("username", "pk"), filters)
    return MemberPage(items=[member_ref(m) for m in rows], next=next_cursor)  # type: ignore[misc]


@router.get("/lookup/members", response=LookupOut, url_name="member_lookup")
def lookup(request: HttpRequest, filters: Query[LookupFilters]) -> LookupOut:
    """Suggestions while typing a person's name in a form: members whose username or name
    starts with the text (accents and case ignored), the exact @username first."""
    found = check_suggest_members(member(request), filters.q, filters.limit)
    return LookupOut(items=[member_ref(m) for m in found.choices], similar=found.similar)  # type: ignore[misc]


@router.get("/members/{username}", response=ProfileOut, auth=READ_AUTH)
def profile(request: HttpRequest, username: str) -> ProfileOut:
    return _profile_out(access_member(username))


@router.post("/members/{username}/follow", response=RelationOut)
def follow(request: HttpRequest, username: str) -> RelationOut:
    person = access_member(username)
    actions.check_follow(member(request), person)
    return _relation_out(request, person)


@router.delete("/members/{username}/follow", response=RelationOut)
def unfollow(request: HttpRequest, username: str) -> RelationOut:
    person = access_member(username)
    actions.do_unfollow(member(request), person)
    return _relation_out(request, person)


@router.post("/members/{username}/connection", response=RelationOut)
def connect(request: HttpRequest, username: str) -> RelationOut:
    """Ask to connect; if they asked first, this accepts their request."""
    person = access_member(username)
    actions.check_request_connection(member(request), person)
    return _relation_out(request, person)


@router.delete("/members/{username}/connection", response=RelationOut)
def disconnect(request: HttpRequest, username: str) -> RelationOut:
    """End a connection, or withdraw a request, in either direction."""
    person = access_member(username)
    actions.do_disconnect(member(request), person)
    return _relation_out(request, person)


def _connection_out(connection: Connection) -> ConnectionOut:
    return ConnectionOut(
        id=connection.pk,
        from_member=member_ref(connection.from_member),  # type: ignore[arg-type]
        to_member=member_ref(connection.to_member),  # type: ignore[arg-type]
        status=connection.status,
        created_at=connection.created_at,
        responded_at=connection.responded_at,
    )


@router.get("/connections", response=ConnectionPage)
def list_connections(request: HttpRequest, filters: Query[ConnectionFilters]) -> ConnectionPage:
    """Requests to me (`incoming`), mine (`outgoing`; declined ones read as pending, as in
    the pages), or accepted connections either way (`connected`)."""
    who = member(request)
    rows = Connection.objects.filter(kind=Connection.Kind.CONNECT).select_related(
        "from_member", "to_member"
    )
    if filters.state == "incoming":
        rows = rows.filter(to_member=who, status=Connection.Status.PENDING)
    elif filters.state == "outgoing":
        rows = rows.filter(
            from_member=who,
            status__in=[Connection.Status.PENDING, Connection.Status.DECLINED],
        )
    else:
        rows = rows.filter(Q(from_member=who) | Q(to_member=who), status=Connection.Status.ACCEPTED)
    found, next_cursor = paginate(rows, ("-created_at", "-pk"), filters)
    items = [_connection_out(c) for c in found]
    if filters.state == "outgoing":
        for item in items:
            item.status = Connection.Status.PENDING
    return ConnectionPage(items=items, next=next_cursor)


@router.post("/connections/{int:connection_id}/respond", response=ConnectionOut)
def respond(request: HttpRequest, connection_id: int, payload: RespondIn) -> ConnectionOut:
    who = member(request)
    connection = access_connection(who, connection_id)
    actions.check_respond_to_connection(who, connection, accept=payload.decision == "accept")
    return _connection_out(connection)
