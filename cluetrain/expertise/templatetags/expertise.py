"""`{% person people id as member %}`: a member from a dict of members by id;
`{% away_of member %}`: the away notice on a profile."""

from typing import Any

from django import template
from django.utils import timezone

from cluetrain.expertise.models import Away
from cluetrain.members.models import Member

register = template.Library()


@register.simple_tag
def person(people: dict[int, Member], key: int) -> Member | None:
    return people.get(key)


@register.inclusion_tag("expertise/_away.html", takes_context=True)
def away_of(context: dict[str, Any], member: Member) -> dict[str, Any]:
    """Whether `member` is away now, with the note; a link to change it on one's own page."""
    away = Away.objects.filter(member=member, until__gte=timezone.localdate()).first()
    viewer = context.get("user")
    own = isinstance(viewer, Member) and viewer.pk == member.pk
    return {"away": away, "own": own}
