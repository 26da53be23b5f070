"""The public idea ranking, explained: votes and replies as support for
cluetrain_analytics.ideas.rank_ideas, weighed by the voters' reliability.

Reliability comes from apps above this one (reputation knows which accounts its defences
flagged), which register a source in their AppConfig.ready() with `register_reliability(fn)`:
ideas sits below reputation in the layers and never imports it. A source gets the member ids
and returns {member_id: (weight in [0, 1], reason)}; a member's weight is the lowest given.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.members.models import Member
from cluetrain.threads.models import Post
from cluetrain_analytics.ideas import Discount, RankedIdea, Support, rank_ideas

Weights = dict[int, tuple[float, str]]
ReliabilitySource = Callable[[Iterable[int]], Weights]

_sources: list[ReliabilitySource] = []


def register_reliability(source: ReliabilitySource) -> None:
    """Weigh every ranking's supporters with `source`; registering one twice is a no-op."""
    if source not in _sources:
        _sources.append(source)


def reliability(member_ids: Iterable[int]) -> Weights:
    ids = sorted(set(member_ids))
    weights: Weights = {}
    for source in _sources:
        for member_id, (weight, reason) in source(ids).items():
            if weight < weights.get(member_id, (1.0, ""))[0]:
                weights[member_id] = (weight, reason)
    return weights


#: The ranking core's reasons (cluetrain_analytics.ideas names them) in the request's language;
#: a reliability source's reason comes already worded by its app.
SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "reliability": lambda v: str(v["reason"]),
    "kind_counts": lambda v: (
        (
            gettext("a reply counts %(worth)s")
            if v["kind"] == "reply"
            else gettext("a vote counts %(worth)s")
        )
        % {"worth": number_format(v["worth"])}
    ),
    "votes_together": lambda v: (
        ngettext(
            "votes together with %(count)d other account; the group counts once",
            "votes together with %(count)d other accounts; the group counts once",
            int(v["others"]),
        )
        % {"count": int(v["others"])}
    ),
}


def reasons_in_words(discount: Discount) -> tuple[str, ...]:
    return tuple(SENTENCES[cue](values) for cue, values in discount.named)


@dataclass
class Explained:
    idea: Idea
    row: RankedIdea
    discounted: list[tuple[Member | None, Discount]]


def rank(ideas: QuerySet[Idea]) -> list[Explained]:
    """These ideas (merged duplicates left out), most supported first, with explanations."""
    chosen = {
        idea.pk: idea
        for idea in ideas.filter(merged_into=None)
        .select_related("thread__author", "thread__space")
        .order_by("-thread__created_at", "-pk")
    }
    support = [
        Support(member_id, idea_id, "vote")
        for idea_id, member_id in IdeaVote.objects.filter(idea_id__in=chosen).values_list(
            "idea_id", "member_id"
        )
    ]
    replies = (
        Post.objects.filter(
            thread__idea__in=chosen.values(),
            parent__isnull=False,
            is_hidden=False,
            is_deleted=False,
            author__isnull=False,
        )
        .exclude(author=F("thread__author"))
        .values_list("thread__idea", "author_id")
    )
    support += [Support(member_id, idea_id, "reply") for idea_id, member_id in replies]
    weights = reliability(int(str(s.member)) for s in support)
    rows = rank_ideas(support, weights, ideas=list(chosen))
    named = {
        m.pk: m
        for m in Member.objects.filter(pk__in={d.member for r in rows for d in r.discounted})
    }
    return [
        Explained(
            idea=chosen[int(str(row.idea))],
            row=row,
            discounted=[
                (
                    named.get(int(str(d.member))),
                    replace(d, reasons=reasons_in_words(d)),
                )
                for d in row.discounted
            ],
        )
        for row in rows
    ]
