"""What influence tells the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class AlertRaised(Event):
    alert_id: int
    cascade_id: int
