from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "cluetrain.expertise"
    label = "expertise"

    def ready(self) -> None:
        from cluetrain.expertise.finder import suggest_owners
        from cluetrain.influence.engagement import register_owner_suggester

        register_owner_suggester(suggest_owners)
