"""Who is calling: a personal token, the browser session (with CSRF), or nobody.

Reads that the pages show to anyone accept `READ_AUTH` (anonymous included); everything else
takes `MEMBER_AUTH`. A token that is sent but wrong is refused (401), never read as anonymous.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cluetrain.api.errors import RateLimited
from cluetrain.api.models import ApiToken
from cluetrain.api.tokens import authenticate_token, count_request
from cluetrain.core.errors import ActionError

if TYPE_CHECKING:  # annotations only: the toolkit sits below the apps whose routers use it
    from cluetrain.members.access import Viewer
    from cluetrain.members.models import Member

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError()
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> "Member":
        found = authenticate_token(token)
        if found is None:
            raise AuthenticationError()
        retry_after = count_request(found)
        if retry_after is not None:
            raise RateLimited(retry_after)
        if found.scope != ApiToken.Scope.WRITE and request.method not in SAFE_METHODS:
            raise ActionError(
                gettext("This token may only read: create a write token."), status=403
            )
        request.api_token = found  # type: ignore[attr-defined]
        return found.member


class SessionAuth(APIKeyCookie):
    """The logged-in browser; unsafe methods need the CSRF token, as the pages do."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise ActionError(
                gettext("CSRF check failed: send the X-CSRFToken header."), status=403
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> "Member | None":
        user = request.user
        return user if isinstance(user, get_user_model()) and key is not None else None


def anonymous(request: HttpRequest) -> AnonymousUser:
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()
MEMBER_AUTH = [token_auth, session_auth]
READ_AUTH = [token_auth, session_auth, anonymous]


def viewer(request: HttpRequest) -> "Viewer":
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, get_user_model()) else AnonymousUser()


def member(request: HttpRequest) -> "Member":
    """The calling member, on endpoints behind MEMBER_AUTH."""
    auth = getattr(request, "auth", None)
    assert isinstance(auth, get_user_model())
    return auth
