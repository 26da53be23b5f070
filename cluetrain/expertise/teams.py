"""The all-star team for a prospect, from the community's own record.

Skills are topics; the people qualified for each are those the expert finder ranks highest for
that topic and the prospect's words, among those who answered about it (among those who declare
it only when nobody has); the collaboration graph is the members' ties (replies both
ways, answers, referrals, connections: cluetrain.relationships), shorter where the tie is
stronger; resonance with the prospect's customer is an existing good tie with them, shared
interests, and the same place.
"""

from dataclasses import dataclass

import networkx as nx  # type: ignore[import-untyped]
from django.utils.translation import gettext, ngettext

from cluetrain.expertise.finder import REASONS, community_finder
from cluetrain.members.models import Member, Profile
from cluetrain.relationships.models import Tie
from cluetrain_analytics.expertise import Query
from cluetrain_analytics.teams import Candidate, Team, TeamBuilder, round_distance
from cluetrain_analytics.teams import Member as TeamMember

#: Qualified people considered per skill.
PER_SKILL = 8


@dataclass(frozen=True)
class Prospect:
    text: str
    skills: tuple[str, ...]
    place: str = ""
    customer: Member | None = None


def collaboration_graph() -> nx.Graph:
    """Members joined by their ties; a stronger tie is a shorter edge (cost 2 - strength)."""
    graph = nx.Graph()
    rows = Tie.objects.filter(other_member__isnull=False, polarity__gte=0).values_list(
        "member_id", "other_member_id", "strength"
    )
    for a, b, strength in rows.iterator(chunk_size=5000):
        graph.add_edge(a, b, cost=2.0 - strength)
    return graph


def qualified(prospect: Prospect) -> dict[str, list[Candidate]]:
    """Per skill, the people the expert finder ranks highest, expertise scaled to [0, 1]."""
    finder = community_finder()
    found: dict[str, list[Candidate]] = {}
    for skill in prospect.skills:
        ranked = finder.rank(Query(text=f"{skill} {prospect.text}", tags=(skill,)), k=PER_SKILL)
        # Qualified: those who answered about the skill; only when nobody has, those who
        # declare it (declared expertise counts, but less than demonstrated expertise).
        shown = [e for e in ranked if e.features.get("tag_answers", 0) > 0]
        ranked = shown or [e for e in ranked if e.features.get("declared", 0) > 0]
        if not ranked:
            found[skill] = []
            continue
        low, high = min(e.score for e in ranked), max(e.score for e in ranked)
        span = high - low
        found[skill] = [
            Candidate(
                person=e.person,
                # Scaled so the best for the skill is 1; the only one qualified is the best.
                expertise=(e.score - low) / span if span > 0 else 1.0,
                why=str(REASONS.get(e.reasons[0][0], e.reasons[0][0])) if e.reasons else "",
            )
            for e in ranked
        ]
    return found


def resonance(
    prospect: Prospect, people: set[object]
) -> tuple[dict[object, float], dict[object, str]]:
    """How well each person would resonate with the prospect's customer, with the reason."""
    scores: dict[object, float] = {}
    reasons: dict[object, str] = {}
    customer = prospect.customer
    interests: set[int] = set()
    if customer is not None:
        interests = set(
            Profile.interests.through.objects.filter(profile__member=customer).values_list(
                "topic_id", flat=True
            )
        )
        for tie in Tie.objects.filter(other_member__isnull=False, polarity__gt=0).filter(
            member=customer
        ) | Tie.objects.filter(other_member=customer, polarity__gt=0):
            other = tie.other_member_id if tie.member_id == customer.pk else tie.member_id
            if other in people:
                scores[other] = max(scores.get(other, 0.0), tie.strength)
                reasons[other] = gettext("already a good tie with %(name)s") % {
                    "name": customer.name
                }
    place = prospect.place.strip().lower()
    for profile in Profile.objects.filter(member_id__in=people).prefetch_related("interests"):
        person = profile.member_id
        shared = interests & {t.pk for t in profile.interests.all()}
        if shared:
            scores[person] = min(1.0, scores.get(person, 0.0) + 0.2 * len(shared))
            reasons.setdefault(
                person,
                ngettext(
                    "shares %(count)d interest with the customer",
                    "shares %(count)d interests with the customer",
                    len(shared),
                )
                % {"count": len(shared)},
            )
        if place and profile.location and place in profile.location.lower():
            scores[person] = min(1.0, scores.get(person, 0.0) + 0.3)
            reasons.setdefault(person, gettext("also in %(place)s") % {"place": profile.location})
    return scores, reasons


def builder_for(prospect: Prospect) -> TeamBuilder:
    experts = qualified(prospect)
    people = {c.person for candidates in experts.values() for c in candidates}
    scores, reasons = resonance(prospect, people)
    graph = collaboration_graph()
    graph.add_nodes_from(people)
    return TeamBuilder(graph, experts, resonance=scores, resonance_reasons=reasons)


def propose(prospect: Prospect) -> Team:
    return builder_for(prospect).build(list(prospect.skills), method="sum_distance")


def reasons_in_words(member: TeamMember) -> list[str]:
    """Why `member` is on the team, in the request's language (`Member.notes` worded)."""
    words = []
    for kind, values in member.notes:
        why = values.get("why")
        if kind == "covers":
            text = (
                gettext("covers %(skill)s: %(why)s") if why else gettext("covers %(skill)s")
            ) % values
        elif kind == "backs_up":
            text = (
                gettext("backs up %(skill)s: %(why)s") if why else gettext("backs up %(skill)s")
            ) % values
        elif kind == "added":
            text = gettext("added by staff")
        elif kind == "no_path":
            text = gettext("no path to the rest of the team")
        elif kind == "nearest":
            distance = values["distance"]
            assert isinstance(distance, int | float)
            text = gettext("%(distance)s from the nearest teammate") % {
                "distance": round_distance(distance)
            }
        elif kind == "resonates":
            score = values["score"]
            assert isinstance(score, int | float)
            text = gettext("resonates with the prospect (%(score)s)") % {"score": f"{score:.2f}"}
        else:
            text = str(values.get("reason", ""))
        words.append(text)
    return words
