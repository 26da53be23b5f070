"""Background listening: enrich what is pending, then roll complaints up into root issues.

One task does both, so a burst of new messages is read in batches by whichever run comes
first and the later runs find nothing to do. It is safe to run twice or to kill mid-batch.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.listening.models import Enrichment

# The readers (scikit-learn, the models) are imported inside the tasks: every module that
# writes posts imports this one, and commands that never read text should start fast.


@task()
def listen() -> int:
    """Enrich every pending message and roll up complaints; return how many were enriched.

    Then the cascades of the threads that got new messages are updated and alerts raised.
    """
    from cluetrain.listening.enrichment import enrich_pending
    from cluetrain.listening.rollup import roll_up

    started = timezone.now()
    done = enrich_pending()
    if done:
        roll_up()
        # Imported here: the influence app imports modules that import this one.
        from cluetrain.influence.alerts import check_alerts
        from cluetrain.influence.cascades import threads_enriched_since, track_cascades

        check_alerts(track_cascades(threads_enriched_since(started)))
    return done


@task()
def refit() -> None:
    """Refit aliases and topics on the community's own messages, then re-enrich."""
    from cluetrain.listening.refresh import refresh_models

    refresh_models()
    listen.call()


def listen_after_commit() -> None:
    """Call where messages are written; a no-op when listening is turned off."""
    if settings.LISTENING_ENRICH:
        enqueue_on_commit(listen)


def reread_after_commit(post_id: int) -> None:
    """An edited message: forget what was read (its issue too), then read it again."""
    transaction.on_commit(lambda: Enrichment.objects.filter(post_id=post_id).delete())
    listen_after_commit()
