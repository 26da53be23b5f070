"""Idea jams in the JSON API: list, create (staff), post an idea, themes and their moderation,
hosts' highlights, the report."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.schemas import BodyMd, Input, MemberRef, member_ref
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.jams.access import access_jam, access_theme, readable_jams
from cluetrain.jams.actions import (
    LABEL_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    SPLIT_MAX_POSTS,
    TITLE_MAX_CHARS,
    check_create_jam,
    check_highlight,
    check_merge_themes,
    check_post_idea,
    check_rename_theme,
    check_split_theme,
    check_usernames,
    jam_state,
)
from cluetrain.jams.models import Jam, Theme
from cluetrain.jams.report import jam_posts, report
from cluetrain.threads.actions import TITLE_MAX_CHARS as IDEA_TITLE_MAX_CHARS

router = Router(tags=["jams"])


class JamOut(Schema):
    slug: str
    title: str
    question: str
    starts_at: datetime
    ends_at: datetime
    audience: str
    state: str
    hosts: list[MemberRef]


class JamIn(Input):
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    question: str = Field(min_length=1, max_length=QUESTION_MAX_CHARS)
    starts_at: datetime
    ends_at: datetime
    audience: str = Field("everyone", max_length=10)
    hosts: list[str] = Field(min_length=1, max_length=20)
    moderators: list[str] = Field(default_factory=list, max_length=50)
    invited: list[str] = Field(default_factory=list, max_length=500)


class JamIdeaIn(Input):
    title: str = Field(min_length=1, max_length=IDEA_TITLE_MAX_CHARS)
    body_md: BodyMd


class JamIdeaOut(Schema):
    idea_id: int
    thread_id: int


class ThemeOut(Schema):
    id: int
    label: str
    label_pinned: bool
    size: int
    key_phrases: list[str]
    representative_post_ids: list[int]
    merged_into: int | None


class RenameIn(Input):
    label: str = Field(min_length=1, max_length=LABEL_MAX_CHARS)


class SplitIn(Input):
    label: str = Field(min_length=1, max_length=LABEL_MAX_CHARS)
    posts: list[int] = Field(default_factory=list, max_length=SPLIT_MAX_POSTS)


class HighlightIn(Input):
    note: str = Field("", max_length=NOTE_MAX_CHARS)


class HighlightOut(Schema):
    id: int
    post_id: int
    note: str


class PointOut(Schema):
    at: str
    posts: int


class ContributorOut(Schema):
    member: MemberRef | None
    posts: int


class ReportOut(Schema):
    state: str
    posts: int
    ideas: int
    participants: int
    themes: list[ThemeOut]
    participation_unit: str
    participation: list[PointOut]
    top_contributors: list[ContributorOut]
    taken_forward: list[JamIdeaOut]


def _jam_out(jam: Jam) -> JamOut:
    return JamOut(
        slug=jam.slug,
        title=jam.title,
        question=jam.question,
        starts_at=jam.starts_at,
        ends_at=jam.ends_at,
        audience=jam.audience,
        state=jam_state(jam),
        hosts=[ref for ref in (member_ref(h) for h in jam.hosts.all()) if ref is not None],
    )


def _theme_out(theme: Theme) -> ThemeOut:
    return ThemeOut(
        id=theme.pk,
        label=theme.label,
        label_pinned=theme.label_pinned,
        size=theme.size,
        key_phrases=list(theme.key_phrases),
        representative_post_ids=list(theme.representative_ids),
        merged_into=theme.merged_into_id,
    )


@router.get("/jams", response=list[JamOut], auth=READ_AUTH)
def list_jams(request: HttpRequest) -> list[JamOut]:
    return [_jam_out(jam) for jam in readable_jams(viewer(request))[:100]]


@router.post("/jams", response={201: JamOut})
def create_jam(request: HttpRequest, payload: JamIn) -> Status[JamOut]:
    """Staff only. Hosts are staff; `invited` only for the audience "invited"."""
    who = member(request)
    if not who.is_company_staff:
        raise ActionError(gettext("Only staff can create jams."), status=403)
    jam = check_create_jam(
        who,
        title=payload.title,
        question=payload.question,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        audience=payload.audience,
        hosts=check_usernames(",".join(payload.hosts), "hosts"),
        moderators=check_usernames(",".join(payload.moderators), "moderators"),
        invited=check_usernames(",".join(payload.invited), "invited"),
    )
    return Status(201, _jam_out(jam))


@router.get("/jams/{slug}", response=JamOut, auth=READ_AUTH)
def get_jam(request: HttpRequest, slug: str) -> JamOut:
    return _jam_out(access_jam(viewer(request), slug))


@router.post("/jams/{slug}/ideas", response={201: JamIdeaOut})
def post_idea(request: HttpRequest, slug: str, payload: JamIdeaIn) -> Status[JamIdeaOut]:
    """Refused (403, with the reason) outside the jam's window or audience."""
    who = member(request)
    idea = check_post_idea(who, access_jam(who, slug), title=payload.title, body_md=payload.body_md)
    return Status(201, JamIdeaOut(idea_id=idea.pk, thread_id=idea.thread_id))


