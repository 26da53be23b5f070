"""Output schemas shared by several routers, and their builders."""

from ninja import Schema
from pydantic import ConfigDict

from cluetrain.members.models import Member


class Input(Schema):
    """Every input schema: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class MemberRef(Schema):
    username: str
    name: str
    role: str


def member_ref(member: Member | None) -> MemberRef | None:
    if member is None:
        return None
    return MemberRef(username=member.username, name=member.name, role=member.role)


class Page(Schema):
    next: str | None
