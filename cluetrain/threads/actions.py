"""Verbs on threads and posts. `check_*` validates and refuses; `do_*` writes.

Views call `check_*`; the demo and importers, whose input is already trusted, may call `do_*`.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.markdown import render_markdown
from cluetrain.core.ratelimit import do_take_or_refuse
from cluetrain.members.models import Member
from cluetrain.sources.lookup import community_source
from cluetrain.spaces.access import can_read_space
from cluetrain.spaces.models import Space
from cluetrain.threads.events import (
    AnswerAccepted,
    PostCreated,
    PostDeleted,
    PostEdited,
    ReactionToggled,
)
from cluetrain.threads.models import Mention, Post, PostRevision, Reaction, Thread
from cluetrain.topics.models import Topic

TITLE_MAX_CHARS = 200
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{2,150})")


def _check_body(body_md: str) -> str:
    body = body_md.strip()
    if not body:
        raise ActionError(gettext("Write something before posting."), field="body")
    if len(body) > settings.POST_MAX_CHARS:
        raise ActionError(
            gettext("Posts are limited to %(limit)s characters; this one has %(count)s.")
            % {
                "limit": number_format(settings.POST_MAX_CHARS, force_grouping=True),
                "count": number_format(len(body), force_grouping=True),
            },
            field="body",
        )
    return body


def do_count_post(author: Member) -> None:
    """Count a post against the author's limit per minute (moderators have none), or refuse."""
    if author.can_moderate:
        return
    do_take_or_refuse(
        f"post:{author.pk}",
        limit=settings.POST_RATE_LIMIT_PER_MINUTE,
        window=timedelta(minutes=1),
        message=gettext("You are posting too fast. Please wait a minute and try again."),
    )


def _check_can_post_in(author: Member, space: Space) -> None:
    if not can_read_space(author, space):
        raise ActionError(gettext("You may not post in this space."), status=403)


def check_create_thread(
    author: Member,
    space: Space,
    *,
    title: str,
    body_md: str,
    kind: str | None = None,
    tags: Iterable[Topic] = (),
) -> Thread:
    _check_can_post_in(author, space)
    title = _check_title(title)
    body = _check_body(body_md)
    do_count_post(author)
    if kind is None:
        kind = Thread.Kind.QUESTION if space.kind == Space.Kind.QA else Thread.Kind.DISCUSSION
    return do_create_thread(author, space, title=title, body_md=body, kind=kind, tags=tags)


@transaction.atomic
def do_create_thread(
    author: Member,
    space: Space,
    *,
    title: str,
    body_md: str,
    kind: str,
    tags: Iterable[Topic] = (),
    created_at: datetime | None = None,
) -> Thread:
    now = created_at or timezone.now()
    thread = Thread.objects.create(
        space=space, title=title, kind=kind, author=author, created_at=now, last_activity_at=now
    )
    tags = list(tags)
    if tags:  # a new thread has none to compare with: without tags, no query at all
        thread.tags.set(tags)
    _write_post(thread, author, body_md, parent=None, created_at=now)
    return thread


def check_reply(
    author: Member, thread: Thread, *, body_md: str, parent: Post | None = None
) -> Post:
    _check_can_post_in(author, thread.space)
    if thread.is_locked and not author.can_moderate:
        raise ActionError(gettext("This thread is locked: no new replies."), status=403)
    if thread.is_hidden and not author.can_moderate:
        raise ActionError(gettext("This thread is hidden."), status=403)
    if parent is not None and parent.thread_id != thread.pk:
        raise ActionError(gettext("You can only reply to a post in this thread."), field="parent")
    body = _check_body(body_md)
    do_count_post(author)
    return do_reply(author, thread, body_md=body, parent=parent)


@transaction.atomic
def do_reply(
    author: Member,
    thread: Thread,
    *,
    body_md: str,
    parent: Post | None = None,
    created_at: datetime | None = None,
) -> Post:
    now = created_at or timezone.now()
    if parent is None:
        parent = thread.posts.order_by("created_at", "pk").first()
    post = _write_post(thread, author, body_md, parent=parent, created_at=now)
    # A reply the spam filter held as it was written counts only once approved.
    Thread.objects.filter(pk=thread.pk).exclude(
        Exists(Post.objects.filter(pk=post.pk, is_held=True))
    ).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    return post


def _write_post(
    thread: Thread, author: Member, body_md: str, *, parent: Post | None, created_at: datetime
) -> Post:
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        author=author,
        source=community_source(),
        body_md=body_md,
        body_html=render_markdown(body_md),
        is_staff_reply=author.is_company_staff,
        created_at=created_at,
    )
    record_mentions(post)
    publish(
        PostCreated(
            post_id=post.pk, thread_id=thread.pk, author_id=author.pk, parent_id=post.parent_id
        )
    )
    return post


