"""Who may read and write in a space. Every view and action goes through these helpers."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.members.access import Viewer as Viewer
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space


def readable_visibilities(viewer: Viewer) -> list[str]:
    if not viewer.is_authenticated:
        return [Space.Visibility.PUBLIC]
    assert isinstance(viewer, Member)
    if viewer.is_company_staff:
        return [Space.Visibility.PUBLIC, Space.Visibility.STAFF, Space.Visibility.PARTNERS]
    if viewer.role == Member.Role.PARTNER:
        return [Space.Visibility.PUBLIC, Space.Visibility.PARTNERS]
    return [Space.Visibility.PUBLIC]


def can_read_space(viewer: Viewer, space: Space) -> bool:
    return space.visibility in readable_visibilities(viewer)


def readable_spaces(viewer: Viewer) -> QuerySet[Space]:
    return Space.objects.filter(visibility__in=readable_visibilities(viewer))


def readable_space_filter(viewer: Viewer, prefix: str = "space__") -> Q:
    """A filter for any model that reaches a space through `prefix`."""
    return Q(**{f"{prefix}visibility__in": readable_visibilities(viewer)})


def access_space(viewer: Viewer, slug: str) -> Space:
    """The space, or 404 — a private space is not confirmed to exist to those outside it."""
    space = Space.objects.filter(slug=slug).first()
    if space is None or not can_read_space(viewer, space):
        raise not_found(gettext("No such space."))
    return space
