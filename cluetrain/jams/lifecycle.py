"""A jam's start and end, announced once each (`JamStarted`, `JamEnded`: webhooks react).

`cluetrain.jams.tasks.schedule_announcements` queues `announce_jam` for the jam's start and
end (deferred with the database queue that `cluetrain serve` runs; at once for a moment
already past). The task may run late or twice: each announcement is claimed by a conditional
update of its flag, so it goes out exactly once.
"""

from django.db import transaction
from django.utils import timezone

from cluetrain.core.events import publish
from cluetrain.jams.events import JamEnded, JamStarted
from cluetrain.jams.models import Jam


@transaction.atomic
def do_announce_jam(jam_id: int) -> list[str]:
    """Announce what is due and not yet announced; the names of what was announced."""
    jam = Jam.objects.filter(pk=jam_id).first()
    if jam is None:
        return []
    now = timezone.now()
    done = []
    due = Jam.objects.filter(pk=jam_id)
    if now >= jam.starts_at and due.filter(started_announced=False).update(started_announced=True):
        publish(JamStarted(jam_id=jam_id))
        done.append("jam.started")
    if now >= jam.ends_at and due.filter(ended_announced=False).update(ended_announced=True):
        publish(JamEnded(jam_id=jam_id))
        done.append("jam.ended")
    return done
