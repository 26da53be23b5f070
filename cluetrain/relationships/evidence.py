"""What an inferred event's evidence says, in the reader's language.

The evidence is stored as the English record the rules (rules.py) and the actions that infer
(requests, referrals, invitations) wrote; the pages show the sentence for each kind of record,
translated, with its values (stars, a price, a need) put back in. A record this table does not
know, and what a member stated in their own words, is shown as it was written.
"""

import re
from collections.abc import Callable

from django.utils.translation import gettext, gettext_noop, ngettext

#: Records written word for word (English msgids, translated when shown).
FIXED = {
    text: text
    for text in (
        gettext_noop("replied"),
        gettext_noop("replied to someone who had replied to them"),
        gettext_noop("answered for the company"),
        gettext_noop("accepted the answer"),
        gettext_noop("declined a request to connect"),
        gettext_noop("followed"),
        gettext_noop("marked as trusted"),
        gettext_noop("connected"),
        gettext_noop("marked a post as like"),
        gettext_noop("marked a post as helpful"),
        gettext_noop("marked a post as agree"),
        gettext_noop("marked a post as upvote"),
        gettext_noop("marked a post as downvote"),
        gettext_noop("recommended in a message"),
        gettext_noop("praised in a message"),
        gettext_noop("said they would leave in a message"),
        gettext_noop("said they would buy in a message"),
        gettext_noop("complained in a message"),
        gettext_noop("asked for this in a personal request"),
        gettext_noop("answered a personal request"),
        gettext_noop("accepted another offer"),
        gettext_noop("invited to answer a question"),
    )
}


def _patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    return [
        (
            re.compile(r"reviewed with (\d) of 5 stars"),
            lambda m: gettext("reviewed with %(stars)s of 5 stars") % {"stars": m.group(1)},
        ),
        (
            re.compile(r"came back: (\d+) reviews of its products"),
            lambda m: (
                ngettext(
                    "came back: %(count)s review of its products",
                    "came back: %(count)s reviews of its products",
                    int(m.group(1)),
                )
                % {"count": m.group(1)}
            ),
        ),
        (
            re.compile(r"accepted an offer of (.+)"),
            lambda m: gettext("accepted an offer of %(price)s") % {"price": m.group(1)},
        ),
        (
            re.compile(r"rated a deal (\d) of 5"),
            lambda m: gettext("rated a deal %(stars)s of 5") % {"stars": m.group(1)},
        ),
        (
            re.compile(r"asked for: (.*)", re.S),
            lambda m: gettext("asked for: %(need)s") % {"need": m.group(1)},
        ),
        (
            re.compile(r"referred (.+?) for: (.*)", re.S),
            lambda m: (
                gettext("referred %(name)s for: %(need)s")
                % {"name": m.group(1), "need": m.group(2)}
            ),
        ),
        (
            re.compile(r"work done through a referral: (.*)", re.S),
            lambda m: gettext("work done through a referral: %(need)s") % {"need": m.group(1)},
        ),
        (
            re.compile(r"rated (\d)/5 after a referral: (.*)", re.S),
            lambda m: (
                gettext("rated %(stars)s/5 after a referral: %(words)s")
                % {"stars": m.group(1), "words": m.group(2)}
            ),
        ),
    ]


def evidence_text(evidence: str) -> str:
    """An inferred event's evidence in the reader's language (as written when unknown)."""
    if evidence in FIXED:
        return gettext(FIXED[evidence])
    for pattern, sentence in _patterns():
        found = pattern.fullmatch(evidence)
        if found is not None:
            return sentence(found)
    return evidence
