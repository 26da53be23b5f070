"""What `cluetrain bench web` loads: chosen from the demo data in the benchmark database."""

from collections import Counter
from dataclasses import asdict, dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.db.models import Count, Q

from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Thread


@dataclass(frozen=True)
class Targets:
    thread_id: int
    thread_posts: int
    common_name: str
    name_matches: int
    members: int
    username: str
    session_key: str
    db_version: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def pick_targets() -> Targets:
    """The largest public thread, the most common first name, and a logged-in customer session."""
    thread = (
        Thread.objects.filter(space__visibility=Space.Visibility.PUBLIC, is_hidden=False)
        .annotate(n_posts=Count("posts", filter=Q(posts__is_deleted=False, posts__is_hidden=False)))
        .order_by("-n_posts", "id")
        .first()
    )
    if thread is None:
        raise LookupError("no public thread: did `cluetrain demo` run?")
    names = Counter(
        name.split()[0]
        for name in Member.objects.exclude(display_name="").values_list("display_name", flat=True)
    )
    if not names:
        raise LookupError("no members with a display name: did `cluetrain demo` run?")
    common_name, matches = names.most_common(1)[0]
    member = (
        Member.objects.filter(role=Member.Role.CUSTOMER, is_active=True)
        .annotate(n_posts=Count("posts"))
        .order_by("-n_posts", "id")
        .first()
    )
    if member is None:
        raise LookupError("no active customer to log in as")
    return Targets(
        thread_id=thread.pk,
        thread_posts=thread.n_posts,
        common_name=common_name,
        name_matches=matches,
        members=Member.objects.count(),
        username=member.username,
        session_key=_login_session(member),
        db_version=_database_version(),
    )


def _login_session(member: Member) -> str:
    # The session Django's login() would store, written directly: the bench measures pages,
    # not the (deliberately slow) password check.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    key: str = session.session_key
    return key


def _database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        (version,) = cursor.fetchone()
    return f"{connection.vendor} {version}"
