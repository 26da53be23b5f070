from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cluetrain.core"
    label = "core"
