"""Fetch threads and posts only through these helpers: they check the viewer may see them."""

from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.members.models import Member
from cluetrain.spaces.access import Viewer, can_read_space
from cluetrain.threads.models import Post, Thread


def _may_see_hidden(viewer: Viewer) -> bool:
    return isinstance(viewer, Member) and viewer.can_moderate


def _is_author(viewer: Viewer, author_id: int | None) -> bool:
    return isinstance(viewer, Member) and author_id is not None and author_id == viewer.pk


def can_see_thread(viewer: Viewer, thread: Thread) -> bool:
    """In a space the viewer may read, and not hidden (moderators see hidden threads, and
    authors their own threads while held for moderation)."""
    if not can_read_space(viewer, thread.space):
        return False
    if thread.is_held and _is_author(viewer, thread.author_id):
        return True
    return not thread.is_hidden or _may_see_hidden(viewer)


def access_thread(viewer: Viewer, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("space", "author").filter(pk=thread_id).first()
    if thread is None or not can_see_thread(viewer, thread):
        raise not_found(gettext("No such thread."))
    return thread


def access_post(viewer: Viewer, post_id: int) -> Post:
    post = (
        Post.objects.select_related("thread__space", "author")
        .filter(pk=post_id, is_deleted=False)
        .first()
    )
    if post is None or not can_read_space(viewer, post.thread.space):
        raise not_found(gettext("No such post."))
    if post.is_held and _is_author(viewer, post.author_id):
        return post
    if (post.is_hidden or post.thread.is_hidden) and not _may_see_hidden(viewer):
        raise not_found(gettext("No such post."))
    return post
