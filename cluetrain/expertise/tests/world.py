"""Expertise targets for the API permission matrix (cluetrain/api/tests)."""

from datetime import timedelta

from django.utils import timezone

from cluetrain.expertise.actions import do_set_away
from cluetrain.members.models import Member


def mark_away(world: object, me: Member) -> object:
    return do_set_away(me, timezone.localdate() + timedelta(days=3), "Conference")


def soon() -> str:
    """A date within the year one may be away for."""
    return (timezone.localdate() + timedelta(days=30)).isoformat()
