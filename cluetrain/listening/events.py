"""What listening tells the apps built on it (cluetrain.core.events)."""

from dataclasses import dataclass
from datetime import datetime

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class MessagesRead(Event):
    """A listening run enriched `count` messages; those read since `started_at` are new."""

    started_at: datetime
    count: int
