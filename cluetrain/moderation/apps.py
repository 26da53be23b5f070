from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "cluetrain.moderation"
    label = "moderation"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.moderation.actions import log_delete_by_other, log_edit_by_other
        from cluetrain.threads.events import PostDeleted, PostEdited

        subscribe(PostEdited, log_edit_by_other, phase=Phase.IN_TRANSACTION)
        subscribe(PostDeleted, log_delete_by_other, phase=Phase.IN_TRANSACTION)
