"""A member's blog in their data download, and what goes when they leave.

Downloaded: the blog, every post of it (drafts and scheduled ones too) and the blogs followed.
Deleted with the account: drafts, scheduled posts, the blog and the follows. Published posts
are threads, and follow the threads rule the member chose (kept under "Deleted member", or
removed); their BlogPost rows go with the blog.
"""

from typing import Any

from cluetrain.blogs.models import Blog, BlogFollow, BlogPost
from cluetrain.members.models import Member


def member_data(member: Member) -> dict[str, Any]:
    blog = Blog.objects.filter(owner=member).values("title", "description", "created_at").first()
    posts = BlogPost.objects.filter(blog__owner=member).order_by("pk")
    return {
        "blog": blog,
        "posts": list(
            posts.values(
                "id",
                "title",
                "body_md",
                "tags",
                "status",
                "publish_at",
                "published_at",
                "thread_id",
                "created_at",
                "updated_at",
            )
        ),
        "following": list(
            BlogFollow.objects.filter(member=member)
            .order_by("pk")
            .values("blog__owner__username", "created_at")
        ),
    }


def do_forget_member(member: Member) -> None:
    BlogPost.objects.filter(blog__owner=member).exclude(status=BlogPost.Status.PUBLISHED).delete()
    BlogFollow.objects.filter(member=member).delete()
    Blog.objects.filter(owner=member).delete()
