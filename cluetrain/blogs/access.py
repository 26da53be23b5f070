"""Who sees which blog post. Drafts and scheduled posts: their author only; published posts:
whoever may read their thread (the blogs space is public; a hidden or held thread is not
listed). Everything else answers 404, the same as a post that does not exist."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from cluetrain.blogs.models import Blog, BlogPost
from cluetrain.core.access import not_found
from cluetrain.members.access import Viewer
from cluetrain.members.models import Member
from cluetrain.spaces.access import readable_space_filter


def published_posts(viewer: Viewer) -> QuerySet[BlogPost]:
    """Published posts the viewer may read, newest first."""
    return (
        BlogPost.objects.filter(
            readable_space_filter(viewer, "thread__space__"),
            status=BlogPost.Status.PUBLISHED,
            thread__isnull=False,
            thread__is_hidden=False,
            thread__is_held=False,
            blog__owner__is_active=True,
        )
        .select_related("blog__owner", "thread")
        .order_by("-published_at", "-pk")
    )


def followed_blogs_filter(member: Member) -> Q:
    """For the home feed (threads' `register_feed_filter`): the posts of blogs one follows."""
    followed = BlogPost.objects.filter(blog__followers__member=member, thread__isnull=False)
    return Q(pk__in=followed.values("thread_id"))


def posts_seen_by(viewer: Viewer) -> QuerySet[BlogPost]:
    """Published posts the viewer may read, and the viewer's own drafts and scheduled posts."""
    mine = Q(blog__owner_id=viewer.pk) if isinstance(viewer, Member) else Q(pk__in=[])
    published = published_posts(viewer).values("pk")
    return BlogPost.objects.filter(Q(pk__in=published) | mine).select_related(
        "blog__owner", "thread"
    )


def access_blog_post(viewer: Viewer, post_id: int) -> BlogPost:
    post = posts_seen_by(viewer).filter(pk=post_id).first()
    if post is None:
        raise not_found(gettext("No such blog post."))
    return post


def access_own_post(member: Member, post_id: int) -> BlogPost:
    """The member's own post, any status (edit, publish, delete); 404 for anyone else's."""
    post = BlogPost.objects.filter(pk=post_id, blog__owner=member).select_related(
        "blog__owner", "thread"
    )
    found = post.first()
    if found is None:
        raise not_found(gettext("No such blog post."))
    return found


def access_blogger(viewer: Viewer, username: str) -> tuple[Member, Blog | None]:
    """The blog's owner and blog (None before their first post); 404 for unknown or left
    members. A blog has no secrets of its own: what it lists is filtered per post."""
    owner = Member.objects.filter(username=username, is_active=True).first()
    if owner is None:
        raise not_found(gettext("No such blog."))
    return owner, Blog.objects.filter(owner=owner).first()
