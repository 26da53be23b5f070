"""What a person reads on an influence card: why someone holds a role, and why a leaderboard
is ranked the way it is, in words built from the stored numbers."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluetrain.core.sentences import figure
from cluetrain.influence.models import RankingSignal


@dataclass(frozen=True)
class RoleReason:
    role: str
    label: str
    reason: str


def _percent(share: float) -> int:
    return round(100 * share)


def _ahead(share: float) -> int:
    # Rounded down: "more than 100 %" of the others would be wrong for the leader itself.
    return math.floor(100 * share)


def _topics(count: float) -> str:
    n = round(count)
    return ngettext("%(count)d topic", "%(count)d topics", n) % {"count": n}


def role_reasons(facts: dict[str, dict[str, float]]) -> list[RoleReason]:
    """One sentence per role held, from `InfluenceScore.role_facts`."""
    reasons = []
    for role, f in facts.items():
        ahead = _ahead(f.get("ahead_of", 0.0))
        if role == "expert":
            text = _(
                "Heard for answers: %(answers)d replies and accepted answers received, "
                "%(share)d%% of all the attention they get, on %(topics)s; "
                "more than %(ahead)d%% of active members."
            ) % {
                "answers": round(f.get("answers_received", 0.0)),
                "share": _percent(f.get("answer_share", 0.0)),
                "topics": _topics(f.get("topics_heard", 0.0)),
                "ahead": ahead,
            }
            reasons.append(RoleReason(role, _("Expert"), text))
        elif role == "connector":
            text = _(
                "A bridge between people who do not otherwise talk: betweenness %(b)s, "
                "talking on %(topics)s; higher than %(ahead)d%% of active members."
            ) % {
                "b": figure(f.get("betweenness", 0.0), 3),
                "topics": _topics(f.get("topics_spanned", 0.0)),
                "ahead": ahead,
            }
            reasons.append(RoleReason(role, _("Connector"), text))
        elif role == "amplifier":
            text = _(
                "Carries others' messages further: %(n)d shares and mentions, followed by "
                "%(echoes)d reactions within a day; more echoes than %(ahead)d%% of active "
                "members."
            ) % {
                "n": round(f.get("amplifications", 0.0)),
                "echoes": round(f.get("echoes", 0.0)),
                "ahead": ahead,
            }
            reasons.append(RoleReason(role, _("Amplifier"), text))
    return reasons


def signal_reason(signal: RankingSignal | None) -> str:
    """Why the leaderboard is ranked by what it is ranked by."""
    if signal is None:
        return ""
    if signal.influence_ndcg is None or signal.in_degree_ndcg is None:
        return _(
            "Ranked by influence; too little later activity (%(n)d interactions) to check it "
            "against plain counts of attention received."
        ) % {"n": signal.judged_on}
    numbers = {
        "ours": figure(signal.influence_ndcg, 2),
        "counted": figure(signal.in_degree_ndcg, 2),
        "n": signal.judged_on,
    }
    if signal.signal == RankingSignal.Signal.IN_DEGREE:
        return (
            _(
                "Ranked by attention received: here, counting the replies, votes and shares "
                "people received predicted who was heard in the latest quarter of the activity "
                "better than influence did (NDCG@20 %(counted)s against %(ours)s, on %(n)d "
                "later interactions)."
            )
            % numbers
        )
    return (
        _(
            "Ranked by influence: it predicted who was heard in the latest quarter of the activity "
            "at least as well as counting attention received (NDCG@20 %(ours)s against "
            "%(counted)s, on %(n)d later interactions)."
        )
        % numbers
    )
