"""Who may see a jam: whoever may read its space. Everything else answers 404."""

from django.db.models import QuerySet
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.jams.models import Jam, Theme
from cluetrain.spaces.access import Viewer, readable_space_filter


def readable_jams(viewer: Viewer) -> QuerySet[Jam]:
    return Jam.objects.filter(readable_space_filter(viewer)).select_related("space")


def access_jam(viewer: Viewer, slug: str) -> Jam:
    jam = readable_jams(viewer).filter(space__slug=slug).first()
    if jam is None:
        raise not_found(gettext("No such jam."))
    return jam


def access_theme(viewer: Viewer, jam: Jam, theme_id: int) -> Theme:
    theme = Theme.objects.filter(jam=jam, pk=theme_id).select_related("jam__space").first()
    if theme is None:
        raise not_found(gettext("No such theme."))
    return theme
