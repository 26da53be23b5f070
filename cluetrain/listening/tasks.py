"""Background listening: enrich what is pending, then roll complaints up into root issues.

One task does both, so a burst of new messages is read in batches by whichever run comes
first and the later runs find nothing to do. It is safe to run twice or to kill mid-batch.
"""

import sys

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from tqdm import tqdm

from cluetrain.core.events import publish
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.listening.events import MessagesRead
from cluetrain.listening.models import Enrichment
from cluetrain.threads.events import PostCreated, PostEdited

# The readers (scikit-learn, the models) are imported inside the tasks: commands and pages
# that never read text should start fast without loading them.


@task()
def listen() -> int:
    """Enrich every pending message and roll up complaints; return how many were enriched.

    Then MessagesRead is published: influence updates the cascades of the threads that got
    new messages and raises alerts.
    """
    return read_pending()


def read_pending(progress_label: str | None = None) -> int:
    """What `listen` does; with a label, under a progress bar on stderr (commands)."""
    from cluetrain.listening.enrichment import count_pending, enrich_pending
    from cluetrain.listening.rollup import roll_up

    started = timezone.now()
    if progress_label is None:
        done = enrich_pending()
    else:
        total = count_pending()
        with tqdm(total=total, unit="msg", desc=progress_label, file=sys.stderr) as bar:
            done = enrich_pending(progress=bar.update)
    if done:
        roll_up()
        publish(MessagesRead(started_at=started, count=done))
    return done


@task()
def refit() -> None:
    """Refit aliases and topics on the community's own messages, then re-enrich."""
    from cluetrain.listening.refresh import refresh_models

    refresh_models()
    listen.call()


@task()
def retrain() -> None:
    """Retrain the sentiment and emotion heads from staff's labels, then read again."""
    from cluetrain.core.errors import ActionError
    from cluetrain.listening.retrain import do_retrain

    try:
        do_retrain()
    except ActionError:
        return  # checked before it was queued; labels removed since leave the heads in use
    listen.call()


def listen_after_commit() -> None:
    """Call where messages are written; a no-op when listening is turned off."""
    if settings.LISTENING_ENRICH:
        enqueue_on_commit(listen)


def reread_after_commit(post_id: int) -> None:
    """An edited message: forget what was read (its issue too), then read it again."""
    transaction.on_commit(lambda: Enrichment.objects.filter(post_id=post_id).delete())
    listen_after_commit()


# Subscribed in ListeningConfig.ready(); they run after the publishing transaction commits.


def on_post_created(event: PostCreated) -> None:
    listen_after_commit()


def on_post_edited(event: PostEdited) -> None:
    if event.text_changed:
        reread_after_commit(event.post_id)
