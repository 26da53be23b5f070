"""Atom feeds of a blog and of a tag across blogs. Built for an anonymous reader whoever asks
(a feed is copied onward without control): published posts of public threads only."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from cluetrain.blogs.access import access_blogger, published_posts
from cluetrain.blogs.actions import blog_title, opening_post
from cluetrain.blogs.models import BlogPost
from cluetrain.core.access import not_found
from cluetrain.members.models import Member
from cluetrain.threads.models import Post
from cluetrain.topics.models import Topic

ITEMS = 30
ANONYMOUS = AnonymousUser()
# Each item's opening post in one query for the whole feed.
OPENINGS = Prefetch(
    "thread__posts", queryset=Post.objects.filter(parent__isnull=True), to_attr="openings"
)


class _PostFeed(Feed[BlogPost, Any]):
    feed_type = Atom1Feed

    def item_title(self, item: BlogPost) -> str:
        return item.thread.title if item.thread else item.title

    def item_link(self, item: BlogPost) -> str:
        return reverse("thread", args=[item.thread_id])

    def item_description(self, item: BlogPost) -> str:
        openings = getattr(item.thread, "openings", None)
        opening = min(openings, key=lambda p: p.pk) if openings else opening_post(item)
        if opening is None or opening.is_hidden or opening.is_held or opening.is_deleted:
            return ""
        return opening.body_html  # sanitized when the post was written

    def item_author_name(self, item: BlogPost) -> str:
        return item.blog.owner.name

    def item_pubdate(self, item: BlogPost) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: BlogPost) -> datetime:
        return item.updated_at

    def item_categories(self, item: BlogPost) -> list[str]:
        return list(item.tags)


class BlogFeed(_PostFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Member:
        return access_blogger(ANONYMOUS, kwargs["username"])[0]

    def title(self, obj: Member) -> str:
        return f"{blog_title(getattr(obj, 'blog', None), obj)} · {settings.SITE_NAME}"

    def link(self, obj: Member) -> str:
        return reverse("blog", args=[obj.username])

    def subtitle(self, obj: Member) -> str:
        blog = getattr(obj, "blog", None)
        return (blog.description if blog else "") or f"Posts by {obj.name}."

    def items(self, obj: Member) -> list[BlogPost]:
        return list(
            published_posts(ANONYMOUS).filter(blog__owner=obj).prefetch_related(OPENINGS)[:ITEMS]
        )


class TagFeed(_PostFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Topic:
        topic = Topic.objects.filter(slug=kwargs["slug"]).first()
        if topic is None:
            raise not_found(gettext("No such tag."))
        return topic

    def title(self, obj: Topic) -> str:
        return f"Blog posts tagged {obj.name} · {settings.SITE_NAME}"

    def link(self, obj: Topic) -> str:
        return reverse("blog_tag", args=[obj.slug])

    def subtitle(self, obj: Topic) -> str:
        return f"Blog posts tagged {obj.name}, from every blog."

    def items(self, obj: Topic) -> list[BlogPost]:
        return list(
            published_posts(ANONYMOUS).filter(thread__tags=obj).prefetch_related(OPENINGS)[:ITEMS]
        )
