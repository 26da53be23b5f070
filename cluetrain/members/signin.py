"""Sign-in throttling: failed attempts are counted per account and per address.

An account with LOGIN_FAILURES_PER_ACCOUNT failures, or an address with
LOGIN_FAILURES_PER_ADDRESS, is refused (the right password too) until the window of
LOGIN_LOCKOUT_MINUTES ends or an administrator unlocks it (`cluetrain unlock USERNAME`, or
the action on the members' admin page). Counted in the database (core/ratelimit.py), so
every server process shares the counts. Only the sign-in page is throttled: API tokens are
made by members already signed in, and scripts authenticate with their token.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import ngettext

from cluetrain.core.errors import ActionError
from cluetrain.core.ratelimit import do_reset, do_take, seconds_left, used


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def account_key(username: str) -> str:
    return f"login-failures:account:{username.strip().casefold()}"


def address_key(address: str) -> str:
    return f"login-failures:address:{address}"


def check_sign_in_allowed(username: str, address: str) -> None:
    """Refuse with a 429 while the account or the address is locked."""
    window = _window()
    minutes = -(-seconds_left(window) // 60)
    if username.strip() and used(account_key(username), window=window) >= (
        settings.LOGIN_FAILURES_PER_ACCOUNT
    ):
        raise ActionError(
            ngettext(
                "Too many failed attempts to sign in to this account. Try again in %(count)s "
                "minute, reset your password, or ask an administrator to unlock the account.",
                "Too many failed attempts to sign in to this account. Try again in %(count)s "
                "minutes, reset your password, or ask an administrator to unlock the account.",
                minutes,
            )
            % {"count": minutes},
            status=429,
        )
    if used(address_key(address), window=window) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        raise ActionError(
            ngettext(
                "Too many failed sign-in attempts from your network. "
                "Try again in %(count)s minute.",
                "Too many failed sign-in attempts from your network. "
                "Try again in %(count)s minutes.",
                minutes,
            )
            % {"count": minutes},
            status=429,
        )


def do_count_failed_sign_in(username: str, address: str) -> None:
    window = _window()
    if username.strip():
        do_take(account_key(username), limit=settings.LOGIN_FAILURES_PER_ACCOUNT, window=window)
    do_take(address_key(address), limit=settings.LOGIN_FAILURES_PER_ADDRESS, window=window)


def do_unlock(username: str, *, address: str | None = None) -> int:
    """Forget the account's failed attempts (and the address's, if given); rows removed."""
    removed = do_reset(account_key(username))
    if address is not None:
        removed += do_reset(address_key(address))
    return removed
