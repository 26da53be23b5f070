"""The spam filter's reasons in the reader's language: the scorer (framework-free) names each
cue it held a contribution for with the values it read (`SpamVerdict.named`); this words them."""

from collections.abc import Callable, Mapping, Sequence

from django.utils.translation import gettext, ngettext

from cluetrain.core.sentences import figure

Values = Mapping[str, int | float | str]

SENTENCES: dict[str, Callable[[Values], str]] = {
    "link_density": lambda v: (
        ngettext(
            "%(links)s link in %(words)s words",
            "%(links)s links in %(words)s words",
            int(v["links"]),
        )
        % v
    ),
    "many_links": lambda v: gettext("%(links)s links") % v,
    "shortened_link": lambda v: gettext("a shortened link hides its target"),
    "spam_phrases": lambda v: gettext("spam phrases: %(phrases)s") % v,
    "shouting": lambda v: gettext("mostly in capital letters"),
    "repetition": lambda v: gettext("the same words or characters over and over"),
    "contact_details": lambda v: gettext("phone numbers or e-mail addresses in the text"),
    "money": lambda v: gettext("sums of money"),
    "new_account": lambda v: (
        ngettext("account %(days)s day old", "account %(days)s days old", int(v["days"])) % v
    ),
    "first_contribution": lambda v: gettext("the author's first contribution"),
    "seen_before": lambda v: (
        ngettext(
            "the same text was posted %(times)s time before",
            "the same text was posted %(times)s times before",
            int(v["times"]),
        )
        % v
    ),
    "invented_review": lambda v: (
        gettext("reads like an invented review (deception probability %(probability)s)")
        % {"probability": figure(float(v["probability"]), 2)}
    ),
}


def in_words(
    named: Sequence[Sequence[object]] | Sequence[tuple[str, Values]], english: Sequence[str]
) -> list[str]:
    """The reasons of a screening, worded in the active language; the stored English ones for
    a screening from before the scorer named its cues, or a cue this version does not know."""
    if not named:
        return list(english)
    worded = []
    for index, (name, values) in enumerate(named):
        sentence = SENTENCES.get(str(name))
        if sentence is None or not isinstance(values, Mapping):
            worded.append(english[index] if index < len(english) else str(name))
        else:
            worded.append(sentence(values))
    return worded
