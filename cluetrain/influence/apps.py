from django.apps import AppConfig


class InfluenceConfig(AppConfig):
    name = "cluetrain.influence"
    label = "influence"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.influence.alerts import on_messages_read
        from cluetrain.influence.events import AlertRaised
        from cluetrain.influence.tasks import on_alert_raised
        from cluetrain.listening.events import MessagesRead

        subscribe(MessagesRead, on_messages_read)
        subscribe(AlertRaised, on_alert_raised)
