"""Fetch ideas only through these helpers: they check the viewer may see them."""

from django.db.models import QuerySet
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.ideas.models import Idea
from cluetrain.spaces.access import Viewer, readable_space_filter
from cluetrain.threads.access import can_see_thread


def access_idea(viewer: Viewer, idea_id: int) -> Idea:
    idea = (
        Idea.objects.select_related("thread__space", "thread__author", "product")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None or not can_see_thread(viewer, idea.thread):
        raise not_found(gettext("No such idea."))
    return idea


def readable_ideas(viewer: Viewer) -> QuerySet[Idea]:
    """Ideas in spaces the viewer may read, on threads that are not hidden."""
    return Idea.objects.filter(
        readable_space_filter(viewer, "thread__space__"), thread__is_hidden=False
    )
