"""Idea jams (cluetrain.jams): `jam.started` and `jam.ended`, each sent once per jam, and
`theme.changed` when a moderator renames, merges or splits a theme, sent after commit with
the theme as it then stands."""

from cluetrain.core.links import absolute_url
from cluetrain.jams.events import JamEnded, JamStarted, ThemeChanged
from cluetrain.jams.models import Jam, Theme
from cluetrain.webhooks.events import Payload, create_deliveries
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
            "url": absolute_url("jam_theme", space.slug, theme.pk),
        }
    }


def on_theme_changed(event: ThemeChanged) -> None:
    data = theme_data(event)
    if data is not None:
        create_deliveries(Event.THEME_CHANGED, event.theme_id, data=data)


def jam_data(jam_id: int) -> Payload | None:
    jam = Jam.objects.select_related("space").filter(pk=jam_id).first()
    if jam is None:
        return None
    return {
        "jam": {
            "slug": jam.space.slug,
            "title": jam.title,
            "question": jam.question,
            "starts_at": jam.starts_at.isoformat(),
            "ends_at": jam.ends_at.isoformat(),
            "audience": jam.audience,
            "visibility": jam.space.visibility,
            "url": absolute_url("jam", jam.space.slug),
        }
    }


def on_jam_started(event: JamStarted) -> None:
    data = jam_data(event.jam_id)
    if data is not None:
        create_deliveries(Event.JAM_STARTED, event.jam_id, data=data)


def on_jam_ended(event: JamEnded) -> None:
    data = jam_data(event.jam_id)
    if data is not None:
        create_deliveries(Event.JAM_ENDED, event.jam_id, data=data)
