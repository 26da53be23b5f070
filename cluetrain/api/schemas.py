"""Schemas every router shares: strict input, a page of results, a reference to a member."""

from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from ninja import Schema
from pydantic import AliasChoices, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from cluetrain.core.links import absolute_url

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
    """Every input schema: unknown fields are an error, not silently dropped, and a number
    is a JSON number (pydantic's lax mode would read `true` as 1 and "5" as 5)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: object, info: ValidationInfo) -> object:
        # Strict mode would do this too, but it also refuses dates and decimals written
        # as strings, which is how JSON carries them.
        if not isinstance(value, bool | str) or info.field_name is None:
            return value
        accepted = _scalar_types(cls.model_fields[info.field_name].annotation)
        if type(value) in accepted:
            return value
        if int in accepted:
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        if float in accepted:
            raise PydanticCustomError("float_type", "Input should be a valid number")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        # PostgreSQL cannot store NUL in text; refuse it here as Django's forms do, in lists
        # and mappings of strings too.
        if _has_nul(value):
            raise ValueError("Null characters are not allowed")
        return value


def _scalar_types(annotation: Any) -> set[Any]:
    """The plain types a field takes: `int | None` gives {int, NoneType}."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _scalar_types(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        return set().union(*(_scalar_types(arg) for arg in get_args(annotation)))
    if origin is Literal:
        return {type(arg) for arg in get_args(annotation)}
    return {annotation if origin is None else origin}


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class MemberRef(Schema):
    """A member as every answer names one, the same as in webhook payloads."""

    id: int
    username: str
    name: str
    role: str
    url: str = Field(description="the member's profile page, an absolute URL")


def member_ref(member: "Member | None") -> MemberRef | None:
    if member is None:
        return None
    return MemberRef(
        id=member.pk,
        username=member.username,
        name=member.name,
        role=member.role,
        url=absolute_url("profile", member.username),
    )


class Page(Schema):
    next: str | None
