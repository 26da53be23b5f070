from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cluetrain.core.fragments import fragment_key
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count, and the key of the top navigation that shows it (base.html)."""
    user = request.user
    if not isinstance(user, Member):
        return {"nav_key": "nav:anonymous"}

    @cache  # Lazy: pages that never show the count never run the query.
    def count() -> int:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {
        "unread_notifications": SimpleLazyObject(count),
        "nav_key": SimpleLazyObject(
            lambda: fragment_key("nav", user.pk, user.username, user.name, user.role, count())
        ),
    }
