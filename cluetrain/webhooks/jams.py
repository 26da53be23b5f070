"""`theme.changed`: a moderator renamed, merged or split a jam's theme (cluetrain.jams),
sent after commit with the theme as it then stands."""

from cluetrain.jams.events import ThemeChanged
from cluetrain.jams.models import Theme
from cluetrain.webhooks.events import Payload, _url, create_deliveries
from cluetrain.webhooks.models import Event


def theme_data(event: ThemeChanged) -> Payload | None:
    theme = Theme.objects.select_related("jam__space").filter(pk=event.theme_id).first()
    if theme is None:
        return None
    space = theme.jam.space
    return {
        "theme": {
            "id": theme.pk,
            "label": theme.label,
            "size": theme.size,
            "key_phrases": list(theme.key_phrases),
            "jam": {"slug": space.slug, "title": theme.jam.title, "visibility": space.visibility},
            "change": event.change,
            "into_id": event.into_id,
            "from_id": event.from_id,
            "url": _url("jam_theme", space.slug, theme.pk),
        }
    }


def on_theme_changed(event: ThemeChanged) -> None:
    data = theme_data(event)
    if data is not None:
        create_deliveries(Event.THEME_CHANGED, event.theme_id, data=data)
