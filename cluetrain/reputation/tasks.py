"""Reputation is recomputed in the background after anything that rates someone."""

from django_tasks import task

from cluetrain.core.events import Event
from cluetrain.reputation.compute import refresh_reputation


@task()
def recompute_reputation() -> None:
    refresh_reputation()


def on_rating_changed(event: Event) -> None:
    # The whole graph at once: the defences look at groups, not at one rating.
    recompute_reputation.enqueue()
