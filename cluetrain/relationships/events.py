"""What relationships tell the apps that react (cluetrain.core.events): webhooks, reputation."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class RelationshipChanged(Event):
    """An expression was stated, inferred, corrected, withdrawn or removed."""

    event_id: int
    kind: str
    change: str
