"""`{% reputation_of member_or_organization %}`: the score with how it was made."""

import re
from collections.abc import Callable
from typing import Any

from django import template
from django.utils.translation import gettext, ngettext

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


def _flag_reasons() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """The defences' reasons (cluetrain_analytics.reputation.defences, stored in English as
    they were computed) as whole sentences in the reader's language."""

    def count(m: re.Match[str], group: int = 1) -> int:
        return int(m.group(group))

    return [
        (
            re.compile(
                r"one of (\d+) accounts with near-identical neighbourhoods "
                r"\(Jaccard >= ([\d.]+)\)"
            ),
            lambda m: (
                gettext(
                    "one of %(count)s accounts with near-identical neighbourhoods "
                    "(Jaccard >= %(similarity)s)"
                )
                % {"count": m.group(1), "similarity": m.group(2)}
            ),
        ),
        (
            re.compile(r"(\d+)% of the possible ratings inside the group exist"),
            lambda m: (
                gettext("%(percent)s%% of the possible ratings inside the group exist")
                % {"percent": m.group(1)}
            ),
        ),
        (
            re.compile(r"(\d+)% of the group's links leave it \(at most (\d+)%\)"),
            lambda m: (
                gettext("%(percent)s%% of the group's links leave it (at most %(limit)s%%)")
                % {"percent": m.group(1), "limit": m.group(2)}
            ),
        ),
        (
            re.compile(r"the group rates (\d+) account\(s\) outside itself"),
            lambda m: (
                ngettext(
                    "the group rates %(count)s account outside itself",
                    "the group rates %(count)s accounts outside itself",
                    count(m),
                )
                % {"count": count(m)}
            ),
        ),
        (
            re.compile(
                r"(\d+) of the group's accounts first appeared within (\d+) h of each other"
            ),
            lambda m: (
                gettext(
                    "%(count)s of the group's accounts first appeared within %(hours)s h of "
                    "each other"
                )
                % {"count": m.group(1), "hours": m.group(2)}
            ),
        ),
    ]


@register.filter
def flag_reason(reason: str) -> str:
    """One stored reason of a flagged account, translated when it is one the defences write."""
    for pattern, sentence in _flag_reasons():
        found = pattern.fullmatch(reason)
        if found is not None:
            return sentence(found)
    return reason
