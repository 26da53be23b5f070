"""What happens to jam themes, for the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class ThemeChanged(Event):
    """A moderator renamed a theme, merged it into another (`into_id`), or split a new one
    off it (`theme_id` is then the new theme, `from_id` the one it came from)."""

    theme_id: int
    jam_id: int
    change: str  # "renamed", "merged", "split"
    into_id: int | None = None
    from_id: int | None = None


@dataclass(frozen=True, slots=True)
class JamStarted(Event):
    jam_id: int


@dataclass(frozen=True, slots=True)
class JamEnded(Event):
    jam_id: int
