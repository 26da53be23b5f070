"""Flags and moderation in the JSON API: flag a post; the queue, resolve, hide/lock/move, log;
the contributions the spam filter held, and moderators' decisions on them."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, MemberRef, Page, member_ref
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.moderation.access import access_flag, access_screening
from cluetrain.moderation.actions import (
    NOTE_MAX_CHARS,
    REASON_MAX_CHARS,
    check_decide_held,
    check_flag_post,
    check_moderate_post,
    check_moderate_thread,
    check_resolve_flag,
    false_hold_rate,
)
from cluetrain.moderation.models import Flag, ModerationAction, Screening
from cluetrain.spaces.access import readable_spaces
from cluetrain.threads.access import access_post, access_thread
from cluetrain.threads.schemas import PostOut, ThreadOut, post_out, thread_out

router = Router(tags=["moderation"])


class FlagIn(Input):
    reason: Literal["spam", "abuse", "off_topic", "other"]
    note: str = Field("", max_length=NOTE_MAX_CHARS)


class FlagOut(Schema):
    id: int
    post_id: int
    thread_id: int
    reporter: MemberRef | None
    reason: str
    note: str
    status: str
    created_at: datetime
    resolved_by: MemberRef | None
    resolved_at: datetime | None


class FlagPage(Page):
    items: list[FlagOut]


class ResolveIn(Input):
    decision: Literal["uphold", "dismiss"]
    reason: str = Field("", max_length=REASON_MAX_CHARS)


class PostModerationIn(Input):
    action: Literal["hide", "unhide"]
    reason: str = Field("", max_length=REASON_MAX_CHARS)


class ThreadModerationIn(Input):
    action: Literal["hide", "unhide", "lock", "unlock", "pin", "unpin", "move"]
    reason: str = Field("", max_length=REASON_MAX_CHARS)
    space: str | None = Field(None, max_length=80, description="Where to move the thread.")


class LogEntryOut(Schema):
    id: int
    actor: MemberRef | None
    action: str
    thread_id: int | None
    post_id: int | None
    target_member: MemberRef | None
    reason: str
    details: dict[str, Any]
    created_at: datetime


class LogPage(Page):
    items: list[LogEntryOut]


def _moderator(request: HttpRequest) -> Member:
    # As moderator_required does for the pages: refused before anything is looked up.
    who = member(request)
    if not who.can_moderate:
        raise ActionError(gettext("Only moderators can do this."), status=403)
    return who


def _flag_out(flag: Flag) -> FlagOut:
    return FlagOut(
        id=flag.pk,
        post_id=flag.post_id,
        thread_id=flag.post.thread_id,
        reporter=member_ref(flag.reporter),
        reason=flag.reason,
        note=flag.note,
        status=flag.status,
        created_at=flag.created_at,
        resolved_by=member_ref(flag.resolved_by),
        resolved_at=flag.resolved_at,
    )


@router.post("/posts/{int:post_id}/flags", response={201: FlagOut})
def flag_post(request: HttpRequest, post_id: int, payload: FlagIn) -> Status[FlagOut]:
    post = access_post(viewer(request), post_id)
    flag = check_flag_post(member(request), post, reason=payload.reason, note=payload.note)
    return Status(201, _flag_out(flag))


@router.get("/moderation/flags", response=FlagPage)
def flag_queue(request: HttpRequest, page: Query[PageParams]) -> FlagPage:
    """Open flags, oldest first."""
    _moderator(request)
    flags = Flag.objects.filter(status=Flag.Status.OPEN).select_related(
        "post", "reporter", "resolved_by"
    )
    rows, next_cursor = paginate(flags, ("created_at", "pk"), page)
    return FlagPage(items=[_flag_out(f) for f in rows], next=next_cursor)


@router.post("/moderation/flags/{int:flag_id}/resolve", response=FlagOut)
def resolve_flag(request: HttpRequest, flag_id: int, payload: ResolveIn) -> FlagOut:
    """Uphold hides the post and closes every open flag on it; dismiss closes this one."""
    who = _moderator(request)
    flag = access_flag(flag_id)
    resolved = check_resolve_flag(
        who, flag, uphold=payload.decision == "uphold", reason=payload.reason
    )
    return _flag_out(resolved)


@router.post("/moderation/posts/{int:post_id}", response=PostOut)
def moderate_post(request: HttpRequest, post_id: int, payload: PostModerationIn) -> PostOut:
    who = _moderator(request)
    post = access_post(who, post_id)
    moderated = check_moderate_post(who, post, hide=payload.action == "hide", reason=payload.reason)
    return post_out(moderated, show_hidden=True)


@router.post("/moderation/threads/{int:thread_id}", response=ThreadOut)
def moderate_thread(request: HttpRequest, thread_id: int, payload: ThreadModerationIn) -> ThreadOut:
    """Hide, lock, pin (and undo them), or move the thread to the space named in `space`."""
    who = _moderator(request)
    thread = access_thread(who, thread_id)
    to_space = None
    if payload.action == "move" and payload.space:
        to_space = readable_spaces(who).filter(slug=payload.space).first()
    moderated = check_moderate_thread(
        who, thread, action=payload.action, reason=payload.reason, to_space=to_space
    )
    return thread_out(moderated)


@router.get("/moderation/log", response=LogPage)
def audit_log(request: HttpRequest, page: Query[PageParams]) -> LogPage:
    """Every moderation action, newest first."""
    _moderator(request)
    entries = ModerationAction.objects.select_related("actor", "target_member")
    rows, next_cursor = paginate(entries, ("-created_at", "-pk"), page)
    items = [
        LogEntryOut(
            id=e.pk,
            actor=member_ref(e.actor),
            action=e.action,
            thread_id=e.thread_id,
            post_id=e.post_id,
            target_member=member_ref(e.target_member),
            reason=e.reason,
            details=e.details,
            created_at=e.created_at,
        )
        for e in rows
    ]
    return LogPage(items=items, next=next_cursor)


class HeldOut(Schema):
    id: int
    kind: str
    status: str
    author: MemberRef | None
    post_id: int | None
    thread_id: int | None
    subject_id: int | None = Field(
        description="What another app holds (kind `request`: the personal request's id)."
    )
    title: str | None
    text: str = Field(description="What the filter read (a post's title and body; a profile).")
    score: float
    threshold: float
    reasons: list[str]
    deception_probability: float | None
    created_at: datetime
    decided_by: MemberRef | None
    decided_at: datetime | None


class HeldPage(Page):
    items: list[HeldOut]
    false_hold_rate: float | None = Field(
        description="The share of decided held contributions that moderators approved."
    )
    decided: int


class DecisionIn(Input):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=REASON_MAX_CHARS)


def _held_out(row: Screening) -> HeldOut:
    post = row.post
    return HeldOut(
        id=row.pk,
        kind=row.kind,
        status=row.status,
        author=member_ref(row.author),
        post_id=post.pk if post else None,
        thread_id=post.thread_id if post else None,
        subject_id=row.subject_id,
        title=(
            post.thread.title
            if post and post.parent_id is None
            else row.held_fields.get("title")
            if row.subject_id is not None
            else None
        ),
        text=row.text,
        score=row.score,
        threshold=row.threshold,
        reasons=row.reasons_in_words(),
        deception_probability=row.deception_probability,
        created_at=row.created_at,
        decided_by=member_ref(row.decided_by),
        decided_at=row.decided_at,
    )


@router.get("/moderation/held", response=HeldPage)
def held_queue(request: HttpRequest, page: Query[PageParams]) -> HeldPage:
    """Contributions the spam filter held, oldest first, with its score and reasons."""
    _moderator(request)
    held = Screening.objects.filter(status=Screening.Status.HELD).select_related(
        "author", "post__thread", "decided_by"
    )
    rows, next_cursor = paginate(held, ("created_at", "pk"), page)
    rate, _, decided = false_hold_rate()
    return HeldPage(
        items=[_held_out(r) for r in rows],
        next=next_cursor,
        false_hold_rate=rate,
        decided=decided,
    )


@router.post("/moderation/held/{int:screening_id}", response=HeldOut)
def decide_held(request: HttpRequest, screening_id: int, payload: DecisionIn) -> HeldOut:
    """Approve (it appears, and its notifications go out) or reject (it stays hidden, as spam)."""
    who = _moderator(request)
    screening = access_screening(screening_id)
    decided = check_decide_held(
        who, screening, approve=payload.decision == "approve", reason=payload.reason
    )
    return _held_out(decided)
