"""Django's database sessions, read with one fixed SQL statement instead of a queryset.

Every signed-in request reads its session first. The table, its columns and what a session
holds are Django's (django.contrib.sessions: the same rows, so switching either way keeps
everyone signed in); only the read skips the ORM, which took several times longer to build
the query than the database took to answer it (docs/performance.md). Writes, expiry and
clearing are Django's own.

Not a cache: every request still reads the row, so signing out anywhere, on any worker, signs
out everywhere at once (a per-process cache, such as `cached_db` with the local-memory cache,
would keep a signed-out session alive in the other processes).
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key  # None when the cookie held no valid key
        if key is None:
            return None
        using = router.db_for_read(Session)
        connection = connections[using]
        table = connection.ops.quote_name(Session._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table}"  # noqa: S608 - a table name
                " WHERE session_key = %s AND expire_date > %s",
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=key, session_data=row[0])
