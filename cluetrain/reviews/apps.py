from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "cluetrain.reviews"
    label = "reviews"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.reviews.actions import sync_helpful_count_on_reaction
        from cluetrain.threads.events import ReactionToggled

        subscribe(ReactionToggled, sync_helpful_count_on_reaction, phase=Phase.IN_TRANSACTION)
