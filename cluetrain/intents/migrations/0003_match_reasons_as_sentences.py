"""Match.reasons: each reason kept as a sentence and its values
(cluetrain.core.sentences.Sentence.to_json), put into words in the reader's language.

Until now matching stored its reasons as English text and the vendor's page matched them
back with regular expressions to translate them. The table below is that matching, frozen
as it was (it is history: matching now writes sentences); a text it does not know stays a
plain string and is shown as written. Undoing this keeps the sentences (pages read both).
"""

import re

from django.db import migrations

BATCH = 2000

#: (the old text, the sentence's msgid, the names of the matched values and the type each is
#: stored as). "offers" comes last: a place or a category may hold any words.
PATTERNS = [
    (
        r"serves (.+) \((\d+) km away\)",
        "serves %(place)s (%(km)s km away)",
        (("place", str), ("km", int)),
    ),
    (
        r"what it offers reads like the request \(([\d.]+)\)",
        "what it offers reads like the request (%(similarity)s)",
        (("similarity", float),),
    ),
    (r"reputation (\d+)/100", "reputation %(percent)s/100", (("percent", int),)),
    (r"offers (.+)", "offers %(category)s", (("category", str),)),
]


def sentence_of(reason):  # type: ignore[no-untyped-def]
    """The Sentence.to_json() of an old English reason; anything else as it was."""
    if not isinstance(reason, str):
        return reason  # already a sentence
    for pattern, singular, names in PATTERNS:
        found = re.fullmatch(pattern, reason, re.S)
        if found is not None:
            values = {
                name: kind(value) for (name, kind), value in zip(names, found.groups(), strict=True)
            }
            return {"singular": singular, "values": values}
    return reason


def convert(apps, schema_editor):  # type: ignore[no-untyped-def]
    Match = apps.get_model("intents", "Match")
    changed = []
    for match in Match.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        reasons = [sentence_of(reason) for reason in match.reasons or []]
        if reasons != match.reasons:
            match.reasons = reasons
            changed.append(match)
        if len(changed) >= BATCH:
            Match.objects.bulk_update(changed, ["reasons"])
            changed = []
    Match.objects.bulk_update(changed, ["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("intents", "0002_moderation_and_vendor_places"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
