"""`{% reputation_of member_or_organization %}`: the score with how it was made."""

from typing import Any

from django import template

from cluetrain.core.sentences import stored_in_words
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization
from cluetrain.reputation.models import FlaggedAccount, Reputation

register = template.Library()


@register.inclusion_tag("reputation/_badge.html", takes_context=True)
def reputation_of(context: dict[str, Any], party: Member | Organization) -> dict[str, Any]:
    if isinstance(party, Member):
        found = Reputation.objects.filter(member=party).first()
    else:
        found = Reputation.objects.filter(organization=party).first()
    viewer = context.get("user")
    flag = None
    if isinstance(party, Member) and isinstance(viewer, Member) and viewer.is_company_staff:
        flag = FlaggedAccount.objects.filter(member=party).first()
    return {"reputation": found, "flag": flag}


@register.filter
def out_of_100(score: float | None) -> int | None:
    """A score on -1..1 (a plain mean, a reputation) on the 0-100 scale people read."""
    return None if score is None else round((score + 1) * 50)


@register.filter
def flag_reason(reason: object) -> str:
    """One stored reason of a flagged account (a sentence) in the reader's language."""
    return stored_in_words(reason)
