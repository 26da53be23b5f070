"""Background work of jams: theme each new post (queued by cluetrain/jams/guard.py once the
post commits), re-cluster a jam (both idempotent)."""

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from cluetrain.jams.clustering import do_recluster, do_theme_post
from cluetrain.jams.lifecycle import do_announce_jam
from cluetrain.jams.models import Jam

# A post's theme takes milliseconds and is waited for on the jam page: it goes ahead of the
# queue's bulk work (listening, digests), which a busy jam would otherwise stand behind.
THEME_PRIORITY = 50


@task(priority=THEME_PRIORITY)
def theme_post(post_id: int) -> None:
    if do_theme_post(post_id):
        jam_id = Jam.objects.filter(space__threads__posts=post_id).values_list("pk", flat=True)
        recluster_jam.enqueue(jam_id[0], True)


@task()
def recluster_jam(jam_id: int, grow: bool) -> None:
    do_recluster(jam_id, grow)


@task()
def announce_jam(jam_id: int) -> None:
    do_announce_jam(jam_id)


def schedule_announcements(jam_id: int, moments: tuple[datetime, datetime]) -> None:
    """Queue `announce_jam` for the start and the end: at once for a moment already past,
    deferred to it otherwise (where the queue can defer: the database queue of `cluetrain
    serve`; the in-process queue of tests and commands cannot, and announces only the past)."""
    now = timezone.now()
    for moment in moments:
        if moment <= now:
            announce_jam.enqueue(jam_id)
        elif announce_jam.get_backend().supports_defer:
            announce_jam.using(run_after=moment).enqueue(jam_id)
