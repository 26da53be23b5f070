from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "cluetrain.partners"
    label = "partners"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.partners.events import ReferralRated
        from cluetrain.partners.signals import referral_ratings
        from cluetrain.reputation.signals import register_source
        from cluetrain.reputation.tasks import on_rating_changed

        register_source(referral_ratings)
        subscribe(ReferralRated, on_rating_changed)
