"""What happens to members and between them, for the apps that react (cluetrain.core.events)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class MemberJoined(Event):
    member_id: int


@dataclass(frozen=True, slots=True)
class ProfileEdited(Event):
    """What the profile shows changed: its name, headline, bio, expertise or interests."""

    member_id: int


@dataclass(frozen=True, slots=True)
class MemberDeleted(Event):
    """An account deleted at its owner's request; the row stays, anonymized and inactive."""

    member_id: int


@dataclass(frozen=True, slots=True)
class ConnectionMade(Event):
    """A new follow, or a request to connect (`kind` and `status` say which)."""

    connection_id: int
    from_member_id: int
    to_member_id: int
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class ConnectionAnswered(Event):
    """A connection request accepted (`accepted`) or declined."""

    connection_id: int
    from_member_id: int
    to_member_id: int
    accepted: bool


@dataclass(frozen=True, slots=True)
class ConnectionEnded(Event):
    """A follow undone, or a connection (or request) withdrawn, by `member_id`."""

    member_id: int
    other_id: int
    kind: str
