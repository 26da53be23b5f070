from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cluetrain.webhooks"
    label = "webhooks"
