"""RSS and Atom feeds of public spaces and public threads; the sitemap; robots.txt.

A feed reader fetches without signing in, and a feed is copied onward without control, so a
feed is built for an anonymous visitor whoever asks: a staff-only or partner space, a hidden
or held thread, a hidden, held or deleted post is never in one (404 or left out).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from cluetrain.spaces.access import access_space, readable_spaces
from cluetrain.spaces.models import Space
from cluetrain.threads.access import access_thread
from cluetrain.threads.models import Post, Thread

ITEMS = 30
ANONYMOUS = AnonymousUser()


def public_threads() -> QuerySet[Thread]:
    """Threads an anonymous visitor may read."""
    return Thread.objects.filter(
        space__in=readable_spaces(ANONYMOUS), is_hidden=False, is_held=False
    )


def public_posts(thread: Thread) -> QuerySet[Post]:
    return thread.posts.filter(is_hidden=False, is_held=False, is_deleted=False)


def _author(post: Post | None) -> str:
    if post is None:
        return ""
    if post.author is not None:
        return post.author.name
    if post.external_author is not None:
        return post.external_author.display_name or post.external_author.handle
    return gettext("Deleted member")


class SpaceFeed(Feed[Thread, Space]):
    """The newest threads of a public space."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Space:
        return access_space(ANONYMOUS, kwargs["slug"])

    def title(self, obj: Space) -> str:
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj: Space) -> str:
        return reverse("space", args=[obj.slug])

    def description(self, obj: Space) -> str:
        return obj.description or f"New conversations in {obj.name}."

    def items(self, obj: Space) -> list[Thread]:
        threads = public_threads().filter(space=obj).select_related("author")
        return list(threads.order_by("-created_at", "-pk")[:ITEMS])

    def item_title(self, item: Thread) -> str:
        return item.title

    def item_link(self, item: Thread) -> str:
        return reverse("thread", args=[item.pk])

    def item_description(self, item: Thread) -> str:
        first = public_posts(item).filter(parent__isnull=True).order_by("pk").first()
        return first.body_html if first else ""  # sanitized when the post was written

    def item_author_name(self, item: Thread) -> str | None:
        if item.author is not None:
            return item.author.name
        # An imported thread (its first post's outside author) or a deleted member's.
        first_posts = public_posts(item).filter(parent__isnull=True).order_by("pk")
        first = first_posts.select_related("external_author").first()
        return _author(first) or None

    def item_pubdate(self, item: Thread) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Thread) -> datetime:
        return item.last_activity_at


class SpaceAtomFeed(SpaceFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Space) -> str:
        return self.description(obj)


class ThreadFeed(Feed[Post, Thread]):
    """The newest posts of a public thread."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Thread:
        return access_thread(ANONYMOUS, kwargs["thread_id"])

    def title(self, obj: Thread) -> str:
        return f"{obj.title} · {settings.SITE_NAME}"

    def link(self, obj: Thread) -> str:
        return reverse("thread", args=[obj.pk])

    def description(self, obj: Thread) -> str:
        return f"Replies in “{obj.title}” ({obj.space.name})."

    def items(self, obj: Thread) -> list[Post]:
        posts = public_posts(obj).select_related("author", "external_author")
        return list(posts.order_by("-created_at", "-pk")[:ITEMS])

    def item_title(self, item: Post) -> str:
        return f"{_author(item)} in “{item.thread.title}”"

    def item_link(self, item: Post) -> str:
        return reverse("post_link", args=[item.pk])

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_author_name(self, item: Post) -> str:
        return _author(item)

    def item_pubdate(self, item: Post) -> datetime:
        return item.created_at


class ThreadAtomFeed(ThreadFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Thread) -> str:
        return self.description(obj)


# --- Sitemap and robots.txt ---------------------------------------------------------------


class SpaceSitemap(Sitemap[Space]):
    changefreq = "daily"

    def items(self) -> QuerySet[Space]:
        return readable_spaces(ANONYMOUS).order_by("pk")

    def location(self, item: Space) -> str:
        return reverse("space", args=[item.slug])


class ThreadSitemap(Sitemap[Thread]):
    changefreq = "weekly"
    limit = 10_000

    def items(self) -> QuerySet[Thread]:
        return public_threads().only("pk", "last_activity_at").order_by("pk")

    def location(self, item: Thread) -> str:
        return reverse("thread", args=[item.pk])

    def lastmod(self, item: Thread) -> datetime:
        return item.last_activity_at


SITEMAPS: dict[str, type[Sitemap[Any]]] = {"spaces": SpaceSitemap, "threads": ThreadSitemap}

# Pages that are private, per member, or endless variations of public ones.
ROBOTS_DISALLOW = [
    "/admin/",
    "/api/",
    "/accounts/",
    "/settings/",
    "/unsubscribe/",
    "/notifications/",
    "/connections/",
    "/search/",
    "/welcome/",
]


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
