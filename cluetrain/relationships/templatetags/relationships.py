"""Small helpers for the relationship templates."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships.models import RelationshipEvent, RelationshipKind, Tie

register = template.Library()


@register.filter
def percent(value: float) -> str:
    """A strength in whole percent; never 100 %, which a strength does not reach (a heavy
    tie's 0.9999 would round to it: the map shows the weight that tells those apart)."""
    return f"{min(round(value * 100), 99)}%"


@register.filter
def kind_label(kind: str) -> str:
    """An event kind's label: what get_kind_display says, without the model's walk through
    every one of the forty choices on each call (a third of a long list's render time)."""
    try:
        return str(RelationshipKind(kind).label)
    except ValueError:
        return kind


@register.filter
def event_id(stated: dict[str, RelationshipEvent], kind: str) -> int | None:
    """The id of what the viewer stated of this kind (for its Withdraw button)."""
    event = stated.get(kind)
    return event.pk if event is not None else None


@register.simple_tag
def tie_other(tie: Tie, viewer: Member | None) -> Member | Organization | Product | None:
    """The side of the tie that is not the viewer."""
    if tie.other_member_id is not None:
        return (
            tie.member
            if viewer is not None and tie.other_member_id == viewer.pk
            else tie.other_member
        )
    return tie.organization or tie.product


@register.simple_tag
def event_target(event: RelationshipEvent) -> SafeString:
    if event.target_member is not None:
        member = event.target_member
        return format_html(
            '<a href="{}">{}</a>', reverse("profile", args=[member.username]), member.name
        )
    return format_html("{}", event.target_organization or event.target_product)


@register.simple_tag
def evidence_line(event: RelationshipEvent) -> SafeString:
    """What the event rests on, as one sentence: an inferred one in the reader's language, a
    stated note as written, with the thread it happened in when its post is still there."""
    what = event.evidence_text()
    post = event.post if event.post_id is not None else None
    if post is None or post.is_deleted:
        return format_html("{}", what)
    link = format_html(
        '<a href="{}">“{}”</a>',
        reverse("post_link", args=[event.post_id]),
        Truncator(post.thread.title).chars(80),
    )
    if not what:
        return link
    # The sentence is translated whole; its two values are escaped by format_html.
    return format_html(
        gettext("{what} in {thread}"),
        what=what,
        thread=link,
    )
