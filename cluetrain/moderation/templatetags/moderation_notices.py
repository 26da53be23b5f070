"""What the spam filter holds of a member's own profile, told to them on their profile and
edit pages: `{% load moderation_notices %}{% held_profile_notice member %}`.

Shown to the member themselves only; everyone else sees the approved fields and nothing of
what waits.
"""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from cluetrain.members.models import Member
from cluetrain.moderation.screening import held_profile

register = template.Library()

FIELD_NAMES = {"headline": _("headline"), "bio": _("bio")}


@register.inclusion_tag("moderation/_held_profile.html", takes_context=True)
def held_profile_notice(context: dict[str, Any], member: Member | None) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if member is None or viewer is None or viewer.pk != member.pk:
        return {"fields": []}
    held = held_profile(member)
    if held is None:
        return {"fields": []}
    # In the profile's order (PostgreSQL's jsonb keeps no order of its own).
    fields = [str(label) for name, label in FIELD_NAMES.items() if held.held_fields.get(name)]
    return {"fields": fields}
