"""System checks for deployments: what `cluetrain check --deploy` says beyond Django's own."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_secret_key_is_set(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A key generated into the data folder is this machine's own (settings._secret_key).

    Enough for one server (the demo, a small site); a second app server would generate its
    own, and each would refuse the other's sessions and signed links.
    """
    if not settings.SECRET_KEY_GENERATED:
        return []
    key_file = settings.DATA_DIR / "secret_key"
    return [
        CheckWarning(
            f"SECRET_KEY is not set: this server signs with a key generated into {key_file}, "
            "which is this machine's alone.",
            hint=(
                "Set SECRET_KEY (or SECRET_KEY_FILE, a file holding it) to one long random "
                "value, the same on every app server and worker, and keep it with the backups. "
                "With a key per machine, sessions and signed links (unsubscribe links in "
                "e-mails) made by one server are refused by the others. To keep the current "
                f"key, copy {key_file} and point SECRET_KEY_FILE at it."
            ),
            id="cluetrain.W001",
        )
    ]
