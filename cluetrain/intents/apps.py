from django.apps import AppConfig


class IntentsConfig(AppConfig):
    name = "cluetrain.intents"
    label = "intents"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.intents.events import DealRated
        from cluetrain.intents.ratings import deal_ratings
        from cluetrain.reputation import tasks
        from cluetrain.reputation.signals import register_source

        register_source(deal_ratings)
        subscribe(DealRated, tasks.on_rating_changed)
