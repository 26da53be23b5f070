"""FlaggedAccount.reasons: each reason kept as a sentence and its values
(cluetrain.core.sentences.Sentence.to_json), put into words in the reader's language.

Until now the defences' reasons were stored as English text and the pages matched them back
with regular expressions to translate them. The table below is that matching, frozen as it
was (it is history: the defences now name cues, reputation.reasons words them); a text it
does not know stays a plain string and is shown as written. The next recomputation replaces
every row anyway; undoing this keeps the sentences (pages read both).
"""

import re

from django.db import migrations

BATCH = 2000

NEAR_IDENTICAL = (
    "one of %(count)s account with near-identical neighbourhoods (Jaccard >= %(similarity)s)",
    "one of %(count)s accounts with near-identical neighbourhoods (Jaccard >= %(similarity)s)",
)
RATES_OUTSIDE = (
    "the group rates %(count)s account outside itself",
    "the group rates %(count)s accounts outside itself",
)
CREATED_TOGETHER = (
    "%(count)s account of the group first appeared within %(hours)s h of the others",
    "%(count)s of the group's accounts first appeared within %(hours)s h of each other",
)

#: (the old text, the sentence's msgid and plural, the names of the matched values and the
#: type each is stored as).
PATTERNS = [
    (
        r"one of (\d+) accounts with near-identical neighbourhoods \(Jaccard >= ([\d.]+)\)",
        NEAR_IDENTICAL,
        (("count", int), ("similarity", float)),
    ),
    (
        r"(\d+)% of the possible ratings inside the group exist",
        ("%(percent)s%% of the possible ratings inside the group exist", ""),
        (("percent", int),),
    ),
    (
        r"(\d+)% of the group's links leave it \(at most (\d+)%\)",
        ("%(percent)s%% of the group's links leave it (at most %(limit)s%%)", ""),
        (("percent", int), ("limit", int)),
    ),
    (
        r"the group rates (\d+) account\(s\) outside itself",
        RATES_OUTSIDE,
        (("count", int),),
    ),
    (
        r"(\d+) of the group's accounts first appeared within (\d+) h of each other",
        CREATED_TOGETHER,
        (("count", int), ("hours", int)),
    ),
]


def sentence_of(reason):  # type: ignore[no-untyped-def]
    """The Sentence.to_json() of an old English reason; anything else as it was."""
    if not isinstance(reason, str):
        return reason  # already a sentence
    for pattern, (singular, plural), names in PATTERNS:
        found = re.fullmatch(pattern, reason)
        if found is None:
            continue
        values = {
            name: kind(value) for (name, kind), value in zip(names, found.groups(), strict=True)
        }
        data = {"singular": singular, "values": values}
        if plural:
            data["plural"] = plural
        return data
    return reason


def convert(apps, schema_editor):  # type: ignore[no-untyped-def]
    FlaggedAccount = apps.get_model("reputation", "FlaggedAccount")
    changed = []
    for flag in FlaggedAccount.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        reasons = [sentence_of(reason) for reason in flag.reasons or []]
        if reasons != flag.reasons:
            flag.reasons = reasons
            changed.append(flag)
        if len(changed) >= BATCH:
            FlaggedAccount.objects.bulk_update(changed, ["reasons"])
            changed = []
    FlaggedAccount.objects.bulk_update(changed, ["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("reputation", "0001_initial"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
