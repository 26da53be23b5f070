from django.apps import AppConfig


class JamsConfig(AppConfig):
    name = "cluetrain.jams"
    label = "jams"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.jams.guard import refuse_post_outside_jam
        from cluetrain.threads.events import PostCreated

        subscribe(PostCreated, refuse_post_outside_jam, phase=Phase.IN_TRANSACTION)
