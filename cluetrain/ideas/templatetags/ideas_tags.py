"""Status badges and the idea panel shown on an idea's thread page."""

from typing import Any

from django import template

from cluetrain.ideas.forms import StatusForm
from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.members.models import Member
from cluetrain.threads.models import Thread

register = template.Library()

_BADGE_CLASSES: dict[str, str] = {
    Idea.Status.NEW: "",
    Idea.Status.UNDER_REVIEW: "warn",
    Idea.Status.PLANNED: "",
    Idea.Status.IN_PROGRESS: "staff",
    Idea.Status.DONE: "staff",
    Idea.Status.DECLINED: "danger",
}


@register.filter
def whole(value: float) -> int:
    """A number of days shown whole, so that its plural can be chosen ("1 day", "3 days")."""
    return round(value)


@register.filter
def status_badge_class(status: str) -> str:
    """The CSS classes of a status badge: "badge", plus a colour for some statuses."""
    colour = _BADGE_CLASSES.get(status, "")
    return f"badge {colour}" if colour else "badge"


def credited_authors(idea: Idea) -> list[Member]:
    """The idea's author, then the authors of the duplicates merged into it."""
    authors = [idea.thread.author] if idea.thread.author else []
    merged = Member.objects.filter(threads__idea__merged_into=idea).order_by("threads__created_at")
    for author in merged:
        if author not in authors:
            authors.append(author)
    return authors


def idea_panel_context(idea: Idea, user: object) -> dict[str, Any]:
    voted = isinstance(user, Member) and IdeaVote.objects.filter(idea=idea, member=user).exists()
    changes = idea.status_changes.select_related("changed_by")
    following = isinstance(user, Member) and idea.follows.filter(member=user).exists()
    return {
        "idea": idea,
        "voted": voted,
        "following": following,
        "follower_count": idea.follows.count(),
        "credited": credited_authors(idea),
        "changes": changes,
        "status_form": StatusForm(initial={"status": idea.status}),
        "user": user,
    }


@register.inclusion_tag("ideas/_idea_panel_body.html", takes_context=True)
def idea_panel(context: template.Context, thread: Thread) -> dict[str, Any]:
    idea = (
        Idea.objects.select_related("product", "thread__author", "merged_into__thread")
        .filter(thread=thread)
        .first()
    )
    if idea is None:
        return {"idea": None}
    panel = idea_panel_context(idea, context.get("user"))
    panel["request"] = context.get("request")
    return panel
