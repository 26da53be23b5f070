"""Words for the reader's label codes, in the reader's language.

The reader stores codes ("negative", "joy", "threaten_to_leave") that filters and links use;
pages show `label_text(code)`. A code without a word here (a new label) shows as it is.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDS: dict[str, Promise] = {
    # Sentiment.
    "negative": _("negative"),
    "neutral": _("neutral"),
    "positive": _("positive"),
    "unsure": _("unsure"),
    # Emotion.
    "anger": _("anger"),
    "joy": _("joy"),
    "optimism": _("optimism"),
    "sadness": _("sadness"),
    # Intent.
    "complain": _("complain"),
    "praise": _("praise"),
    "ask": _("ask"),
    "recommend": _("recommend"),
    "threaten_to_leave": _("threaten to leave"),
    "intend_to_buy": _("intend to buy"),
}


def label_text(code: str) -> str:
    """The word for a label code in the active language; the code itself if it has none."""
    word = WORDS.get(code)
    return str(word) if word is not None else code
