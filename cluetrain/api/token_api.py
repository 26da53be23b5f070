"""Personal API tokens, managed through the API as well as at /settings/tokens/."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.models import ApiToken
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, Page
from cluetrain.api.tokens import (
    NAME_MAX_CHARS,
    access_token,
    check_create_token,
    check_revoke_token,
)

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret: shown this once, never again.")


class TokenPage(Page):
    items: list[TokenOut]


class TokenIn(Input):
    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    scope: Literal["read", "write"] = "read"


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        scope=token.scope,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("/tokens", response=TokenPage)
def list_tokens(request: HttpRequest, page: Query[PageParams]) -> TokenPage:
    tokens = ApiToken.objects.filter(member=member(request))
    rows, next_cursor = paginate(tokens, ("-created_at", "-pk"), page)
    return TokenPage(items=[token_out(t) for t in rows], next=next_cursor)


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, raw = check_create_token(member(request), name=payload.name, scope=payload.scope)
    return Status(201, NewTokenOut(**token_out(token).model_dump(), token=raw))


@router.delete("/tokens/{int:token_id}", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: int) -> TokenOut:
    who = member(request)
    token = access_token(who, token_id)
    return token_out(check_revoke_token(who, token))
