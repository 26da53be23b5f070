"""Blogs in the JSON API: the blogs, a blog's posts, posts by tag; write, edit, publish and
delete one's own posts (drafts and scheduled posts are seen by their author only); follow."""

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import BodyMd, Input, MemberRef, Page, member_ref
from cluetrain.blogs.access import (
    access_blog_post,
    access_blogger,
    access_own_post,
    posts_seen_by,
    published_posts,
)
from cluetrain.blogs.actions import (
    blog_title,
    check_blog_settings,
    check_delete_blog_post,
    check_edit_blog_post,
    check_follow_blog,
    check_publish,
    check_write_post,
    do_unfollow_blog,
)
from cluetrain.blogs.models import Blog, BlogFollow, BlogPost
from cluetrain.core.access import not_found
from cluetrain.core.links import absolute_url
from cluetrain.members.access import Viewer
from cluetrain.members.models import Member
from cluetrain.threads.actions import TAG_MAX_CHARS, TAGS_MAX, TITLE_MAX_CHARS
from cluetrain.topics.models import Topic

router = Router(tags=["blogs"])
TagName = Annotated[str, Field(min_length=1, max_length=TAG_MAX_CHARS)]
LISTED = 100


class BlogOut(Schema):
    owner: MemberRef | None
    title: str
    description: str
    staff: bool
    published: int
    latest_at: datetime | None
    url: str = Field(description="the blog's page, an absolute URL")
    feed_url: str = Field(description="its Atom feed, an absolute URL")


class BlogPostOut(Schema):
    id: int
    blog: str  # the owner's username
    author: MemberRef | None
    title: str
    body_md: str
    tags: list[str]
    status: str
    publish_at: datetime | None
    published_at: datetime | None
    thread_id: int | None
    comments: int
    created_at: datetime
    updated_at: datetime


class BlogPostPage(Page):
    items: list[BlogPostOut]


class BlogPostIn(Input):
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd
    tags: list[TagName] = Field(default_factory=list, max_length=TAGS_MAX)
    action: Literal["draft", "publish", "schedule"] = "draft"
    publish_at: datetime | None = None


