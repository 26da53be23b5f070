from django.apps import AppConfig


class IntentsConfig(AppConfig):
    name = "cluetrain.intents"
    label = "intents"
