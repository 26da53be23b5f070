from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "cluetrain.listening"
    label = "listening"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.listening import tasks
        from cluetrain.threads.events import PostCreated, PostEdited

        subscribe(PostCreated, tasks.on_post_created)
        subscribe(PostEdited, tasks.on_post_edited)
