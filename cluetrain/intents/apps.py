from django.apps import AppConfig


class IntentsConfig(AppConfig):
    name = "cluetrain.intents"
    label = "intents"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.intents.actions import on_contribution_decided
        from cluetrain.intents.events import DealRated
        from cluetrain.intents.ratings import deal_ratings
        from cluetrain.moderation.events import ContributionDecided
        from cluetrain.reputation import tasks
        from cluetrain.reputation.signals import register_source

        register_source(deal_ratings)
        subscribe(DealRated, tasks.on_rating_changed)
        # A held request's fate commits with the moderator's decision.
        subscribe(ContributionDecided, on_contribution_decided, phase=Phase.IN_TRANSACTION)