def record_mentions(post: Post) -> None:
    # Recorded for everyone named, even those who cannot read the space: account deletion
    # finds the posts to scrub of @name through these rows. Notifying checks who may read
    # the thread (notifications.actions.do_notify), so a staff-only title stays inside.
    usernames = {match.group(1).rstrip(".") for match in MENTION_RE.finditer(post.body_md)}
    if not usernames:
        return
    members = Member.objects.filter(username__in=usernames, is_active=True)
    if post.author_id is not None:
        members = members.exclude(pk=post.author_id)
    Mention.objects.bulk_create(
        [Mention(post=post, member=m, created_at=post.created_at) for m in members],
        ignore_conflicts=True,
    )


TAGS_MAX = 5
TAG_MAX_CHARS = 40


def check_tag_names(tag_text: str) -> list[str]:
    """Comma-separated tags to distinct names, refused when too many or too long."""
    names = list(dict.fromkeys(name.strip() for name in tag_text.split(",") if name.strip()))
    if len(names) > TAGS_MAX:
        raise ActionError(
            gettext("Use at most %(count)s tags.") % {"count": TAGS_MAX}, field="tags"
        )
    for name in names:
        if len(name) > TAG_MAX_CHARS or not slugify(name):
            raise ActionError(
                gettext(
                    "“%(tag)s” is not a usable tag: use letters or digits, "
                    "at most %(limit)s characters."
                )
                % {"tag": name[:TAG_MAX_CHARS], "limit": TAG_MAX_CHARS},
                field="tags",
            )
    return names


def do_get_topics(names: Iterable[str]) -> list[Topic]:
    topics: dict[str, Topic] = {}
    for name in names:
        slug = slugify(name)[:80]
        if slug not in topics:
            topics[slug] = Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    return list(topics.values())


def check_start_thread(
    author: Member, space: Space, *, title: str, body_md: str, tag_text: str = ""
) -> Thread:
    """The new-thread form: tags as text, created only if the thread is."""
    names = check_tag_names(tag_text)
    # One transaction: a refused thread leaves no new topics behind.
    with transaction.atomic():
        return check_create_thread(
            author, space, title=title, body_md=body_md, tags=do_get_topics(names)
        )


def check_may_change_post(member: Member, post: Post, verb: str) -> None:
    if post.is_deleted:
        raise ActionError(gettext("This post has been deleted."), status=409)
    if post.author_id != member.pk and not member.can_moderate:
        only_own = {
            "edit": gettext("You can only edit your own posts."),
            "delete": gettext("You can only delete your own posts."),
        }[verb]
        raise ActionError(only_own, status=403)
    if post.thread.is_locked and not member.can_moderate:
        raise ActionError(
            gettext("This thread is locked: its posts can no longer change."), status=403
        )


