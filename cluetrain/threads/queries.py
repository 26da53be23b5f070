"""Read-side helpers over posts that other apps' pages show."""

from cluetrain.members.models import Member
from cluetrain.spaces.access import Viewer, readable_space_filter
from cluetrain.threads.models import Post


def recent_posts(viewer: Viewer, member: Member, limit: int = 10) -> list[Post]:
    """The member's latest visible posts in spaces the viewer may read."""
    return list(
        Post.objects.filter(author=member, is_hidden=False, is_deleted=False)
        .filter(thread__is_hidden=False)
        .filter(readable_space_filter(viewer, prefix="thread__space__"))
        .select_related("thread__space")
        .order_by("-created_at", "-pk")[:limit]
    )


def recent_posts_section(viewer: Viewer, member: Member) -> dict[str, object]:
    """The profile page's recent posts (registered in ThreadsConfig.ready())."""
    return {"recent_posts": recent_posts(viewer, member)}
