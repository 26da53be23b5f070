"""Create, find and revoke personal API tokens; count their requests per minute."""

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from cluetrain.api.models import ApiToken, RateWindow
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.core.ratelimit import do_take_or_refuse

if TYPE_CHECKING:  # annotations only: the toolkit sits below the apps whose routers use it
    from cluetrain.members.models import Member

TOKEN_PREFIX = "ct_"  # noqa: S105 - marks a string as a Cluetrain token, not a secret
NAME_MAX_CHARS = 100
TOKENS_PER_MEMBER = 20
RATE_WINDOW = timedelta(minutes=1)
# Writing last_used_at on every request would add a write per read: once a minute is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_create_token(member: "Member", *, name: str, scope: str) -> tuple[ApiToken, str]:
    """The new token and its secret, which is never stored and so shown only once."""
    name = name.strip()
    if not name:
        raise ActionError(
            gettext("Name the token, e.g. after the script that uses it."), field="name"
        )
    if len(name) > NAME_MAX_CHARS:
        raise ActionError(
            gettext("Names are limited to %(limit)s characters.") % {"limit": NAME_MAX_CHARS},
            field="name",
        )
    if scope not in ApiToken.Scope.values:
        raise ActionError(gettext("Choose read or write."), field="scope")
    active = ApiToken.objects.filter(member=member, revoked_at__isnull=True).count()
    if active >= TOKENS_PER_MEMBER:
        raise ActionError(
            ngettext(
                "You have %(count)s active token; revoke one before creating another.",
                "You have %(count)s active tokens; revoke one before creating another.",
                active,
            )
            % {"count": active},
            status=409,
        )
    do_take_or_refuse(
        f"token:{member.pk}",
        limit=settings.TOKEN_RATE_LIMIT_PER_HOUR,
        window=timedelta(hours=1),
        message=gettext(
            "You have created many tokens in the last hour; please wait before creating more."
        ),
    )
    return do_create_token(member, name=name, scope=scope)


def do_create_token(member: "Member", *, name: str, scope: str) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        member=member,
        name=name,
        scope=scope,
        token_hash=hash_token(raw),
        prefix=raw[:10],
        created_at=timezone.now(),
    )
    return token, raw


def access_token(member: "Member", token_id: int) -> ApiToken:
    """One of the member's own tokens, or 404: others' tokens are not confirmed to exist."""
    token = ApiToken.objects.filter(pk=token_id, member=member).first()
    if token is None:
        raise not_found(gettext("No such token."))
    return token


def check_revoke_token(member: "Member", token: ApiToken) -> ApiToken:
    if token.member_id != member.pk:
        raise ActionError(gettext("You can only revoke your own tokens."), status=403)
    if token.revoked_at is not None:
        raise ActionError(gettext("This token is already revoked."), status=409)
    return do_revoke_token(token)


def do_revoke_token(token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The active token with this secret and its active member, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("member")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def count_request(token: ApiToken, *, now: datetime | None = None) -> int | None:
    """Count one request in the token's current window: None if allowed, else seconds to wait.

    A fixed one-minute window in the database, so every server process shares the count;
    the increment is one atomic UPDATE.
    """
    now = now or timezone.now()
    start = now.replace(second=0, microsecond=0)
    windows = RateWindow.objects.filter(token=token, window_start=start)
    if not windows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateWindow.objects.create(token=token, window_start=start, count=1)
            # A new window: the old ones are of no more use.
            RateWindow.objects.filter(token=token, window_start__lt=start).delete()
        except IntegrityError:
            windows.update(count=F("count") + 1)  # another process opened it first
    count = windows.values_list("count", flat=True).first() or 0
    if count <= settings.API_RATE_LIMIT_PER_MINUTE:
        return None
    return max(1, math.ceil((start + RATE_WINDOW - now).total_seconds()))
