from functools import cache

from django.db import router
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cluetrain.core.fragments import fragment_key
from cluetrain.core.prepared import PreparedCounts
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.notifications.visibility import still_visible

# Every signed-in page shows this count: its SQL is written once per kind of reader.
_UNREAD = PreparedCounts()


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count, and the key of the top navigation that shows it (base.html)."""
    user = request.user
    if not isinstance(user, Member):
        return {"nav_key": "nav:anonymous"}

    @cache  # Lazy: pages that never show the count never run the query.
    def count() -> int:
        return unread_count(user)

    return {
        "unread_notifications": SimpleLazyObject(count),
        "nav_key": SimpleLazyObject(
            lambda: fragment_key(
                "nav", user.pk, user.username, user.name, user.role, user.is_staff, count()
            )
        ),
    }


def unread_count(member: Member) -> int:
    """Unread notifications the member may still be shown (those `still_visible` keeps)."""
    visible = still_visible(member)

    def build(recipient_id: int) -> QuerySet[Notification]:
        return Notification.objects.filter(visible, recipient_id=recipient_id, read_at__isnull=True)

    # The filter depends on the member only through what its repr shows (roles' spaces,
    # hidden or not), so that names the shape: one SQL per kind of reader.
    db = router.db_for_read(Notification)
    return _UNREAD.count(repr(visible), member.pk, build, using=db)
