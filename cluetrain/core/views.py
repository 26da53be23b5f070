from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cluetrain.core.feed import NEW, build_feed
from cluetrain.core.fragments import ago, fragment_key
from cluetrain.core.requests import HtmxHttpRequest
from cluetrain.threads.models import Thread


@dataclass(frozen=True)
class FeedItem:
    """A thread as the feed shows it, with the key its cached HTML is kept under."""

    thread: Thread
    active: str  # how long ago it was last active ("3 hours")
    fragment_key: str


def _page_number(raw: str | None) -> int:
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def home(request: HtmxHttpRequest) -> HttpResponse:
    feed = build_feed(
        request.user,
        tab=request.GET.get("tab", NEW),
        page=_page_number(request.GET.get("page")),
    )
    template = "core/_feed.html" if request.htmx else "core/home.html"
    return render(request, template, {"feed": feed, "items": _items(feed.threads)})


def _items(threads: list[Thread]) -> list[FeedItem]:
    now = timezone.now()
    items = []
    for thread in threads:
        active = ago(thread.last_activity_at, now)
        author = thread.author
        shown = (
            thread.pk,
            thread.title,
            thread.kind,
            thread.reply_count,
            thread.space.slug,
            thread.space.name,
            (author.username, author.name) if author else None,
            thread.last_activity_at.isoformat(),
            active,
            thread.has_staff_reply,  # type: ignore[attr-defined]  # annotated by build_feed
            thread.accepted_answer_id is not None,
        )
        items.append(FeedItem(thread, active, fragment_key("feed-item", shown)))
    return items
