"""Verbs on blogs. `check_*` validates and refuses; `do_*` writes.

Publishing writes the public post through the threads actions (an "article" thread in the
blogs space); editing a published post edits the thread's opening post through them too, so
search, listening, the home feed and the edit history follow as for every thread.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.blogs.events import BlogPostPublished, BlogPostScheduled
from cluetrain.blogs.guard import publishing
from cluetrain.blogs.models import BLOGS_SPACE_SLUG, Blog, BlogFollow, BlogPost
from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import (
    _check_body,
    _check_title,
    check_may_change_post,
    check_tag_names,
    do_count_post,
    do_create_thread,
    do_delete_post,
    do_edit_post,
    do_get_topics,
)
from cluetrain.threads.models import Post, Thread

DRAFT = "draft"
PUBLISH = "publish"
SCHEDULE = "schedule"
ACTIONS = (DRAFT, PUBLISH, SCHEDULE)


def blog_title(blog: Blog | None, owner: Member) -> str:
    if blog is not None and blog.title:
        return blog.title
    return gettext("%(name)s's blog") % {"name": owner.name}


def do_get_blogs_space() -> Space:
    """The public space every published blog post lives in, created on first use."""
    space, _ = Space.objects.get_or_create(
        slug=BLOGS_SPACE_SLUG,
        defaults={
            "name": "Blogs",
            "kind": Space.Kind.BLOG,
            "visibility": Space.Visibility.PUBLIC,
            "description": "Members, staff and partners writing in the open.",
            "position": 900,
        },
    )
    return space


def do_get_blog(owner: Member) -> Blog:
    blog = Blog.objects.filter(owner=owner).first()
    if blog is not None:
        return blog
    try:
        with transaction.atomic():
            return Blog.objects.create(owner=owner, created_at=timezone.now())
    except IntegrityError:  # two first posts at once: the other made it
        return Blog.objects.get(owner=owner)


TITLE_MAX = 120  # Blog.title
DESCRIPTION_MAX = 300  # Blog.description


def check_blog_settings(member: Member, *, title: str, description: str) -> Blog:
    """The blog's own title (empty: "<name>'s blog") and a line under it."""
    _check_author(member)
    title, description = title.strip(), description.strip()
    if len(title) > TITLE_MAX:
        raise ActionError(
            gettext("A blog's title is limited to %(n)d characters.") % {"n": TITLE_MAX},
            field="title",
        )
    if len(description) > DESCRIPTION_MAX:
        raise ActionError(
            gettext("A blog's description is limited to %(n)d characters.")
            % {"n": DESCRIPTION_MAX},
            field="description",
        )
    return do_blog_settings(member, title=title, description=description)


def do_blog_settings(member: Member, *, title: str, description: str) -> Blog:
    blog = do_get_blog(member)
    blog.title, blog.description = title, description
    blog.save(update_fields=["title", "description"])
    return blog


def _check_author(member: Member) -> None:
    if not member.is_active:
        raise ActionError(gettext("Only active members can blog."), status=403)


def _check_when(action: str, publish_at: datetime | None) -> datetime | None:
    if action not in ACTIONS:
        raise ActionError(
            gettext("Choose draft, publish or schedule."),
            field="action",
        )
    if action != SCHEDULE:
        return None
    if publish_at is None:
        raise ActionError(gettext("Say when the post should go out."), field="publish_at")
    if timezone.is_naive(publish_at):  # a form's or client's local time: the site's
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= timezone.now():
        raise ActionError(
            gettext("A scheduled time must be in the future; publish now instead."),
            field="publish_at",
        )
    return publish_at


def check_write_post(
    author: Member,
    *,
    title: str,
    body_md: str,
    tags: Sequence[str] = (),
    action: str = DRAFT,
    publish_at: datetime | None = None,
) -> BlogPost:
    _check_author(author)
    title = _check_title(title)
    body = _check_body(body_md)
    names = check_tag_names(",".join(tags))
    when = _check_when(action, publish_at)
    if action == PUBLISH:
        do_count_post(author)
    return do_write_post(
        author, title=title, body_md=body, tags=names, action=action, publish_at=when
    )