@router.get("/jams/{slug}/themes", response=list[ThemeOut], auth=READ_AUTH)
def list_themes(request: HttpRequest, slug: str) -> list[ThemeOut]:
    jam = access_jam(viewer(request), slug)
    return [_theme_out(t) for t in Theme.objects.filter(jam=jam, merged_into__isnull=True)]


@router.post("/jams/{slug}/themes/{int:theme_id}/rename", response=ThemeOut)
def rename_theme(request: HttpRequest, slug: str, theme_id: int, payload: RenameIn) -> ThemeOut:
    """Hosts and moderators: the name is kept by later clustering."""
    who = member(request)
    theme = access_theme(who, access_jam(who, slug), theme_id)
    return _theme_out(check_rename_theme(who, theme, payload.label))


@router.post("/jams/{slug}/themes/{int:theme_id}/merge/{int:into_id}", response=ThemeOut)
def merge_theme(request: HttpRequest, slug: str, theme_id: int, into_id: int) -> ThemeOut:
    """Hosts and moderators: every post of the theme moves into `into_id`, for good."""
    who = member(request)
    jam = access_jam(who, slug)
    theme = access_theme(who, jam, theme_id)
    return _theme_out(check_merge_themes(who, theme, access_theme(who, jam, into_id)))


@router.post("/jams/{slug}/themes/{int:theme_id}/split/{int:post_id}", response={201: ThemeOut})
def split_theme(
    request: HttpRequest, slug: str, theme_id: int, post_id: int, payload: SplitIn
) -> Status[ThemeOut]:
    """Hosts and moderators: the post in the path (and any in `posts`) make a new theme."""
    who = member(request)
    theme = access_theme(who, access_jam(who, slug), theme_id)
    new = check_split_theme(who, theme, [post_id, *payload.posts], payload.label)
    return Status(201, _theme_out(new))


@router.post("/jams/{slug}/posts/{int:post_id}/highlight", response={201: HighlightOut})
def highlight(
    request: HttpRequest, slug: str, post_id: int, payload: HighlightIn
) -> Status[HighlightOut]:
    """The jam's hosts only: the post is shown under "Hosts' highlights"."""
    who = member(request)
    jam = access_jam(who, slug)
    post = jam_posts(jam).filter(pk=post_id).select_related("thread").first()
    if post is None:
        raise not_found(gettext("No such post."))
    made = check_highlight(who, jam, post, payload.note)
    return Status(201, HighlightOut(id=made.pk, post_id=post.pk, note=made.note))


@router.get("/jams/{slug}/report", response=ReportOut, auth=READ_AUTH)
def get_report(request: HttpRequest, slug: str) -> ReportOut:
    """The report (so far, while the jam runs)."""
    jam = access_jam(viewer(request), slug)
    data = report(jam)
    chart = data["chart"]
    return ReportOut(
        state=jam_state(jam),
        posts=data["posts"],
        ideas=data["ideas"],
        participants=data["participants"],
        themes=[_theme_out(view.theme) for view in data["themes"]],
        participation_unit=chart["unit"],
        participation=[PointOut(at=at.isoformat(), posts=n) for at, n in chart["slots"]],
        top_contributors=[
            ContributorOut(member=member_ref(m), posts=n) for m, n in data["top_contributors"]
        ],
        taken_forward=[
            JamIdeaOut(idea_id=idea.pk, thread_id=idea.thread_id) for idea in data["taken_forward"]
        ],
    )
