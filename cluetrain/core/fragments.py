"""HTML fragments cached under a digest of everything they show.

A page computes each fragment's key from its content (fields, counts, the viewer's class, how
long ago things happened), so nothing is ever invalidated: a change anywhere gives a new key,
and an entry nobody asks for again ages out. That is why the cache is per process (local
memory, never shared): processes cannot disagree about a key, and a restart, a deploy
included, starts empty, so no fragment outlives the templates it was rendered with. With
DEBUG on, templates reload while the process runs, so fragments are not cached at all.

CSRF tokens differ per request: a fragment is rendered with a secret placeholder in their
place, and the outermost `{% fragment %}` puts the request's own token back.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache

from django.conf import settings
from django.core.cache import caches
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.timesince import timesince
from django.utils.translation import get_language

CACHE_ALIAS = "fragments"
# Keys never go stale (they name the content); the timeout only frees what is not shown.
FRAGMENT_SECONDS = 24 * 60 * 60


def fragment_key(kind: str, *shown: object) -> str:
    """The key of a `kind` fragment that shows exactly `shown` (anything with a stable repr)."""
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


@cache
def csrf_placeholder() -> str:
    # Derived from the secret key: no post can contain it, so only real form fields get the token.
    return salted_hmac("cluetrain.core.fragments", "csrf placeholder").hexdigest()


def cached_fragment(key: str, render: Callable[[], str]) -> str:
    """The fragment stored under `key`, rendered (with the placeholder) and stored if missing."""
    if settings.DEBUG:
        return render()
    fragments = caches[CACHE_ALIAS]
    # Links, dates and words depend on these too, whichever page made the key.
    key = f"{key}:{get_script_prefix()}:{timezone.get_current_timezone_name()}:{get_language()}"
    html: str | None = fragments.get(key)
    if html is None:
        html = render()
        fragments.set(key, html, FRAGMENT_SECONDS)
    return html


def ago(moment: datetime, now: datetime) -> str:
    """`timesince` as pages show it ("3 hours, 2 minutes"), computed once per minute."""
    return _ago(moment, now.replace(second=0, microsecond=0))


@lru_cache(maxsize=65536)
def _ago(moment: datetime, minute: datetime) -> str:
    return timesince(moment, minute)
