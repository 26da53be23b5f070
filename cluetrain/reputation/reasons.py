"""A flag's reasons in the reader's language: the defences (framework-free) name each reason's
cue with its figures (`FlagReason`); this keeps it as a `Sentence` (stored in
`FlaggedAccount.reasons` with `to_json`), worded when it is read."""

from collections.abc import Callable, Mapping

from django.utils.translation import gettext_noop

from cluetrain.core.sentences import Sentence
from cluetrain_analytics.reputation.defences import FlagReason

Figures = Mapping[str, int | float]

SENTENCES: dict[str, Callable[[Figures], Sentence]] = {
    "near_identical_neighbourhoods": lambda v: Sentence.ngettext(
        "one of %(count)s account with near-identical neighbourhoods (Jaccard >= %(similarity)s)",
        "one of %(count)s accounts with near-identical neighbourhoods (Jaccard >= %(similarity)s)",
        int(v["count"]),
        {"similarity": float(v["similarity"])},
    ),
    "dense_inside": lambda v: Sentence(
        gettext_noop("%(percent)s%% of the possible ratings inside the group exist"),
        {"percent": int(v["percent"])},
    ),
    "links_leaving": lambda v: Sentence(
        gettext_noop("%(percent)s%% of the group's links leave it (at most %(limit)s%%)"),
        {"percent": int(v["percent"]), "limit": int(v["limit"])},
    ),
    "rates_outside": lambda v: Sentence.ngettext(
        "the group rates %(count)s account outside itself",
        "the group rates %(count)s accounts outside itself",
        int(v["count"]),
    ),
    "created_together": lambda v: Sentence.ngettext(
        "%(count)s account of the group first appeared within %(hours)s h of the others",
        "%(count)s of the group's accounts first appeared within %(hours)s h of each other",
        int(v["count"]),
        {"hours": int(v["hours"])},
    ),
}


def flag_sentence(reason: FlagReason) -> Sentence:
    """The sentence of one reason (every cue of `FLAG_CUES` has one: a test checks)."""
    return SENTENCES[reason.cue](reason.values)
