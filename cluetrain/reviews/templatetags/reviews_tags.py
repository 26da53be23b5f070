"""Stars as text, and the review panel shown on a review's thread page."""

from typing import Any

from django import template

from cluetrain.members.models import Member
from cluetrain.reviews.models import Review
from cluetrain.threads.models import Reaction, Thread

register = template.Library()


@register.filter
def stars(value: float | int | None) -> str:
    """★★★★☆ for 4 (or 3.6); averages are rounded to the nearest whole star."""
    if value is None:
        return "☆☆☆☆☆"
    filled = max(0, min(5, round(float(value))))
    return "★" * filled + "☆" * (5 - filled)


@register.inclusion_tag("reviews/_review_panel_body.html", takes_context=True)
def review_panel(context: template.Context, thread: Thread) -> dict[str, Any]:
    review = Review.objects.select_related("product").filter(thread=thread).first()
    user = context.get("user")
    marked = False
    if review is not None and isinstance(user, Member):
        marked = Reaction.objects.filter(
            member=user, kind=Reaction.Kind.HELPFUL, post__thread=thread
        ).exists()
    return {
        "review": review,
        "marked": marked,
        "user": user,
        "request": context.get("request"),
        "error": None,
    }