@transaction.atomic
def do_write_post(
    author: Member,
    *,
    title: str,
    body_md: str,
    tags: Sequence[str] = (),
    action: str = DRAFT,
    publish_at: datetime | None = None,
    published_at: datetime | None = None,
) -> BlogPost:
    now = timezone.now()
    post = BlogPost.objects.create(
        blog=do_get_blog(author),
        title=title,
        body_md=body_md,
        tags=list(tags),
        status=BlogPost.Status.SCHEDULED if action == SCHEDULE else BlogPost.Status.DRAFT,
        publish_at=publish_at,
        created_at=now,
        updated_at=now,
    )
    if action == PUBLISH:
        do_publish(post, when=published_at)
    elif action == SCHEDULE:
        _schedule(post)
    return post


def _schedule(post: BlogPost) -> None:
    """The worker is asked (after commit, cluetrain/blogs/tasks.py) to publish it then."""
    assert post.publish_at is not None
    publish(BlogPostScheduled(blog_post_id=post.pk, publish_at=post.publish_at))


def opening_post(post: BlogPost) -> Post | None:
    if post.thread_id is None:
        return None
    return Post.objects.filter(thread_id=post.thread_id, parent__isnull=True).order_by("pk").first()


def check_edit_blog_post(
    member: Member,
    post: BlogPost,
    *,
    title: str,
    body_md: str,
    tags: Sequence[str],
    action: str | None = None,
    publish_at: datetime | None = None,
) -> BlogPost:
    """Edit one's own post. Unpublished, `action` may also publish, schedule or keep it a
    draft; published, the thread's opening post is edited (with its history kept)."""
    if post.blog.owner_id != member.pk:
        raise ActionError(gettext("You can only edit your own blog posts."), status=403)
    title = _check_title(title)
    body = _check_body(body_md)
    names = check_tag_names(",".join(tags))
    if post.status == BlogPost.Status.PUBLISHED:
        opening = opening_post(post)
        if opening is None or opening.is_deleted:
            raise ActionError(gettext("This post has been deleted."), status=409)
        check_may_change_post(member, opening, "edit")
        return do_update_published(member, post, opening, title=title, body_md=body, tags=names)
    if action is None:
        action = SCHEDULE if post.status == BlogPost.Status.SCHEDULED else DRAFT
        if action == SCHEDULE and publish_at is None:
            publish_at = post.publish_at
    when = _check_when(action, publish_at)
    if action == PUBLISH:
        do_count_post(member)
    return do_update_unpublished(
        post, title=title, body_md=body, tags=names, action=action, publish_at=when
    )


@transaction.atomic
def do_update_published(
    editor: Member,
    post: BlogPost,
    opening: Post,
    *,
    title: str,
    body_md: str,
    tags: Sequence[str],
) -> BlogPost:
    """The thread's opening post edited through the threads action (its history kept, search
    and listening told), then the tags and the blog's copy of the text."""
    if body_md != opening.body_md or title != opening.thread.title:
        do_edit_post(
            editor,
            opening,
            body_md=body_md,
            title=title if title != opening.thread.title else None,
        )
    post.title, post.body_md, post.tags = title, body_md, list(tags)
    post.updated_at = timezone.now()
    post.save(update_fields=["title", "body_md", "tags", "updated_at"])
    if post.thread is not None:
        post.thread.tags.set(do_get_topics(tags))
    return post


