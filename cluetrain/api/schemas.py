"""Schemas every router shares: strict input, a page of results, a reference to a member."""

from typing import TYPE_CHECKING, Annotated

from ninja import Schema
from pydantic import AliasChoices, ConfigDict, Field, field_validator

if TYPE_CHECKING:  # annotations only: the toolkit sits below the apps whose routers use it
    from cluetrain.members.models import Member

# A post's Markdown, named as reads return it (`body_md`). `body`, the name writes took
# first, is still accepted so that older clients keep working (deprecated; docs/api.md).
BodyMd = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100_000,
        validation_alias=AliasChoices("body_md", "body"),
        description="The text in Markdown. `body` is accepted too (deprecated).",
    ),
]


class Input(Schema):
    """Every input schema: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        # PostgreSQL cannot store NUL in text; refuse it here as Django's forms do, in lists
        # and mappings of strings too.
        if _has_nul(value):
            raise ValueError("Null characters are not allowed")
        return value


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class MemberRef(Schema):
    username: str
    name: str
    role: str


def member_ref(member: "Member | None") -> MemberRef | None:
    if member is None:
        return None
    return MemberRef(username=member.username, name=member.name, role=member.role)


class Page(Schema):
    next: str | None