class BlogPostEditIn(Input):
    """A partial edit: the fields sent change, the others keep their values."""

    title: str = Field("", min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd = ""
    tags: list[TagName] = Field(default_factory=list, max_length=TAGS_MAX)
    action: Literal["draft", "publish", "schedule"] | None = Field(
        None, description="Unpublished posts only: keep a draft, publish now, or schedule."
    )
    publish_at: datetime | None = None


class BlogSettingsIn(Input):
    title: str = Field("", max_length=120, description="Empty: the owner's name's blog.")
    description: str = Field("", max_length=300)


class DeletedOut(Schema):
    id: int
    deleted: bool


class BlogFollowOut(Schema):
    blog: str
    following: bool


def _blog_out(owner: Member, blog: Blog | None, published: int, latest: datetime | None) -> BlogOut:
    return BlogOut(
        owner=member_ref(owner),
        title=blog_title(blog, owner),
        description=blog.description if blog else "",
        staff=owner.is_company_staff,
        published=published,
        latest_at=latest,
        url=absolute_url("blog", owner.username),
        feed_url=absolute_url("blog_feed", owner.username),
    )


def _blog_seen_by(who: Viewer, owner: Member, blog: Blog | None) -> BlogOut:
    posts = published_posts(who).filter(blog__owner=owner)
    latest = posts.first()
    return _blog_out(owner, blog, posts.count(), latest.published_at if latest else None)


def _post_out(post: BlogPost) -> BlogPostOut:
    owner = post.blog.owner
    return BlogPostOut(
        id=post.pk,
        blog=owner.username,
        author=member_ref(owner),
        title=post.title,
        body_md=post.body_md,
        tags=list(post.tags),
        status=post.status,
        publish_at=post.publish_at,
        published_at=post.published_at,
        thread_id=post.thread_id,
        comments=post.thread.reply_count if post.thread else 0,
        created_at=post.created_at,
        updated_at=post.updated_at,
    )


@router.get("/blogs", response=list[BlogOut], auth=READ_AUTH)
def list_blogs(request: HttpRequest) -> list[BlogOut]:
    """Blogs with at least one post the caller may read, the latest first (100 at most)."""
    visible = published_posts(viewer(request)).values("pk")
    blogs = (
        Blog.objects.filter(posts__in=visible)
        .annotate(
            published=Count("posts", filter=Q(posts__in=visible)),
            latest=Max("posts__published_at"),
        )
        .select_related("owner")
        .order_by("-latest", "pk")[:LISTED]
    )
    return [_blog_out(b.owner, b, b.published, b.latest) for b in blogs]


@router.get("/blogs/tags/{slug}", response=BlogPostPage, auth=READ_AUTH)
def list_tagged(request: HttpRequest, slug: str, page: Query[PageParams]) -> BlogPostPage:
    """Published posts with the tag, newest first."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise not_found(gettext("No such tag."))
    posts = published_posts(viewer(request)).filter(thread__tags=topic)
    rows, next_cursor = paginate(posts, ("-published_at", "-pk"), page, "tagged-posts")
    return BlogPostPage(items=[_post_out(p) for p in rows], next=next_cursor)


@router.post("/blogs/posts", response={201: BlogPostOut})
def write_post(request: HttpRequest, payload: BlogPostIn) -> Status[BlogPostOut]:
    """A draft (the default), published at once, or scheduled for `publish_at` (future)."""
    post = check_write_post(
        member(request),
        title=payload.title,
        body_md=payload.body_md,
        tags=payload.tags,
        action=payload.action,
        publish_at=payload.publish_at,
    )
    return Status(201, _post_out(post))


@router.get("/blogs/posts/{int:post_id}", response=BlogPostOut, auth=READ_AUTH)
def get_post(request: HttpRequest, post_id: int) -> BlogPostOut:
    """Drafts and scheduled posts: their author only (404 for anyone else)."""
    return _post_out(access_blog_post(viewer(request), post_id))


@router.patch("/blogs/posts/{int:post_id}", response=BlogPostOut)
def edit_post(request: HttpRequest, post_id: int, payload: BlogPostEditIn) -> BlogPostOut:
    """The author only; the fields left out keep their values. A published post's edit goes
    to its thread's opening post."""
    who = member(request)
    post = access_own_post(who, post_id)
    sent = payload.model_fields_set
    post = check_edit_blog_post(
        who,
        post,
        title=payload.title if "title" in sent else post.title,
        body_md=payload.body_md if "body_md" in sent else post.body_md,
        tags=payload.tags if "tags" in sent else list(post.tags),
        action=payload.action,
        publish_at=payload.publish_at,
    )
    return _post_out(post)


@router.post("/blogs/posts/{int:post_id}/publish", response=BlogPostOut)
def publish_post(request: HttpRequest, post_id: int) -> BlogPostOut:
    """The author only: a draft or scheduled post goes out now (409 if already out)."""
    who = member(request)
    return _post_out(check_publish(who, access_own_post(who, post_id)))


@router.delete("/blogs/posts/{int:post_id}", response=DeletedOut)
def delete_post(request: HttpRequest, post_id: int) -> DeletedOut:
    """The author only. A published post's opening post is deleted; its comments stay."""
    who = member(request)
    check_delete_blog_post(who, access_own_post(who, post_id))
    return DeletedOut(id=post_id, deleted=True)


@router.put("/blogs/mine", response=BlogOut)
def set_my_blog(request: HttpRequest, payload: BlogSettingsIn) -> BlogOut:
    """The caller's own blog: its title and description."""
    who = member(request)
    blog = check_blog_settings(who, title=payload.title, description=payload.description)
    return _blog_seen_by(who, who, blog)


@router.get("/blogs/by/{username}", response=BlogOut, auth=READ_AUTH)
def get_blog(request: HttpRequest, username: str) -> BlogOut:
    who = viewer(request)
    owner, blog = access_blogger(who, username)
    return _blog_seen_by(who, owner, blog)


@router.get("/blogs/by/{username}/posts", response=BlogPostPage, auth=READ_AUTH)
def list_posts(request: HttpRequest, username: str, page: Query[PageParams]) -> BlogPostPage:
    """Published posts, newest first; the owner also gets their drafts and scheduled posts,
    placed at the time they were written."""
    who = viewer(request)
    owner, _ = access_blogger(who, username)
    # A draft has no publication time yet, and a keyset cannot step over a null.
    posts = (
        posts_seen_by(who)
        .filter(blog__owner=owner)
        .annotate(listed_at=Coalesce("published_at", "created_at"))
    )
    rows, next_cursor = paginate(posts, ("-listed_at", "-pk"), page, "blog-posts")
    return BlogPostPage(items=[_post_out(p) for p in rows], next=next_cursor)


@router.post("/blogs/by/{username}/follow", response=BlogFollowOut)
def follow(request: HttpRequest, username: str) -> BlogFollowOut:
    """Be told (Notification "blog_post") of each new post of the blog."""
    who = member(request)
    owner, _ = access_blogger(who, username)
    check_follow_blog(who, owner)
    return BlogFollowOut(blog=owner.username, following=True)


@router.delete("/blogs/by/{username}/follow", response=BlogFollowOut)
def unfollow(request: HttpRequest, username: str) -> BlogFollowOut:
    who = member(request)
    owner, _ = access_blogger(who, username)
    do_unfollow_blog(who, owner)
    following = BlogFollow.objects.filter(member=who, blog__owner=owner).exists()
    return BlogFollowOut(blog=owner.username, following=following)
