from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `cluetrain worker`, touched every few seconds while it lives.

    A task RUNNING on a worker whose beat has gone stale was abandoned (the process was killed
    or its machine went away): cluetrain.ops.leases puts it back in the queue.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    pid = models.PositiveIntegerField()
    host = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} (pid {self.pid} on {self.host})"
