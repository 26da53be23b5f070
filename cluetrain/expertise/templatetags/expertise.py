"""`{% person people id as member %}`: a member from a dict of members by id."""

from django import template

from cluetrain.members.models import Member

register = template.Library()


@register.simple_tag
def person(people: dict[int, Member], key: int) -> Member | None:
    return people.get(key)
