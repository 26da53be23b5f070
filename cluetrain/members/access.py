"""Fetch members for pages: only active accounts are shown to others."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.members.models import Connection, Member

#: Whoever is looking: a signed-in member or an anonymous visitor.
Viewer = Member | AnonymousUser


def access_member(username: str) -> Member:
    """The active member with this username, with profile and organization loaded, or 404."""
    member = (
        Member.objects.select_related("profile", "organization")
        .prefetch_related("profile__expertise", "profile__interests")
        .filter(username=username, is_active=True)
        .first()
    )
    if member is None:
        raise not_found(gettext("No such member."))
    return member


def access_connection(viewer: Member, connection_id: int) -> Connection:
    """A connection the viewer is a party to, or 404: others' requests are not confirmed."""
    connection = (
        Connection.objects.select_related("from_member", "to_member")
        .filter(pk=connection_id, kind=Connection.Kind.CONNECT)
        .first()
    )
    if connection is None or viewer.pk not in (connection.from_member_id, connection.to_member_id):
        raise not_found(gettext("No such connection request."))
    return connection
