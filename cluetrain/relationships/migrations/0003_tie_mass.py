"""Tie.mass: the decayed weight behind a tie's strength, kept so that heavy ties can be told
apart and ranked (their strength is within a rounding of 1).

Existing ties get it back from their strength, mass = -5 ln(1 - strength), exact to far
better than the one decimal shown; a strength stored as exactly 1.0 (weight above about 180)
gets its signed weight, positive + negative, at least 180, until the tie's next refresh
(any change to its events, or refresh_all) computes it from the events.
"""

import math

from django.db import migrations, models

STRENGTH_SCALE = 5.0  # cluetrain_analytics.relationships.STRENGTH_SCALE when written
SATURATED = 180.0


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Tie = apps.get_model("relationships", "Tie")
    changed = []
    for tie in Tie.objects.only("pk", "strength", "positive", "negative").iterator(
        chunk_size=2000
    ):
        if tie.strength < 1.0:
            tie.mass = -STRENGTH_SCALE * math.log1p(-tie.strength)
        else:
            tie.mass = max(tie.positive + tie.negative, SATURATED)
        changed.append(tie)
        if len(changed) >= 2000:
            Tie.objects.bulk_update(changed, ["mass"])
            changed = []
    Tie.objects.bulk_update(changed, ["mass"])


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0002_ties_corrections_inference"),
    ]

    operations = [
        migrations.AddField(
            model_name="tie",
            name="mass",
            field=models.FloatField(default=0.0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
