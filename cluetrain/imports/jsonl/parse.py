"""Cluetrain JSONL: one message a line, validated by `JsonlMessage` (docs/import.md)."""

import re
from collections.abc import Iterator
from typing import Annotated, TextIO

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from cluetrain.imports.records import Message, Parsed, RowError


def _id_text(value: object) -> object:
    # Ids may be JSON numbers (tweet ids often are); keep them as text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


WEB_ADDRESS = re.compile(r"https?://\S+")


def _web_address(value: str) -> str:
    # Said in words: the pattern itself ('^(https?://\S+)?$') is what the error showed before.
    if value and not WEB_ADDRESS.fullmatch(value):
        raise PydanticCustomError("url", "should be an http:// or https:// address, without spaces")
    return value


Id = Annotated[str, BeforeValidator(_id_text), StringConstraints(min_length=1, max_length=200)]


class JsonlMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Id
    source: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    author: Id
    author_name: str = Field(default="", max_length=200)
    brand: bool = False
    created_at: AwareDatetime
    text: Annotated[str, StringConstraints(min_length=1)]
    in_reply_to: Id | None = None
    title: str = Field(default="", max_length=200)
    url: Annotated[str, AfterValidator(_web_address)] = Field(default="", max_length=200)
    language: str = Field(default="", max_length=16)
    rating: int | None = Field(default=None, ge=1, le=5)
    product: str = Field(default="", max_length=200)


def first_error(line: int, error: ValidationError) -> RowError:
    """'rating: Input should be less than or equal to 5' — the field first, then why; with
    pydantic's error type and its context, for the platform to word it (as the API does)."""
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"])
    values = {key: str(value) for key, value in (detail.get("ctx") or {}).items()}
    values |= {"detail": detail["msg"], "type": detail["type"]}
    if not where:  # the line as a whole: not JSON, or not an object
        return RowError(line, "invalid_json", values)
    return RowError(line, "invalid_field", {**values, "field": where})


def parse(stream: TextIO) -> Iterator[Parsed]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            item = JsonlMessage.model_validate_json(line)
        except ValidationError as error:
            yield first_error(number, error)
            continue
        if item.rating is not None and not item.product:
            yield RowError(number, "rating_without_product")
            continue
        yield Message(
            line=number,
            external_id=item.id,
            source=item.source,
            author_id=item.author,
            author_name=item.author_name,
            is_brand=item.brand,
            created_at=item.created_at,
            text=item.text,
            parent_id=item.in_reply_to,
            title=item.title,
            url=item.url,
            language=item.language,
            rating=item.rating,
            product=item.product,
            kind="review" if item.rating is not None else "conversation",
        )
