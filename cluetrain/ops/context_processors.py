from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cluetrain.members.models import Member
from cluetrain.ops.health import stuck_problems


def queue_warning(request: HttpRequest) -> dict[str, object]:
    """Staff see a banner on every page while background work is stuck (base.html)."""
    user = request.user
    if not isinstance(user, Member) or not user.is_company_staff:
        return {}
    # Lazy: a page that renders no banner (an htmx fragment, say) runs no query.
    return {"queue_problems": SimpleLazyObject(stuck_problems)}
