"""RelationshipEvent.evidence_sentence: an inferred event's evidence kept as a sentence and its
values (cluetrain.core.sentences.Sentence), put into words in the reader's language.

Until now the evidence was stored as English text only, and the pages matched it back with
regular expressions to translate it. Existing inferred rows get their sentence from the
table below, that matching frozen as it was (it is history: the rules now write sentences);
a text it does not know keeps no sentence and is shown as written. Undoing it drops the
column, so the data step needs no reverse.
"""

import re

from django.db import migrations, models

BATCH = 2000

#: Evidence written word for word by the rules and actions before sentences.
FIXED = {
    "replied",
    "replied to someone who had replied to them",
    "answered for the company",
    "accepted the answer",
    "declined a request to connect",
    "followed",
    "marked as trusted",
    "connected",
    "marked a post as like",
    "marked a post as helpful",
    "marked a post as agree",
    "marked a post as upvote",
    "marked a post as downvote",
    "recommended in a message",
    "praised in a message",
    "said they would leave in a message",
    "said they would buy in a message",
    "complained in a message",
    "asked for this in a personal request",
    "answered a personal request",
    "accepted another offer",
    "invited to answer a question",
}

#: (the old text, the sentence's msgid, its plural, the names of the matched values); a
#: value that is all digits is stored as a number, as the rules store it.
PATTERNS = [
    (
        r"reviewed with (\d) of 5 stars",
        "reviewed with %(stars)s of 5 stars",
        "",
        ("stars",),
    ),
    (
        r"came back: (\d+) reviews? of its products",
        "came back: %(count)s review of its products",
        "came back: %(count)s reviews of its products",
        ("count",),
    ),
    (r"accepted an offer of (.+)", "accepted an offer of %(price)s", "", ("price",)),
    (r"rated a deal (\d) of 5", "rated a deal %(stars)s of 5", "", ("stars",)),
    (r"asked for: (.*)", "asked for: %(need)s", "", ("need",)),
    (r"referred (.+?) for: (.*)", "referred %(name)s for: %(need)s", "", ("name", "need")),
    (
        r"work done through a referral: (.*)",
        "work done through a referral: %(need)s",
        "",
        ("need",),
    ),
    (
        r"rated (\d)/5 after a referral: (.*)",
        "rated %(stars)s/5 after a referral: %(words)s",
        "",
        ("stars", "words"),
    ),
]


def sentence_of(evidence):  # type: ignore[no-untyped-def]
    """The Sentence.to_json() of an old English evidence text, or None if it is not known."""
    if evidence in FIXED:
        return {"singular": evidence, "values": {}}
    for pattern, singular, plural, names in PATTERNS:
        found = re.fullmatch(pattern, evidence, re.S)
        if found is None:
            continue
        values = {
            name: int(value) if name in ("stars", "count") else value
            for name, value in zip(names, found.groups(), strict=True)
        }
        data = {"singular": singular, "values": values}
        if plural:
            data["plural"] = plural
        return data
    return None


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    RelationshipEvent = apps.get_model("relationships", "RelationshipEvent")
    rows = RelationshipEvent.objects.filter(inferred=True, evidence_sentence__isnull=True)
    changed = []
    for event in rows.only("pk", "evidence").iterator(chunk_size=BATCH):
        event.evidence_sentence = sentence_of(event.evidence)
        if event.evidence_sentence is not None:
            changed.append(event)
        if len(changed) >= BATCH:
            RelationshipEvent.objects.bulk_update(changed, ["evidence_sentence"])
            changed = []
    RelationshipEvent.objects.bulk_update(changed, ["evidence_sentence"])


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0003_tie_mass"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationshipevent",
            name="evidence_sentence",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