@transaction.atomic
def do_update_unpublished(
    post: BlogPost,
    *,
    title: str,
    body_md: str,
    tags: Sequence[str],
    action: str,
    publish_at: datetime | None,
) -> BlogPost:
    post.title, post.body_md, post.tags = title, body_md, list(tags)
    post.status = BlogPost.Status.SCHEDULED if action == SCHEDULE else BlogPost.Status.DRAFT
    post.publish_at = publish_at
    post.updated_at = timezone.now()
    post.save()
    if action == PUBLISH:
        do_publish(post)
    elif action == SCHEDULE:
        _schedule(post)
    return post


def check_publish(member: Member, post: BlogPost) -> BlogPost:
    if post.blog.owner_id != member.pk:
        raise ActionError(gettext("You can only publish your own blog posts."), status=403)
    if post.status == BlogPost.Status.PUBLISHED:
        raise ActionError(gettext("This post is already published."), status=409)
    do_count_post(member)
    return do_publish(post)


@transaction.atomic
def do_publish(post: BlogPost, *, when: datetime | None = None) -> BlogPost:
    """The post goes public: an article thread in the blogs space. Claimed by a conditional
    UPDATE, so a post published twice at once (the page and the scheduled task) goes once."""
    now = when or timezone.now()
    claimed = (
        BlogPost.objects.filter(pk=post.pk)
        .exclude(status=BlogPost.Status.PUBLISHED)
        .update(status=BlogPost.Status.PUBLISHED, published_at=now, updated_at=now)
    )
    if not claimed:
        post.refresh_from_db()
        return post
    author = post.blog.owner
    token = publishing.set(True)
    try:
        thread = do_create_thread(
            author,
            do_get_blogs_space(),
            title=post.title,
            body_md=post.body_md,
            kind=Thread.Kind.ARTICLE,
            tags=do_get_topics(post.tags),
            created_at=now,
        )
    finally:
        publishing.reset(token)
    BlogPost.objects.filter(pk=post.pk).update(thread=thread)
    post.refresh_from_db()
    publish(
        BlogPostPublished(
            blog_post_id=post.pk, blog_id=post.blog_id, thread_id=thread.pk, author_id=author.pk
        )
    )
    return post


def do_publish_due(now: datetime | None = None) -> int:
    """Publish every scheduled post whose time has come; how many went out. Safe to run
    twice, and from several workers: each post is claimed once (do_publish)."""
    now = now or timezone.now()
    due = BlogPost.objects.filter(status=BlogPost.Status.SCHEDULED, publish_at__lte=now)
    count = 0
    for post in due.select_related("blog__owner").order_by("publish_at", "pk"):
        if not post.blog.owner.is_active:
            continue
        if do_publish(post, when=post.publish_at).thread_id is not None:
            count += 1
    return count


def check_delete_blog_post(member: Member, post: BlogPost) -> None:
    if post.blog.owner_id != member.pk and not (
        member.can_moderate and post.status == BlogPost.Status.PUBLISHED
    ):
        raise ActionError(gettext("You can only delete your own blog posts."), status=403)
    do_delete_blog_post(member, post)


@transaction.atomic
def do_delete_blog_post(member: Member, post: BlogPost) -> None:
    """A draft or scheduled post goes; a published one also deletes the thread's opening post
    (threads' soft delete: the words go, the comments stay where they were)."""
    opening = opening_post(post)
    if opening is not None and not opening.is_deleted:
        do_delete_post(member, opening)
    post.delete()


def check_follow_blog(member: Member, owner: Member) -> BlogFollow:
    if owner.pk == member.pk:
        raise ActionError(gettext("You cannot follow your own blog."), status=409)
    return do_follow_blog(member, owner)


def do_follow_blog(member: Member, owner: Member) -> BlogFollow:
    blog = do_get_blog(owner)
    follow, _ = BlogFollow.objects.get_or_create(
        member=member, blog=blog, defaults={"created_at": timezone.now()}
    )
    return follow


def do_unfollow_blog(member: Member, owner: Member) -> bool:
    deleted, _ = BlogFollow.objects.filter(member=member, blog__owner=owner).delete()
    return bool(deleted)