def _visible_text(text: str) -> str:
    """The text without format characters (zero-width spaces and joiners, bidi marks...)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _check_title(title: str) -> str:
    title = title.strip()
    if not _visible_text(title).strip():
        raise ActionError(gettext("Give your thread a title."), field="title")
    if len(title) > TITLE_MAX_CHARS:
        raise ActionError(
            gettext("Titles are limited to %(count)s characters.") % {"count": TITLE_MAX_CHARS},
            field="title",
        )
    return title


def check_edit_post(editor: Member, post: Post, *, body_md: str, title: str | None = None) -> Post:
    """Edit a post; the opening post may also retitle its thread."""
    check_may_change_post(editor, post, "edit")
    body = _check_body(body_md)
    new_title = None
    if title is not None and post.parent_id is None:
        new_title = _check_title(title)
        if new_title == post.thread.title:
            new_title = None
    if body == post.body_md and new_title is None:
        return post
    return do_edit_post(editor, post, body_md=body, title=new_title)


@transaction.atomic
def do_edit_post(editor: Member, post: Post, *, body_md: str, title: str | None = None) -> Post:
    now = timezone.now()
    text_changed = title is not None or body_md != post.body_md
    if title is not None:
        post.thread.title = title
        post.thread.save(update_fields=["title"])
    if body_md != post.body_md:
        PostRevision.objects.create(
            post=post, body_md=post.body_md, edited_by=editor, created_at=now
        )
        post.body_md = body_md
        post.body_html = render_markdown(body_md)
        post.edited_at = now
        post.save(update_fields=["body_md", "body_html", "edited_at"])
        record_mentions(post)
    # Someone else's post (a moderator's edit) goes into the audit log: moderation subscribes.
    publish(
        PostEdited(
            post_id=post.pk,
            thread_id=post.thread_id,
            editor_id=editor.pk,
            author_id=post.author_id,
            text_changed=text_changed,
        )
    )
    return post


def check_delete_post(member: Member, post: Post) -> Post:
    check_may_change_post(member, post, "delete")
    return do_delete_post(member, post)


@transaction.atomic
def do_delete_post(member: Member, post: Post) -> Post:
    """Soft delete: the place in the conversation stays, the words go."""
    post.is_deleted = True
    post.body_md = ""
    post.body_html = ""
    post.save(update_fields=["is_deleted", "body_md", "body_html"])
    if post.parent_id is not None:
        Thread.objects.filter(pk=post.thread_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    Thread.objects.filter(pk=post.thread_id, accepted_answer=post).update(accepted_answer=None)
    publish(
        PostDeleted(
            post_id=post.pk,
            thread_id=post.thread_id,
            deleted_by_id=member.pk,
            author_id=post.author_id,
        )
    )
    return post


def may_accept_answer(member: Member, thread: Thread) -> bool:
    return thread.kind == Thread.Kind.QUESTION and (
        member.pk == thread.author_id or member.is_company_staff
    )


def check_accept_answer(member: Member, post: Post) -> Thread:
    """Accept an answer, or un-accept it when it is already the accepted one."""
    thread = post.thread
    if thread.kind != Thread.Kind.QUESTION:
        raise ActionError(gettext("Only answers to questions can be accepted."))
    if not may_accept_answer(member, thread):
        raise ActionError(
            gettext("Only the person who asked, or staff, can accept an answer."), status=403
        )
    if post.parent_id is None:
        raise ActionError(gettext("The question itself cannot be its answer."))
    if post.is_deleted or post.is_hidden:
        raise ActionError(gettext("A hidden or deleted post cannot be accepted."), status=409)
    accepted = None if thread.accepted_answer_id == post.pk else post
    return do_accept_answer(thread, accepted, accepted_by=member)


@transaction.atomic
def do_accept_answer(thread: Thread, post: Post | None, *, accepted_by: Member | None) -> Thread:
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer"])
    publish(
        AnswerAccepted(
            thread_id=thread.pk,
            post_id=post.pk if post is not None else None,
            accepted_by_id=accepted_by.pk if accepted_by is not None else None,
        )
    )
    return thread


# Ideas and reviews carry rows of their own: they live in spaces of their kind, and only there.
_PAIRED_KINDS = {(Thread.Kind.IDEA, Space.Kind.IDEAS), (Thread.Kind.REVIEW, Space.Kind.REVIEWS)}


def can_move_to(thread: Thread, space: Space) -> bool:
    """Whether a moderator may move the thread into `space` (a different one)."""
    if space.pk == thread.space_id:
        return False
    paired = {kind for pair in _PAIRED_KINDS for kind in pair}
    if thread.kind in paired or space.kind in paired:
        return (thread.kind, space.kind) in _PAIRED_KINDS
    return True


REACTION_KINDS = (Reaction.Kind.LIKE, Reaction.Kind.HELPFUL)


def check_react(member: Member, post: Post, kind: str) -> bool:
    """Toggle a reaction; True when it is now on."""
    if kind not in REACTION_KINDS:
        raise ActionError(gettext("Unknown reaction."), field="kind")
    if post.is_deleted or post.is_hidden:
        raise ActionError(gettext("You cannot react to a hidden or deleted post."), status=409)
    if post.author_id == member.pk:
        raise ActionError(gettext("You cannot react to your own post."), status=403)
    return do_toggle_reaction(member, post, kind)


def do_toggle_reaction(member: Member, post: Post, kind: str) -> bool:
    """Take the reaction off if it is there, else put it on; True when it is now on."""
    with transaction.atomic():
        if do_remove_reaction(member, post, kind):
            return False
    try:
        with transaction.atomic():
            do_add_reaction(member, post, kind)
    except IntegrityError:
        pass  # a double click raced us: the reaction is already there, as wanted
    return True


def do_add_reaction(member: Member, post: Post, kind: str) -> None:
    """Raises IntegrityError when the reaction is already there (call inside a savepoint)."""
    Reaction.objects.create(post=post, member=member, kind=kind, created_at=timezone.now())
    Post.objects.filter(pk=post.pk).update(score=F("score") + 1)
    publish(ReactionToggled(post_id=post.pk, member_id=member.pk, kind=kind, added=True))


def do_remove_reaction(member: Member, post: Post, kind: str) -> bool:
    """False when there was no such reaction to take off."""
    removed, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
    if not removed:
        return False
    Post.objects.filter(pk=post.pk).update(score=F("score") - 1)
    publish(ReactionToggled(post_id=post.pk, member_id=member.pk, kind=kind, added=False))
    return True
