"""Blogs (cluetrain.blogs): `blog_post.published` when a post goes public, at once or at its
scheduled time; sent once per post, after commit, unless the spam filter holds it."""

from cluetrain.blogs.events import BlogPostPublished
from cluetrain.blogs.models import BlogPost
from cluetrain.core.links import absolute_url
from cluetrain.webhooks.events import Payload, _held, _member, create_deliveries
from cluetrain.webhooks.models import Event


def blog_post_data(blog_post_id: int) -> Payload | None:
    post = BlogPost.objects.select_related("blog__owner", "thread").filter(pk=blog_post_id).first()
    if post is None or post.thread is None:
        return None
    owner = post.blog.owner
    return {
        "blog_post": {
            "id": post.pk,
            "title": post.thread.title,
            "body_md": post.body_md,
            "tags": list(post.tags),
            "published_at": post.published_at.isoformat() if post.published_at else None,
            "thread_id": post.thread_id,
            "author": _member(owner),
            "staff": owner.is_company_staff,
            "url": absolute_url("thread", post.thread_id),
            "blog_url": absolute_url("blog", owner.username),
        }
    }


def on_blog_post_published(event: BlogPostPublished) -> None:
    if _held(event.thread_id):
        return
    data = blog_post_data(event.blog_post_id)
    if data is not None:
        create_deliveries(Event.BLOG_POST_PUBLISHED, event.blog_post_id, data=data)
