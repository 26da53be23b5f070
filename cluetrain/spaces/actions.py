"""Following a space: its new threads come to the member's feed and notifications."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.spaces.access import can_read_space
from cluetrain.spaces.models import Space, SpaceFollow


def check_follow_space(member: Member, space: Space, *, follow: bool) -> bool:
    """Follow or stop following; True when the member now follows the space."""
    if not can_read_space(member, space):
        raise ActionError(gettext("You may not follow this space."), status=403)
    if follow:
        do_follow_space(member, space)
    else:
        do_unfollow_space(member, space)
    return follow


def do_follow_space(member: Member, space: Space) -> None:
    try:
        with transaction.atomic():
            SpaceFollow.objects.get_or_create(member=member, space=space)
    except IntegrityError:
        pass  # a concurrent request followed first: the outcome is the same


def do_unfollow_space(member: Member, space: Space) -> None:
    SpaceFollow.objects.filter(member=member, space=space).delete()
