from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cluetrain.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    # Lazy: pages that never show the count never run the query.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        )
    }
